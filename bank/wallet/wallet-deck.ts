/**
 * The platform's wallet file: the test wallet deck (common/test-wallets.ts format) loaded and
 * checked: ids, user numbers and logins unique, and every risk rule a wallet names must exist.
 */
import { TestWalletDeckSchema, type TestWallet } from '../../common/test-wallets.ts';
import { readJsonFile } from '../json-file.ts';

export function loadWalletDeck(path: string, knownRuleIds: readonly string[]): readonly TestWallet[] {
  const schema = TestWalletDeckSchema.superRefine((deck, context) => {
    for (const key of ['id', 'userId', 'login'] as const) {
      const seen = new Set<string>();
      deck.wallets.forEach((wallet, index) => {
        if (seen.has(wallet[key])) context.addIssue({ code: 'custom', path: ['wallets', index, key], message: `${key} already used by another wallet` });
        seen.add(wallet[key]);
      });
    }
    deck.wallets.forEach((wallet, index) => {
      if (wallet.riskRules === 'all') return;
      wallet.riskRules.forEach((ruleId, ruleIndex) => {
        if (!knownRuleIds.includes(ruleId)) context.addIssue({ code: 'custom', path: ['wallets', index, 'riskRules', ruleIndex], message: `no risk rule "${ruleId}" in the host's rules file` });
      });
    });
  });
  return readJsonFile(path, schema, 'wallet deck').wallets;
}

/** "13800000001" → "138****0001": all a merchant learns of the payer. */
export function maskLogin(login: string): string {
  return `${login.slice(0, 3)}****${login.slice(-4)}`;
}
