/**
 * One stdout line per message the host handles: MTI, STAN, TID, masked PAN, DE39 and time taken.
 * The PAN only ever appears masked; track 2, PIN block and KSN never appear at all.
 */
import { maskPan } from '../../common/card/pan.ts';

export interface ExchangeLogEntry {
  readonly mti: string;
  readonly stan?: string | undefined;
  readonly tid?: string | undefined;
  /** Only ever masked (maskedPanOf): the log never receives a clear PAN. */
  readonly maskedPan?: string | undefined;
  readonly responseCode?: string | undefined;
  readonly elapsedMs: number;
  /** Why the message was answered or dropped the way it was, when that is not obvious from DE39. */
  readonly note?: string | undefined;
}

/** DE2 of a request, masked on the way in, so no clear PAN reaches a log entry. */
export function maskedPanOf(pan: string | undefined): string | undefined {
  return pan === undefined ? undefined : maskPan(pan);
}

export function formatExchangeLine(entry: ExchangeLogEntry, at: Date = new Date()): string {
  const parts = [
    at.toISOString(),
    entry.mti,
    `stan=${entry.stan ?? '-'}`,
    `tid=${entry.tid === undefined ? '-' : entry.tid.trimEnd()}`,
    `pan=${entry.maskedPan ?? '-'}`,
    `rc=${entry.responseCode ?? '-'}`,
    `${entry.elapsedMs.toFixed(1)}ms`,
  ];
  if (entry.note !== undefined) parts.push(`(${entry.note})`);
  return parts.join(' ');
}
