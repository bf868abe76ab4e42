/**
 * One stdout line per message the host handles: MTI, STAN, TID, masked PAN, DE39 and time taken.
 * The PAN only ever appears masked; track 2, PIN block and KSN never appear at all.
 */
import { maskPan } from '../../common/card/pan.ts';

export interface ExchangeLogEntry {
  readonly mti: string;
  readonly stan?: string | undefined;
  readonly tid?: string | undefined;
  /** The clear PAN from the request, masked here and nowhere else. */
  readonly pan?: string | undefined;
  readonly responseCode?: string | undefined;
  readonly elapsedMs: number;
  /** Why the message was answered or dropped the way it was, when that is not obvious from DE39. */
  readonly note?: string | undefined;
}

export function formatExchangeLine(entry: ExchangeLogEntry, at: Date = new Date()): string {
  const parts = [
    at.toISOString(),
    entry.mti,
    `stan=${entry.stan ?? '-'}`,
    `tid=${entry.tid === undefined ? '-' : entry.tid.trimEnd()}`,
    `pan=${entry.pan === undefined ? '-' : maskPan(entry.pan)}`,
    `rc=${entry.responseCode ?? '-'}`,
    `${entry.elapsedMs.toFixed(1)}ms`,
  ];
  if (entry.note !== undefined) parts.push(`(${entry.note})`);
  return parts.join(' ');
}
