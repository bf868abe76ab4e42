/**
 * The issuer's own cardholder verification policy for chip and contactless purchases. The request's
 * CVM results (9F34) are the terminal's word and no cryptogram covers them, so the issuer does not
 * let them decide whether a PIN was due; it decides from what it knows and what the ARQC covers:
 *
 *   contact (DE22 05x)      every chip card this issuer personalised lists online PIN first (after
 *                           offline PIN, which no terminal of this acquirer performs), and every
 *                           terminal of this acquirer has a PIN pad: an insert always needs the
 *                           online PIN. No PIN bypass.
 *   contactless (DE22 07x)  the amount, bound to DE4 under the cryptogram (9F02), above the issuer's
 *                           no-CVM limit needs the online PIN (China's small-amount no-PIN rule lets
 *                           1,000.00 CNY itself go without).
 *
 * A purchase that lacks the PIN its policy asks for is declined 55, with the reason in the risk log.
 * The same request sent again with the PIN is checked afresh (the ATC is recorded only once the
 * PIN requirement is met).
 */
export interface CvmPolicy {
  /** Contactless amounts above this (minor units) need the online PIN. */
  readonly contactlessCvmLimitMinor: number;
}

export function missingCvm(entryMode: 'chip' | 'contactless', amountMinor: number, pinPresent: boolean, policy: CvmPolicy): string | undefined {
  if (pinPresent) return undefined;
  if (entryMode === 'chip') return 'cvm: a contact purchase needs the online PIN and carries none';
  if (amountMinor > policy.contactlessCvmLimitMinor) return `cvm: a tap of ${amountMinor} is above the no-CVM limit ${policy.contactlessCvmLimitMinor} and carries no PIN`;
  return undefined;
}
