/**
 * Builds what the issuer's card checks and risk monitor need from the host config: CVKs by BIN, the
 * PIN try counter and the risk log in the ledger database, amount limits, the risk rules, the
 * acquirer's terminal permissions and issuer outages, the chip checks (issuer master keys, the ATC
 * register) and the encrypting readers' BDKs; the card hash key is this install's own. The host
 * starts through here (start-host.ts).
 */
import { dirname, resolve } from 'node:path';
import { maskPan } from '../../../common/card/pan.ts';
import type { AcquiringConfig } from '../../acquiring/acquiring-config.ts';
import { createAcquiringRules, type AcquiringRules } from '../../acquiring/acquiring-rules.ts';
import type { CardDeck } from '../../deck/card-deck.ts';
import { createCardHasher } from '../../risk/card-hash.ts';
import type { RiskConfig } from '../../risk/risk-config.ts';
import { openRiskMonitor, type RiskMonitor } from '../../risk/risk-monitor.ts';
import { loadRiskRules } from '../../risk/risk-rules.ts';
import { createAmountLimits, type AmountLimits } from './amount-limits.ts';
import type { AmountLimitsConfig, CardSecurityConfig } from './card-checks-config.ts';
import type { CardSecurity } from './card-security.ts';
import { createCvkTable } from './cvk-table.ts';
import type { LedgerConnection } from './ledger-connection.ts';
import { createPinTryCounter } from './pin-try-counter.ts';
import { createAtcRegister } from '../chip/atc-register.ts';
import { createChipIssuer, type ChipIssuer } from '../chip/chip-authentication.ts';
import type { ChipConfig } from '../chip/chip-config.ts';
import type { CardDataBdks } from '../../../payments/sred/decrypt-card-data.ts';

export interface IssuerControls {
  readonly cardSecurity: CardSecurity;
  readonly amountLimits: AmountLimits;
  readonly risk: RiskMonitor;
  readonly acquiring: AcquiringRules;
  readonly chip: ChipIssuer;
  /** The encrypting readers' BDKs, for the card data they send in DE120 (request-card.ts). */
  readonly cardDataBdks: CardDataBdks;
}

export interface IssuerControlsOptions {
  readonly config: {
    readonly cardSecurity: CardSecurityConfig;
    readonly amountLimits: AmountLimitsConfig;
    readonly risk: RiskConfig;
    readonly acquiring: AcquiringConfig;
    readonly chip: ChipConfig;
    readonly security: { readonly dataBdk: string; readonly aesDataBdk: string };
  };
  /** The host config file, which a relative rules file path is relative to. */
  readonly configPath: string;
  /** This install's card hash key (bank/risk/card-hash-key.ts). */
  readonly cardHashKey: Buffer;
  readonly deck: CardDeck;
  readonly connection: LedgerConnection;
  readonly now: () => Date;
  /** Receives the risk monitor's line per assessed purchase. */
  readonly log: (line: string) => void;
}

export function openIssuerControls({ config, configPath, cardHashKey, deck, connection, now, log }: IssuerControlsOptions): IssuerControls {
  const cvks = createCvkTable(config.cardSecurity.cvks.map(({ binPrefix, cvk }) => ({ binPrefix, cvk: Buffer.from(cvk, 'hex') })));
  // Every card the host issued must be checkable; finding out at its first swipe would be too late.
  const uncovered = deck.cards.filter((card) => cvks.cvkFor(card.pan) === undefined).map((card) => `${card.id} (${maskPan(card.pan)})`);
  if (uncovered.length > 0) throw new Error(`host config ${configPath}: $.cardSecurity.cvks has no CVK for deck cards ${uncovered.join(', ')}`);
  const keyless = deck.cards.filter((card) => card.chip && !config.chip.issuerMasterKeys.some((keys) => card.pan.startsWith(keys.binPrefix))).map((card) => `${card.id} (${maskPan(card.pan)})`);
  if (keyless.length > 0) throw new Error(`host config ${configPath}: $.chip.issuerMasterKeys has no keys for chip cards ${keyless.join(', ')}`);

  const rules = loadRiskRules(resolve(dirname(configPath), config.risk.rulesFile));
  return {
    cardSecurity: { cvks, pinTries: createPinTryCounter(connection) },
    amountLimits: createAmountLimits(config.amountLimits),
    risk: openRiskMonitor({ rules, connection, hashCard: createCardHasher(cardHashKey), now, log }),
    acquiring: createAcquiringRules(config.acquiring),
    chip: createChipIssuer(config.chip, createAtcRegister(connection)),
    cardDataBdks: { tdes: Buffer.from(config.security.dataBdk, 'hex'), aes: Buffer.from(config.security.aesDataBdk, 'hex') },
  };
}
