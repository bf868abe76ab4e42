/**
 * Duplicate detection: a request whose DE11 + DE41 + DE7 equal those of one the host answered
 * within the window is a retransmission, answered 94 with no effect. The key also carries the MTI
 * class (020 for 0200, 032 for 0320, …), so only requests of the same kind can collide.
 *
 * Checked for 0200, 0320 and 0500, the requests with an effect or a decision to repeat. Not for
 * reversals (0400/0401): they are idempotent by design and a station repeats them until answered.
 * Not for 0800: network management has no effect to protect.
 *
 * The answered keys live in the ledger (recent-requests.ts), written in the request's own unit of
 * work, so a duplicate is still caught after a host restart within the window.
 */
import { getText, type IsoMessage } from '../../payments/iso8583/message.ts';
import { mtiMatchClass } from '../../payments/iso8583/mti.ts';
import type { RecentRequests } from '../ledger/recent-requests.ts';

const GUARDED_MTIS: ReadonlySet<string> = new Set(['0200', '0320', '0500']);

export interface DuplicateGuard {
  /**
   * Whether `request` repeats one answered within the window. A request that is not a duplicate
   * is remembered, so call this once per request, inside the request's unit of work.
   */
  isDuplicate(request: IsoMessage): boolean;
}

export function createDuplicateGuard(recent: RecentRequests, windowMs: number, now: () => Date): DuplicateGuard {
  return {
    isDuplicate(request) {
      if (!GUARDED_MTIS.has(request.mti)) return false;
      const stan = getText(request, 11);
      const tid = getText(request, 41);
      const transmitted = getText(request, 7);
      // Without its key fields the request fails its format check; there is nothing to compare.
      if (stan === undefined || tid === undefined || transmitted === undefined) return false;
      // DE7 first: keys arrive in about time order, so the ledger's index grows at its end.
      return !recent.remember(`${transmitted}|${stan}|${tid}|${mtiMatchClass(request.mti)}`, now().getTime(), windowMs);
    },
  };
}
