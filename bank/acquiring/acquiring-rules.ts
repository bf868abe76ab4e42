/** The acquirer's routing checks, answered before an issuer looks at the card. */
import type { AcquiringConfig, FinancialKind } from './acquiring-config.ts';

export interface AcquiringRules {
  /** Whether the terminal (DE41, as on the wire) may run this kind of transaction. */
  terminalMay(terminalId: string, kind: FinancialKind): boolean;
  /** Whether the card's issuer is unreachable, by the PAN's BIN. */
  issuerDown(pan: string): boolean;
  /** ISO 3166 numeric (3 digits) of the country the terminal stands in. */
  terminalCountry(terminalId: string): string;
}

export function createAcquiringRules(config: AcquiringConfig): AcquiringRules {
  const permissions = new Map(Object.entries(config.terminalPermissions).map(([terminalId, kinds]) => [terminalId, new Set(kinds)]));
  const outages = config.issuerOutages.map((outage) => outage.binPrefix);
  return {
    terminalMay: (terminalId, kind) => permissions.get(terminalId)?.has(kind) ?? true,
    issuerDown: (pan) => outages.some((prefix) => pan.startsWith(prefix)),
    terminalCountry: () => config.terminalCountry,
  };
}
