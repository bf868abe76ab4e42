/**
 * DE62 of a 0510 that answers a close after batch upload (0500 960000), profile v4: the uploads the
 * host did not adopt. An upload carries no card, so the host can adopt only a transaction it holds
 * (by RRN, DE37); the others, and any whose RRN belongs to a transaction outside the batch, are
 * listed here, so the terminal learns which of its records the acquirer does not stand behind.
 *
 *   count n3 (all of them, at most 999) | RRN an12 … (the first 82 of them: 3 + 82 × 12 = 987 ≤ 999)
 *
 * Left out of a 0510 when every upload was adopted.
 */
export const UPLOADS_NOT_ADOPTED_FIELD = 62;
const RRN_LENGTH = 12;
const MAX_LISTED = 82;

export function formatUploadsNotAdopted(rrns: readonly string[]): string {
  const count = Math.min(rrns.length, 999);
  return `${String(count).padStart(3, '0')}${rrns
    .slice(0, MAX_LISTED)
    .map((rrn) => rrn.padEnd(RRN_LENGTH, ' ').slice(0, RRN_LENGTH))
    .join('')}`;
}

/** The count and the RRNs listed; undefined when the text does not follow the layout. */
export function readUploadsNotAdopted(text: string): { readonly count: number; readonly rrns: readonly string[] } | undefined {
  const match = /^(\d{3})((?:.{12})*)$/s.exec(text);
  if (match === null) return undefined;
  const count = Number(match[1]);
  const rrns = (match[2]!.match(/.{12}/gs) ?? []).map((rrn) => rrn.trim());
  if (rrns.length > count || rrns.length > MAX_LISTED) return undefined;
  return { count, rrns };
}
