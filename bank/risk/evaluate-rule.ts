/**
 * Whether one risk rule fires for a purchase, and why, in words a reviewer can check against the
 * risk log. Pure: it reads what the monitor knows of the card and terminal and changes nothing.
 * Rule semantics: risk-rules.ts.
 */
import type { EntryMode } from '../issuer/purchase-request.ts';
import type { RiskAction, RiskRule } from './risk-rules.ts';
import type { CardEvent, TerminalApproval } from './risk-state.ts';

export interface RiskPurchase {
  readonly cardHash: string;
  readonly tid: string;
  readonly amountMinor: number;
  readonly atMs: number;
  readonly entryMode: EntryMode;
}

/** What the monitor knows when the purchase arrives, fetched once for all the rules. */
export interface RiskHistory {
  /** The card's events inside the longest card window, oldest first. */
  readonly cardEvents: readonly CardEvent[];
  /** The terminal's approvals inside the longest terminal window, oldest first. */
  readonly terminalApprovals: readonly TerminalApproval[];
  /** The card's last approved amounts, oldest first. */
  readonly approvedAmounts: readonly number[];
}

export interface RuleHit {
  readonly action: RiskAction;
  /** "<rule id>: <what was seen> (<threshold>)". */
  readonly reason: string;
}

export function evaluateRule(rule: RiskRule, purchase: RiskPurchase, history: RiskHistory): RuleHit | undefined {
  const reason = reasonToFire(rule, purchase, history);
  return reason === undefined ? undefined : { action: rule.action, reason: `${rule.id}: ${reason}` };
}

// Every purchase runs every rule, so the windows are walked newest first, stopping at the window's
// start (events are in time order), and counted in place rather than filtered into new arrays.
function reasonToFire(rule: RiskRule, purchase: RiskPurchase, history: RiskHistory): string | undefined {
  if (rule.type === 'entry-mode-amount') {
    return rule.entryModes.includes(purchase.entryMode) && purchase.amountMinor > rule.maxAmountMinor
      ? `${purchase.entryMode} purchase of ${purchase.amountMinor} is above ${rule.maxAmountMinor}`
      : undefined;
  }
  const since = purchase.atMs - (rule.type === 'amount-vs-history' ? 0 : rule.windowSeconds * 1000);
  switch (rule.type) {
    case 'card-velocity':
      return velocityReason(rule, 'card', windowTotals(history.cardEvents, since, (event) => event.kind === 'approved'), purchase.amountMinor);
    case 'terminal-velocity':
      return velocityReason(rule, 'terminal', windowTotals(history.terminalApprovals, since, () => true), purchase.amountMinor);
    case 'amount-vs-history': {
      const amounts = history.approvedAmounts.slice(-rule.historySize);
      if (amounts.length < rule.minHistory) return undefined;
      const typical = median(amounts);
      return purchase.amountMinor > rule.multiplier * typical
        ? `amount ${purchase.amountMinor} is more than ${rule.multiplier} × the median ${typical} of the card's last ${amounts.length} approvals`
        : undefined;
    }
    case 'card-declines': {
      const declines = windowTotals(history.cardEvents, since, (event) => event.kind === 'declined').count;
      return declines >= rule.maxDeclines ? `${declines} declines in ${rule.windowSeconds}s (max ${rule.maxDeclines - 1} before this one)` : undefined;
    }
    case 'card-terminals': {
      const terminals = new Set([purchase.tid]);
      const events = history.cardEvents;
      for (let i = events.length - 1; i >= 0 && events[i]!.atMs > since; i--) terminals.add(events[i]!.tid);
      return terminals.size > rule.maxTerminals ? `card used at ${terminals.size} terminals in ${rule.windowSeconds}s (max ${rule.maxTerminals})` : undefined;
    }
  }
}

/** How many events after `since` match, and their summed amount. */
function windowTotals<T extends { readonly atMs: number; readonly amountMinor: number }>(events: readonly T[], since: number, counts: (event: T) => boolean): { count: number; amountMinor: number } {
  let count = 0;
  let amountMinor = 0;
  for (let i = events.length - 1; i >= 0 && events[i]!.atMs > since; i--) {
    const event = events[i]!;
    if (!counts(event)) continue;
    count++;
    amountMinor += event.amountMinor;
  }
  return { count, amountMinor };
}

function velocityReason(
  rule: { windowSeconds: number; maxCount?: number | undefined; maxAmountMinor?: number | undefined },
  scope: 'card' | 'terminal',
  approved: { count: number; amountMinor: number },
  amountMinor: number,
): string | undefined {
  const count = approved.count + 1;
  if (rule.maxCount !== undefined && count > rule.maxCount) {
    return `${count} ${scope} approvals in ${rule.windowSeconds}s with this one (max ${rule.maxCount})`;
  }
  const total = approved.amountMinor + amountMinor;
  if (rule.maxAmountMinor !== undefined && total > rule.maxAmountMinor) {
    return `${scope} total ${total} in ${rule.windowSeconds}s with this one (max ${rule.maxAmountMinor})`;
  }
  return undefined;
}

/** Of a short list (a card's history): sorts a copy. The mean of the middle two for an even count. */
export function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
}
