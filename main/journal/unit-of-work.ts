/**
 * The journal's unit of work: one SQLite transaction per change, and with it the change's domain
 * events. An event is handed to the in-transaction handlers (the kept totals' projections, the
 * sale's reactions to a card leg's outcome; next, the head office's outbox) at the moment it is
 * emitted, inside the transaction, so the change, its events and everything derived from them commit
 * together or not at all. Listeners outside (the checkout window, a customer display) get the events only once the
 * transaction has committed, in order; a rolled-back change never reaches them.
 *
 * Units nest: an inner one is a SAVEPOINT of the outer, and its events and after-commit tasks are
 * dropped if it rolls back alone.
 */
import type { DatabaseSync, StatementSync } from 'node:sqlite';
import type { DomainEvent } from '../../common/sale/events.ts';

export type EventHandler = (event: DomainEvent) => void;

export class UnitOfWork {
  readonly #db: DatabaseSync;
  readonly #handlers = new Set<EventHandler>();
  readonly #listeners = new Set<EventHandler>();
  readonly #savepoints: { open: StatementSync; release: StatementSync; rollback: StatementSync }[] = [];
  #depth = 0;
  #events: DomainEvent[] = [];
  #tasks: (() => void)[] = [];

  constructor(db: DatabaseSync) {
    this.#db = db;
  }

  /** Runs `work` atomically; inside another unit it joins it. */
  atomically<T>(work: () => T): T {
    const savepoint = this.#savepoint(this.#depth);
    const marks = { events: this.#events.length, tasks: this.#tasks.length };
    savepoint.open.run();
    this.#depth++;
    let result: T;
    try {
      result = work();
      savepoint.release.run();
    } catch (error) {
      if (this.#db.isTransaction) {
        savepoint.rollback.run();
        savepoint.release.run();
      }
      this.#events.length = marks.events;
      this.#tasks.length = marks.tasks;
      throw error;
    } finally {
      this.#depth--;
    }
    if (this.#depth === 0) this.#committed();
    return result;
  }

  /** Records a domain event of the change under way: in-transaction handlers now, listeners after the commit. */
  emit(event: DomainEvent): void {
    if (this.#depth === 0) {
      this.atomically(() => this.emit(event));
      return;
    }
    this.#events.push(event);
    for (const handler of this.#handlers) handler(event);
  }

  /** Runs `task` once the current unit has committed (at once outside a unit); never if it rolls back. */
  afterCommit(task: () => void): void {
    if (this.#depth === 0) task();
    else this.#tasks.push(task);
  }

  /** A handler that runs inside the emitting transaction: what it writes commits or rolls back with the change. */
  handleInTransaction(handler: EventHandler): () => void {
    this.#handlers.add(handler);
    return () => this.#handlers.delete(handler);
  }

  /** A listener told of each committed event, in order. */
  subscribe(listener: EventHandler): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  /** The SAVEPOINT statements of a depth, prepared once (a unit of work is the journal's hottest path). */
  #savepoint(depth: number): { open: StatementSync; release: StatementSync; rollback: StatementSync } {
    const name = `unit_${depth}`;
    this.#savepoints[depth] ??= {
      open: this.#db.prepare(`SAVEPOINT ${name}`),
      release: this.#db.prepare(`RELEASE ${name}`),
      rollback: this.#db.prepare(`ROLLBACK TO ${name}`),
    };
    return this.#savepoints[depth];
  }

  #committed(): void {
    const events = this.#events;
    const tasks = this.#tasks;
    this.#events = [];
    this.#tasks = [];
    for (const event of events) for (const listener of this.#listeners) listener(event);
    for (const task of tasks) task();
  }
}
