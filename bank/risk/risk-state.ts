/**
 * The risk monitor's memory: per card (by card hash) its recent transactions and the amounts of its
 * last approvals, per terminal its recent approvals. Everything is bounded: LRU maps cap the number
 * of cards and terminals, each key keeps only events inside the longest window a rule looks at, and
 * at most `maxEventsPerKey` of those (rules-file validation keeps every count threshold below it,
 * so a count rule still fires; a summed amount can then only be undercounted, never overcounted).
 */
import { LruCache } from '../../payments/crypto/lru-cache.ts';

/** What became of a card's transaction: approved, declined by the card checks or ledger, or by the monitor. */
export type CardEventKind = 'approved' | 'declined' | 'risk-declined';

export interface CardEvent {
  readonly atMs: number;
  readonly tid: string;
  readonly amountMinor: number;
  readonly kind: CardEventKind;
}

export interface TerminalApproval {
  readonly atMs: number;
  readonly amountMinor: number;
}

export interface RiskStateLimits {
  readonly maxCards: number;
  readonly maxTerminals: number;
  readonly maxEventsPerKey: number;
  /** The longest window of any card rule, and of any terminal rule. */
  readonly cardWindowMs: number;
  readonly terminalWindowMs: number;
  /** The most approved amounts any history rule looks back on. */
  readonly historySize: number;
}

interface CardState {
  events: CardEvent[];
  /** Oldest first. */
  approvedAmounts: number[];
}

export class RiskState {
  readonly #limits: RiskStateLimits;
  readonly #cards: LruCache<string, CardState>;
  readonly #terminals: LruCache<string, TerminalApproval[]>;

  constructor(limits: RiskStateLimits) {
    this.#limits = limits;
    this.#cards = new LruCache(limits.maxCards);
    this.#terminals = new LruCache(limits.maxTerminals);
  }

  get cardCount(): number {
    return this.#cards.size;
  }

  get terminalCount(): number {
    return this.#terminals.size;
  }

  /** The card's events inside the card window ending at `nowMs`, oldest first. */
  cardEvents(cardHash: string, nowMs: number): readonly CardEvent[] {
    const card = this.#cards.get(cardHash);
    if (card === undefined) return [];
    dropBefore(card.events, nowMs - this.#limits.cardWindowMs);
    return card.events;
  }

  /** The card's last approved amounts, oldest first. */
  approvedAmounts(cardHash: string): readonly number[] {
    return this.#cards.get(cardHash)?.approvedAmounts ?? [];
  }

  terminalApprovals(tid: string, nowMs: number): readonly TerminalApproval[] {
    const approvals = this.#terminals.get(tid);
    if (approvals === undefined) return [];
    dropBefore(approvals, nowMs - this.#limits.terminalWindowMs);
    return approvals;
  }

  /** A transaction's outcome: it joins the card's window, and when approved, the terminal's and the card's history. */
  record(cardHash: string, event: CardEvent): void {
    this.addCardEvent(cardHash, event);
    if (event.kind !== 'approved') return;
    this.addApprovedAmount(cardHash, event.amountMinor);
    this.addTerminalApproval(event.tid, { atMs: event.atMs, amountMinor: event.amountMinor });
  }

  /** Adds to the card's history (on rebuild too: an approval older than every window still counts there). */
  addApprovedAmount(cardHash: string, amountMinor: number): void {
    const card = this.#card(cardHash);
    card.approvedAmounts.push(amountMinor);
    trim(card.approvedAmounts, this.#limits.historySize);
  }

  /** Adds to the card's window only (on rebuild the history is restored separately). */
  addCardEvent(cardHash: string, event: CardEvent): void {
    const card = this.#card(cardHash);
    card.events.push(event);
    trim(card.events, this.#limits.maxEventsPerKey);
  }

  /** Adds to the terminal's window. */
  addTerminalApproval(tid: string, approval: TerminalApproval): void {
    let approvals = this.#terminals.get(tid);
    if (approvals === undefined) {
      approvals = [];
      this.#terminals.set(tid, approvals);
    }
    approvals.push(approval);
    trim(approvals, this.#limits.maxEventsPerKey);
  }

  #card(cardHash: string): CardState {
    let card = this.#cards.get(cardHash);
    if (card === undefined) {
      card = { events: [], approvedAmounts: [] };
      this.#cards.set(cardHash, card);
    }
    return card;
  }
}

/** Events arrive in time order, so the expired ones are at the front. */
function dropBefore(events: { atMs: number }[], cutoffMs: number): void {
  let expired = 0;
  while (expired < events.length && events[expired]!.atMs <= cutoffMs) expired++;
  if (expired > 0) events.splice(0, expired);
}

function trim(items: unknown[], max: number): void {
  if (items.length > max) items.splice(0, items.length - max);
}
