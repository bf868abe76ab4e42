/**
 * The station's chip and contactless settings (station.json `chip`; a file without them gets these
 * defaults). The terminal kernel's other parameters (AIDs, TACs, capabilities) are the China
 * defaults in payments/emv/kernel/terminal-config.ts; these are the ones a merchant's acquirer sets.
 */
import { z } from 'zod';
import { CURRENCIES, type CurrencyCode } from '../../common/money.ts';
import { CHINA_TERMINAL_DEFAULTS, type TerminalConfig } from '../../payments/emv/kernel/terminal-config.ts';

export const ChipConfigSchema = z
  .strictObject({
    /** At or above: a tap is refused and the cashier asks for an insert (EMV contactless transaction limit). */
    contactlessTransactionLimitMinor: z.number().int().min(1),
    /** At or above: a tap needs the online PIN (CVM required limit). China's default lets 1,000.00 CNY itself go without: 100001. */
    contactlessCvmLimitMinor: z.number().int().min(0),
    /** Chip failures on a card before its stripe is accepted as fallback (DE22 801); 0 never falls back. */
    chipFailuresBeforeFallback: z.number().int().min(0).max(9),
  })
  .refine((chip) => chip.contactlessCvmLimitMinor <= chip.contactlessTransactionLimitMinor, 'the CVM limit cannot be above the contactless transaction limit');
export type ChipConfig = z.infer<typeof ChipConfigSchema>;

export const DEFAULT_CHIP_CONFIG: ChipConfig = {
  contactlessTransactionLimitMinor: CHINA_TERMINAL_DEFAULTS.contactless.transactionLimitMinor,
  contactlessCvmLimitMinor: CHINA_TERMINAL_DEFAULTS.contactless.cvmRequiredLimitMinor,
  chipFailuresBeforeFallback: 2,
};

/** The kernel's terminal parameters for this station: its currency and its contactless limits. */
export function terminalConfigFor(chip: ChipConfig, currency: CurrencyCode): TerminalConfig {
  return {
    ...CHINA_TERMINAL_DEFAULTS,
    currency,
    currencyCode: CURRENCIES[currency].numeric.padStart(4, '0'),
    contactless: { transactionLimitMinor: chip.contactlessTransactionLimitMinor, cvmRequiredLimitMinor: chip.contactlessCvmLimitMinor },
  };
}
