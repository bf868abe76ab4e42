/**
 * Takes card data out of free text before it is written anywhere a person or a support engineer can
 * read it (log files, support bundles): PCI DSS 3.3 and 10 (no full PAN, no track data in logs).
 *   - track 1 (%B…^…^…) and track 2 (;…=…, or PAN=YYMM… as DE35 carries it) go entirely;
 *   - a run of 13–19 digits that passes the Luhn check is shown masked (first 6, last 4).
 * It is a net, not the rule: code must not log card data in the first place. A Luhn-valid number that
 * is not a PAN (a 13-digit timestamp, say) is masked too; that costs a log reader a few digits.
 */
import { luhnValid, maskPan } from './pan.ts';

const TRACK1 = /%?B\d{12,19}\^[^^\n]{0,26}\^\d{4}[^?\s"]*\??/g;
const TRACK2 = /;?\d{12,19}[=D]\d{4}\d*\??/g;
const DIGIT_RUN = /(?<!\d)\d{13,19}(?!\d)/g;

export const TRACK_DATA_REMOVED = '[track data removed]';

export function scrubCardData(text: string): string {
  return text
    .replace(TRACK1, TRACK_DATA_REMOVED)
    .replace(TRACK2, TRACK_DATA_REMOVED)
    .replace(DIGIT_RUN, (digits) => (luhnValid(digits) ? maskPan(digits) : digits));
}
