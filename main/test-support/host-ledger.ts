/**
 * Test support: reads the bundled host's ledger file directly (read-only, beside the running host),
 * to prove what the host did with the station's messages: balances and transaction states.
 */
import { DatabaseSync } from 'node:sqlite';
import { vi } from 'vitest';

function withLedger<T>(ledgerPath: string, read: (db: DatabaseSync) => T): T {
  const db = new DatabaseSync(ledgerPath, { readOnly: true });
  try {
    return read(db);
  } finally {
    db.close();
  }
}

/** What the card may spend now (holds and pending refunds included). */
export function hostAvailableMinor(ledgerPath: string, cardId: string): number {
  const row = withLedger(ledgerPath, (db) => db.prepare('SELECT available_minor FROM accounts WHERE card_id = ?').get(cardId) as { available_minor: number } | undefined);
  if (row === undefined) throw new Error(`the host has no account ${cardId} yet`);
  return row.available_minor;
}

/** The host commits its work in groups; right after it starts, its seeded accounts may not be on disk yet. */
export async function hostAccountsReady(ledgerPath: string, cardId: string): Promise<void> {
  await vi.waitUntil(() => withLedger(ledgerPath, (db) => db.prepare('SELECT 1 FROM accounts WHERE card_id = ?').get(cardId) !== undefined), { timeout: 10_000 });
}

export interface HostTransaction {
  readonly kind: string;
  readonly stan: string;
  readonly rrn: string;
  readonly amount_minor: number;
  readonly state: string;
  readonly reversal_reason: string | null;
}

/** The host's purchases and refunds for a terminal, oldest first. */
export function hostTransactions(ledgerPath: string, tid: string): HostTransaction[] {
  return withLedger(
    ledgerPath,
    (db) => db.prepare('SELECT kind, stan, rrn, amount_minor, state, reversal_reason FROM transactions WHERE tid = ? ORDER BY id').all(tid) as unknown as HostTransaction[],
  );
}
