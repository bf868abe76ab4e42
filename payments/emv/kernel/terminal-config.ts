/**
 * The terminal's EMV parameters: which AIDs it accepts (with their TACs and contactless limits),
 * its capabilities and where it stands. The station builds this from station.json and the accepted
 * schemes; the China defaults here are what a counter in mainland China runs with.
 */
import type { CurrencyCode } from '../../../common/money.ts';

/**
 * The terminal action codes this terminal uses: TAC-Denial only. It is online only (terminal type
 * 22), so it goes online whatever TAC-Online says, and when it cannot it declines (ARC Z3) rather
 * than approve offline by TAC-Default (Book 3 §10.7).
 */
export interface TerminalActionCodes {
  readonly denial: string;
}

export interface SupportedAid {
  readonly aid: string;
  /** Partial selection (Book 1 §12.3.1): a card AID that starts with this one matches. */
  readonly partialSelection: boolean;
  readonly tac: TerminalActionCodes;
  /** Terminal application version (9F09). */
  readonly applicationVersion: string;
  /** qVSDC / qUICS; undefined where the station has no contactless kernel for the AID (Mastercard). */
  readonly contactless?: 'qvsdc' | 'quics';
}

/**
 * EMV contactless pre-processing limits (Book A §3.1.1), both "at or above". There is no contactless
 * floor limit: this kernel only runs the online path, every tap goes online.
 */
export interface ContactlessLimits {
  /** At or above: contactless is not allowed, the cashier asks for an insert. */
  readonly transactionLimitMinor: number;
  /**
   * At or above: a CVM (online PIN) is required. China's small-amount no-PIN rule lets 1,000.00 CNY
   * itself go without PIN, so the China default is 100001.
   */
  readonly cvmRequiredLimitMinor: number;
}

export interface TerminalConfig {
  readonly aids: readonly SupportedAid[];
  /** 9F1A, 4 digits. */
  readonly countryCode: string;
  readonly currency: CurrencyCode;
  /** 5F2A, 4 digits. */
  readonly currencyCode: string;
  /** 9F35: 22 = attended, online only, merchant-operated. */
  readonly terminalType: string;
  /**
   * 9F33, what the terminal really does (Book 4 Annex A2): byte 1 E0 manual key entry, magnetic
   * stripe, IC with contacts; byte 2 68 online enciphered PIN, signature, no CVM (no offline PIN);
   * byte 3 40 DDA only: no SDA (deprecated) and no CDA, which this kernel does not perform, and no
   * card capture.
   */
  readonly capabilities: string;
  readonly floorLimitMinor: number;
  /** Random selection for online: the percentage below the threshold, and up to the floor limit. */
  readonly randomSelection: { readonly targetPercent: number; readonly maxTargetPercent: number; readonly thresholdMinor: number };
  readonly contactless: ContactlessLimits;
  /** IFD serial number (9F1E), 8 characters. */
  readonly ifdSerial: string;
}

const VISA_TAC = { denial: '0010000000' } as const;
const UNIONPAY_TAC = { denial: '0010000000' } as const;
const MASTERCARD_TAC = { denial: '0000000000' } as const;

export const CHINA_TERMINAL_DEFAULTS: TerminalConfig = {
  aids: [
    { aid: 'A000000333010101', partialSelection: false, tac: UNIONPAY_TAC, applicationVersion: '0030', contactless: 'quics' },
    { aid: 'A000000333010102', partialSelection: false, tac: UNIONPAY_TAC, applicationVersion: '0030', contactless: 'quics' },
    { aid: 'A000000333010103', partialSelection: false, tac: UNIONPAY_TAC, applicationVersion: '0030', contactless: 'quics' },
    { aid: 'A0000000031010', partialSelection: true, tac: VISA_TAC, applicationVersion: '0030', contactless: 'qvsdc' },
    { aid: 'A0000000041010', partialSelection: true, tac: MASTERCARD_TAC, applicationVersion: '0030' },
  ],
  countryCode: '0156',
  currency: 'CNY',
  currencyCode: '0156',
  terminalType: '22',
  capabilities: 'E06840',
  floorLimitMinor: 0,
  randomSelection: { targetPercent: 0, maxTargetPercent: 0, thresholdMinor: 0 },
  contactless: { transactionLimitMinor: 500_000, cvmRequiredLimitMinor: 100_001 },
  ifdSerial: 'POSSTN01',
};
