/**
 * Real-time risk monitoring of purchases, after the card checks and before the ledger: the rules of
 * risk-rules.json run against in-memory windows keyed by card hash and terminal id, and every
 * purchase of a card the host issued leaves one risk-log row (risk-log.ts) and, when the rules ran,
 * one stdout line with the decision and its reasons (the exchange line of the same request carries
 * its STAN; the risk log has both). Only the masked PAN ever leaves this module.
 *
 * Usage per purchase: watch() it, assess() once the card checks passed, settle() with the final
 * answer whatever it was, since declines feed the rules too.
 *
 * On start the windows and histories are rebuilt from the risk log, so a restart neither forgets a
 * card's velocity nor lets a burst straddle it.
 */
import { maskPan } from '../../common/card/pan.ts';
import type { LedgerConnection } from '../issuer/card-checks/ledger-connection.ts';
import { RESPONSE_CODE, type ResponseCode } from '../issuer/response-codes.ts';
import type { CardHasher } from './card-hash.ts';
import type { EntryMode } from '../issuer/purchase-request.ts';
import { evaluateRule, type RiskPurchase } from './evaluate-rule.ts';
import { createRiskLog, type RiskDecision, type RiskLog } from './risk-log.ts';
import type { RiskRule, RiskRules } from './risk-rules.ts';
import { RiskState, type CardEventKind, type RiskStateLimits } from './risk-state.ts';

export interface PurchaseFacts {
  readonly pan: string;
  readonly tid: string;
  readonly stan: string;
  readonly amountMinor: number;
  /** DE49. */
  readonly currencyNumeric: string;
  /** How the card was read (DE22): rules can treat chip, contactless, fallback and swipe apart. */
  readonly entryMode?: EntryMode;
  /** Only these rules (by id) assess the purchase; all of them when left out (wallets: bank/wallet/). */
  readonly ruleIds?: readonly string[];
}

export interface RiskAssessment {
  readonly decision: Exclude<RiskDecision, 'skipped'>;
  /** The decline to answer; undefined when the monitor approves. */
  readonly responseCode: ResponseCode | undefined;
  readonly reasons: readonly string[];
}

export interface WatchedPurchase {
  assess(): RiskAssessment;
  /**
   * Records the purchase's final answer and returns `decision` unchanged. `reasons` are the card
   * checks' own findings worth a reviewer's eye (a cryptogram that failed, a replayed ATC).
   */
  settle<T extends { readonly responseCode: string }>(decision: T, reasons?: readonly string[]): T;
}

export interface RiskMonitor {
  watch(purchase: PurchaseFacts): WatchedPurchase;
}

export interface RiskMonitorOptions {
  readonly rules: RiskRules;
  readonly connection: LedgerConnection;
  readonly hashCard: CardHasher;
  readonly now: () => Date;
  /** One line per assessed purchase; defaults to nothing. */
  readonly log?: (line: string) => void;
}

/** The monitor, and its state for whoever needs to see the memory bounds hold. */
export function openRiskMonitor({ rules, connection, hashCard, now, log = () => {} }: RiskMonitorOptions): RiskMonitor & { readonly state: RiskState } {
  const limits = stateLimits(rules);
  const state = new RiskState(limits);
  const riskLog = createRiskLog(connection);
  rebuild(state, riskLog, limits, now());

  function assess(purchase: RiskPurchase, ruleIds: readonly string[] | undefined): RiskAssessment {
    const history = {
      cardEvents: state.cardEvents(purchase.cardHash, purchase.atMs),
      terminalApprovals: state.terminalApprovals(purchase.tid, purchase.atMs),
      approvedAmounts: state.approvedAmounts(purchase.cardHash),
    };
    let decision: RiskAssessment['decision'] = 'approve';
    const reasons: string[] = [];
    for (const rule of rules.rules) {
      if (ruleIds !== undefined && !ruleIds.includes(rule.id)) continue;
      const hit = evaluateRule(rule, purchase, history);
      if (hit === undefined) continue;
      reasons.push(hit.reason);
      if (hit.action === 'decline-59' || decision === 'approve') decision = hit.action;
    }
    const responseCode = decision === 'decline-59' ? RESPONSE_CODE.suspectedFraud : decision === 'decline-05' ? RESPONSE_CODE.doNotHonour : undefined;
    return { decision, responseCode, reasons };
  }

  return {
    state,
    watch(facts) {
      const at = now();
      let purchase: RiskPurchase | undefined;
      let assessment: RiskAssessment | undefined;
      const riskPurchase = () =>
        (purchase ??= { cardHash: hashCard(facts.pan), tid: facts.tid, amountMinor: facts.amountMinor, atMs: at.getTime(), entryMode: facts.entryMode ?? 'swipe' });
      return {
        assess() {
          assessment = assess(riskPurchase(), facts.ruleIds);
          return assessment;
        },
        settle(decision, checkReasons = []) {
          // A PAN the host did not issue has no risk history to keep.
          if (decision.responseCode === RESPONSE_CODE.invalidCardNumber) return decision;
          const { cardHash, atMs } = riskPurchase();
          const riskDecision = assessment?.decision ?? 'skipped';
          state.record(cardHash, { atMs, tid: facts.tid, amountMinor: facts.amountMinor, kind: eventKind(riskDecision, decision.responseCode) });
          const entry = {
            at: at.toISOString(),
            cardHash,
            maskedPan: maskPan(facts.pan),
            tid: facts.tid,
            stan: facts.stan,
            amountMinor: facts.amountMinor,
            currency: facts.currencyNumeric,
            decision: riskDecision,
            responseCode: decision.responseCode,
            reasons: [...checkReasons, ...(assessment?.reasons ?? [])],
          } as const;
          riskLog.append(entry);
          if (assessment !== undefined || checkReasons.length > 0) {
            log(`${entry.at} risk ${entry.decision} rc=${entry.responseCode} pan=${entry.maskedPan} tid=${entry.tid.trimEnd()} amount=${entry.amountMinor} reasons=${entry.reasons.length === 0 ? '-' : entry.reasons.join('; ')}`);
          }
          return decision;
        },
      };
    },
  };
}

function eventKind(decision: RiskDecision, responseCode: string): CardEventKind {
  if (responseCode === RESPONSE_CODE.approved) return 'approved';
  return decision === 'decline-59' || decision === 'decline-05' ? 'risk-declined' : 'declined';
}

function stateLimits({ memory, rules }: RiskRules): RiskStateLimits {
  const windowMs = (types: readonly RiskRule['type'][]) =>
    Math.max(0, ...rules.flatMap((rule) => (types.includes(rule.type) && 'windowSeconds' in rule ? [rule.windowSeconds * 1000] : [])));
  return {
    maxCards: memory.maxCards,
    maxTerminals: memory.maxTerminals,
    maxEventsPerKey: memory.maxEventsPerKey,
    cardWindowMs: windowMs(['card-velocity', 'card-declines', 'card-terminals']),
    terminalWindowMs: windowMs(['terminal-velocity']),
    historySize: Math.max(0, ...rules.map((rule) => (rule.type === 'amount-vs-history' ? rule.historySize : 0))),
  };
}

/** Replays the risk log: histories first (they reach back furthest), then the windows still open. */
function rebuild(state: RiskState, riskLog: RiskLog, limits: RiskStateLimits, at: Date): void {
  if (limits.historySize > 0) {
    for (const { cardHash, amountMinor } of riskLog.approvedHistory(limits.historySize)) state.addApprovedAmount(cardHash, amountMinor);
  }
  const longestWindowMs = Math.max(limits.cardWindowMs, limits.terminalWindowMs);
  if (longestWindowMs === 0) return;
  for (const entry of riskLog.since(new Date(at.getTime() - longestWindowMs).toISOString())) {
    const atMs = Date.parse(entry.at);
    const kind = eventKind(entry.decision, entry.responseCode);
    state.addCardEvent(entry.cardHash, { atMs, tid: entry.tid, amountMinor: entry.amountMinor, kind });
    if (kind === 'approved') state.addTerminalApproval(entry.tid, { atMs, amountMinor: entry.amountMinor });
  }
}
