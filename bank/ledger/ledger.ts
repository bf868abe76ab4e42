/**
 * The issuer's ledger in SQLite (node:sqlite): accounts, approved purchases and refunds, terminal
 * batches, batch uploads and the duplicate window. Accounts are keyed by the deck's card id and
 * rows carry only the masked PAN, so the database never holds a full PAN (PCI DSS 3.4), nor any
 * track, PIN or PIN block data. Accounts are seeded from the deck when first seen and never
 * overwritten, so balances survive a restart.
 *
 * Durability: the host answers no request before the unit holding its effect is on disk
 * (unit-of-work.ts), so neither a kill -9 of the host nor a power cut can lose an answered
 * approval. Without group commit (tools, tests) that is WAL with synchronous=FULL: COMMIT returns
 * once the WAL is fsynced. With group commit (the host) COMMIT only writes the WAL
 * (synchronous=NORMAL) and the fsync runs off the event loop (wal-sync.ts), one at a time, each
 * shared by every group committed before it started.
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import type { TestDeckCard } from '../../common/test-deck.ts';
import { prepareAccounts, type Accounts } from './accounts.ts';
import { prepareBatches, type Batches } from './batches.ts';
import { prepareRecentRequests, type RecentRequests } from './recent-requests.ts';
import { migrateLedger } from './schema.ts';
import { prepareTransactions, type TransactionRecord, type Transactions } from './transactions.ts';
import { createUnitOfWork, type CommitListener, type CommitStats, type DurabilityLostError } from './unit-of-work.ts';
import { walSync } from './wal-sync.ts';

export const LEDGER_FILE_NAME = 'ledger.sqlite';

/** An approved purchase or refund, as the issuer hands it to the ledger. */
interface ApprovedTransaction {
  readonly cardId: string;
  readonly maskedPan: string;
  readonly stan: string;
  readonly tid: string;
  readonly merchantId: string;
  /** DE7 of the request, so a reversal's DE90 can find the transaction. */
  readonly transmissionDateTime: string;
  readonly amountMinor: number;
  readonly currency: string;
  readonly approvalCode: string;
  readonly postedAt: Date;
  /** Formats the retrieval reference number from the ledger's next sequence value. */
  rrnFor(sequence: number): string;
}

export type PurchasePosting = ApprovedTransaction;

export interface RefundPosting extends ApprovedTransaction {
  /** The purchase the refund gives money back for. */
  readonly original: TransactionRecord;
}

export type PostingResult = { readonly ok: true; readonly rrn: string } | { readonly ok: false; readonly reason: 'insufficient_funds' | 'no_account' };

export interface LedgerOptions {
  /**
   * Group commit (the host server): units commit together on the next turn of the event loop, and
   * callers must hold every answer until afterCommit() calls back. Without it (the default, for
   * tools and tests) every unit has committed when its call returns.
   */
  readonly groupCommit?: boolean;
  /**
   * Group commit: an fsync failed, so what is on disk is unknown; the ledger refuses further work.
   * The host process should stop and be restarted (it then reads back what is truly on disk).
   * Without it the error is thrown from the fsync's callback.
   */
  readonly onDurabilityLost?: (error: DurabilityLostError) => void;
}

export interface Ledger {
  readonly path: string;
  /**
   * The connection, for the issuer's card checks and risk monitor to keep their own tables in the
   * same file. Their writes must run inside atomically(), so they commit with the request.
   */
  readonly db: DatabaseSync;
  readonly accounts: Accounts;
  readonly transactions: Transactions;
  readonly batches: Batches;
  readonly recentRequests: RecentRequests;
  /** Runs one request's reads and writes as one atomic unit; calls inside it join it. */
  atomically<T>(work: () => T): T;
  /** Calls `listener` once every unit run so far is durable, or with the error that lost it. */
  afterCommit(listener: CommitListener): void;
  /** Creates accounts for cards not yet in the ledger; returns how many were created. */
  seedAccounts(cards: readonly TestDeckCard[]): number;
  availableMinor(cardId: string): number | undefined;
  /** Holds the amount on the account and records the purchase in the terminal's open batch, or changes nothing. */
  postPurchase(posting: PurchasePosting): PostingResult;
  /** Credits the account, counts the refund against its purchase and records it in the terminal's open batch. */
  postRefund(refund: RefundPosting): { readonly rrn: string };
  /** How many units, commits and fsyncs the ledger has run since it opened. */
  commitStats(): CommitStats;
  /** Commits what is pending and closes the file. */
  close(): void;
}

export function openLedger(dataDir: string, options: LedgerOptions = {}): Ledger {
  mkdirSync(dataDir, { recursive: true });
  const path = join(dataDir, LEDGER_FILE_NAME);
  // Foreign keys stay off while migrations rebuild tables, as SQLite's ALTER TABLE procedure requires.
  const db = new DatabaseSync(path, { enableForeignKeyConstraints: false });
  try {
    // synchronous=FULL: every commit is fsynced. Group commit (NORMAL) fsyncs the WAL itself, off the
    // event loop, before any answer (wal-sync.ts); either way an acknowledged authorization survives
    // kill -9 and power loss alike. Checkpoints (copying the WAL into the database) block the event
    // loop while they fsync the database file; every 16384 pages (~64 MiB of WAL) instead of
    // SQLite's 1000 keeps them off the authorization path without touching durability.
    const synchronous = options.groupCommit === true ? 'NORMAL' : 'FULL';
    db.exec(`PRAGMA journal_mode = WAL; PRAGMA synchronous = ${synchronous}; PRAGMA busy_timeout = 5000; PRAGMA wal_autocheckpoint = 16384; PRAGMA cache_size = -65536;`);
    migrateLedger(db);
    db.exec('PRAGMA foreign_keys = ON;');
  } catch (error) {
    db.close();
    throw error;
  }

  const durability = options.groupCommit === true ? walSync(path) : undefined;
  const unit = createUnitOfWork(db, {
    grouped: options.groupCommit === true,
    ...(durability === undefined ? {} : { durability }),
    ...(options.onDurabilityLost === undefined ? {} : { onDurabilityLost: options.onDurabilityLost }),
  });
  const accounts = prepareAccounts(db);
  const transactions = prepareTransactions(db, accounts);
  const batches = prepareBatches(db);
  const recentRequests = prepareRecentRequests(db);

  function record(kind: 'purchase' | 'refund', approved: ApprovedTransaction, originalId: number | undefined): string {
    const rrn = approved.rrnFor(transactions.nextRrnSequence());
    transactions.insert({
      ...approved,
      kind,
      rrn,
      approvedAt: approved.postedAt,
      originalId,
      batchId: batches.openBatchId(approved.tid, approved.postedAt),
    });
    return rrn;
  }

  return {
    path,
    db,
    accounts,
    transactions,
    batches,
    recentRequests,
    atomically: (work) => unit.run(work),
    afterCommit: (listener) => unit.afterCommit(listener),
    seedAccounts: (cards) => unit.run(() => accounts.seed(cards)),
    availableMinor: (cardId) => accounts.availableMinor(cardId),
    postPurchase(posting) {
      return unit.run<PostingResult>(() => {
        if (accounts.spend(posting.cardId, posting.amountMinor)) return { ok: true, rrn: record('purchase', posting, undefined) };
        return { ok: false, reason: accounts.availableMinor(posting.cardId) === undefined ? 'no_account' : 'insufficient_funds' };
      });
    },
    postRefund(refund) {
      return unit.run(() => {
        accounts.adjustAvailable(refund.cardId, refund.amountMinor);
        transactions.addRefunded(refund.original.id, refund.amountMinor);
        return { rrn: record('refund', refund, refund.original.id) };
      });
    },
    commitStats: () => unit.stats(),
    close() {
      unit.flush();
      durability?.close();
      db.close();
    },
  };
}
