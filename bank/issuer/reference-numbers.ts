/** The identifiers an approval hands back: DE38 approval code and DE37 retrieval reference number. */
import { randomInt } from 'node:crypto';

/** DE38 an6: six random digits, as an issuer's authorization system would assign. */
export function newApprovalCode(): string {
  return String(randomInt(0, 1_000_000)).padStart(6, '0');
}

/**
 * DE37 an12 in the usual YDDDhhNNNNNN layout (UTC): last digit of the year, day of the year, hour,
 * then the ledger's sequence. Unique as long as fewer than a million approvals share one hour; the
 * ledger's UNIQUE constraint refuses a repeat rather than hand out a duplicate.
 */
export function formatRrn(at: Date, sequence: number): string {
  const startOfYear = Date.UTC(at.getUTCFullYear(), 0, 1);
  const dayOfYear = Math.floor((at.getTime() - startOfYear) / 86_400_000) + 1;
  return `${at.getUTCFullYear() % 10}${String(dayOfYear).padStart(3, '0')}${String(at.getUTCHours()).padStart(2, '0')}${String(sequence % 1_000_000).padStart(6, '0')}`;
}
