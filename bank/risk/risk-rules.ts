/**
 * The risk rules file (bank/config/risk-rules.json): which rules the real-time risk monitor applies,
 * their thresholds and what each does when it fires, plus the memory bounds of its in-memory state.
 * Validated on load; an error names the file and the JSON path of every bad value.
 *
 * Rule types (every window slides: it ends at the transaction being decided):
 *   card-velocity      approvals of one card in the window: count and/or summed amount, this one included
 *   terminal-velocity  the same per terminal (DE41)
 *   amount-vs-history  amount above `multiplier` × the median of the card's last `historySize`
 *                      approvals, once it has at least `minHistory` of them
 *   card-declines      the card already has `maxDeclines` declines (any but the risk monitor's own)
 *                      in the window
 *   card-terminals     the card has been tried at more than `maxTerminals` terminals in the window,
 *                      this one included
 *   entry-mode-amount  a purchase read in one of `entryModes` (swipe, chip, contactless, fallback:
 *                      DE22) above `maxAmountMinor`, e.g. a fallback swipe above an amount
 * Actions: "decline-59" (suspected fraud) or "decline-05" (do not honour). When several rules fire
 * the purchase is declined 59 if any of them says so, else 05.
 */
import { z } from 'zod';
import { readJsonFile } from '../json-file.ts';

const ruleId = z.string().regex(/^[a-z0-9-]{1,64}$/, 'lower-case letters, digits and dashes');
const windowSeconds = z.number().int().min(1).max(31 * 86_400);
const positiveCount = z.number().int().min(1);
const action = z.enum(['decline-59', 'decline-05']);
const common = { id: ruleId, description: z.string().optional(), action };

const VelocityRule = <T extends 'card-velocity' | 'terminal-velocity'>(type: T) =>
  z.strictObject({
    ...common,
    type: z.literal(type),
    windowSeconds,
    maxCount: positiveCount.optional(),
    maxAmountMinor: z.number().int().min(1).optional(),
  });

export const RiskRuleSchema = z.discriminatedUnion('type', [
  VelocityRule('card-velocity'),
  VelocityRule('terminal-velocity'),
  z.strictObject({
    ...common,
    type: z.literal('amount-vs-history'),
    multiplier: z.number().gt(1).max(1_000),
    historySize: z.number().int().min(1).max(100),
    minHistory: positiveCount,
  }),
  z.strictObject({ ...common, type: z.literal('card-declines'), windowSeconds, maxDeclines: positiveCount }),
  z.strictObject({ ...common, type: z.literal('card-terminals'), windowSeconds, maxTerminals: positiveCount }),
  z.strictObject({
    ...common,
    type: z.literal('entry-mode-amount'),
    entryModes: z.array(z.enum(['swipe', 'chip', 'contactless', 'fallback'])).min(1),
    maxAmountMinor: z.number().int().min(0),
  }),
]);
export type RiskRule = z.infer<typeof RiskRuleSchema>;
export type RiskAction = z.infer<typeof action>;

export const RiskRulesSchema = z
  .strictObject({
    description: z.string().optional(),
    /** Bounds on the monitor's in-memory state, so no traffic pattern can grow it without limit. */
    memory: z.strictObject({
      description: z.string().optional(),
      /** Cards whose windows and history are kept; the least recently seen is forgotten first. */
      maxCards: z.number().int().min(1).max(10_000_000),
      maxTerminals: z.number().int().min(1).max(1_000_000),
      /** Events kept per card or terminal within its window; older ones beyond it are dropped. */
      maxEventsPerKey: z.number().int().min(2).max(100_000),
    }),
    rules: z.array(RiskRuleSchema),
  })
  .superRefine(({ memory, rules }, context) => {
    const ids = new Set<string>();
    rules.forEach((rule, index) => {
      if (ids.has(rule.id)) context.addIssue({ code: 'custom', path: ['rules', index, 'id'], message: 'rule id already used' });
      ids.add(rule.id);
      const tooMany = (field: string, value: number | undefined) => {
        // A count must be reachable inside the bounded window, or the rule could never fire.
        if (value !== undefined && value >= memory.maxEventsPerKey) {
          context.addIssue({ code: 'custom', path: ['rules', index, field], message: `must be below memory.maxEventsPerKey (${memory.maxEventsPerKey})` });
        }
      };
      switch (rule.type) {
        case 'card-velocity':
        case 'terminal-velocity':
          if (rule.maxCount === undefined && rule.maxAmountMinor === undefined) {
            context.addIssue({ code: 'custom', path: ['rules', index], message: 'needs maxCount, maxAmountMinor or both' });
          }
          tooMany('maxCount', rule.maxCount);
          break;
        case 'amount-vs-history':
          if (rule.minHistory > rule.historySize) context.addIssue({ code: 'custom', path: ['rules', index, 'minHistory'], message: 'must not exceed historySize' });
          break;
        case 'card-declines':
          tooMany('maxDeclines', rule.maxDeclines);
          break;
        case 'card-terminals':
          tooMany('maxTerminals', rule.maxTerminals);
          break;
      }
    });
  });
export type RiskRules = z.infer<typeof RiskRulesSchema>;

export function loadRiskRules(path: string): RiskRules {
  return readJsonFile(path, RiskRulesSchema, 'risk rules');
}
