/**
 * Voids: the cashier takes back an approved purchase or refund of the open batch. The station
 * checks it may (isVoidable), queues the 0400 reason 17 and sends it at once when the link is up.
 * A void the host has not confirmed yet stays "reversal pending" and the queue keeps sending it;
 * it can never be lost, nor sent as a second, different message.
 */
import type { JournalEntry } from '../../common/journal.ts';
import type { ReversalPort } from '../checkout/ports.ts';
import type { TillLock } from '../checkout/till-lock.ts';
import { IpcRejection } from '../ipc/dispatcher.ts';
import { isVoidable, type Journal } from '../journal/journal.ts';

export interface VoidDependencies {
  readonly journal: Journal;
  readonly reversals: ReversalPort;
  /** Signs on if the link is down, then sends what is queued. */
  readonly deliver: () => Promise<void>;
  readonly tillLock: TillLock;
}

export async function voidTransaction(deps: VoidDependencies, transactionId: number): Promise<JournalEntry> {
  const { journal } = deps;
  const release = deps.tillLock.acquire('a void');
  try {
    const row = journal.row(transactionId);
    if (row === undefined || (row.kind !== 'purchase' && row.kind !== 'refund')) throw new IpcRejection('not_found', `no purchase or refund ${transactionId} in the journal`);
    if (!isVoidable(row, journal.openBatch().id)) {
      const why =
        row.status !== 'approved' ? `it is ${row.status.replace('_', ' ')}` : row.batchId !== journal.openBatch().id ? 'its batch is closed' : 'refunds of it stand: void those first';
      throw new IpcRejection('rejected', `${row.kind} ${transactionId} cannot be voided: ${why}`);
    }
    deps.reversals.queue(transactionId, '17');
    await deps.deliver();
    const entry = journal.entry(transactionId);
    if (entry === undefined) throw new Error(`journal row ${transactionId} vanished`);
    return entry;
  } finally {
    release();
  }
}
