/**
 * Payment notifications waiting to reach their merchant: written in the same unit as the payment,
 * so a notification is never lost to a crash, and retried on a schedule until acknowledged.
 */
import { randomBytes } from 'node:crypto';
import type { DatabaseSync } from 'node:sqlite';

export interface PendingNotification {
  readonly id: number;
  readonly notificationId: string;
  readonly orderId: number;
  readonly notifyUrl: string;
  readonly attempts: number;
}

export interface NotificationOutbox {
  add(orderId: number, notifyUrl: string, nowMs: number): void;
  /** Whether add() was called since the last call (so the notifier is woken only when there is news). */
  takeAdded(): boolean;
  /** Due now, oldest first, at most `limit`, none of `skip` (in flight). */
  due(nowMs: number, limit: number, skip: ReadonlySet<number>): PendingNotification[];
  /** When the next one falls due; undefined when none waits. */
  nextDueMs(): number | undefined;
  delivered(id: number, nowMs: number): void;
  /** Another try at `nextAttemptMs`, or none (`undefined`: given up). */
  failed(id: number, error: string, nextAttemptMs: number | undefined, nowMs: number): void;
}

export function prepareNotificationOutbox(db: DatabaseSync): NotificationOutbox {
  const insert = db.prepare('INSERT INTO wallet_notifications (notification_id, order_id, notify_url, next_attempt_at_ms) VALUES (?, ?, ?, ?)');
  const due = db.prepare('SELECT id, notification_id, order_id, notify_url, attempts FROM wallet_notifications WHERE delivered_at_ms IS NULL AND gave_up_at_ms IS NULL AND next_attempt_at_ms <= ? ORDER BY next_attempt_at_ms LIMIT ?');
  const next = db.prepare('SELECT MIN(next_attempt_at_ms) AS at FROM wallet_notifications WHERE delivered_at_ms IS NULL AND gave_up_at_ms IS NULL');
  const delivered = db.prepare('UPDATE wallet_notifications SET delivered_at_ms = ?, attempts = attempts + 1, last_error = NULL WHERE id = ?');
  const retry = db.prepare('UPDATE wallet_notifications SET attempts = attempts + 1, last_error = ?, next_attempt_at_ms = ? WHERE id = ?');
  const giveUp = db.prepare('UPDATE wallet_notifications SET attempts = attempts + 1, last_error = ?, gave_up_at_ms = ? WHERE id = ?');
  let added = false;
  return {
    add(orderId, notifyUrl, nowMs) {
      insert.run(`N${randomBytes(12).toString('hex').toUpperCase()}`, orderId, notifyUrl, nowMs);
      added = true;
    },
    takeAdded() {
      const was = added;
      added = false;
      return was;
    },
    due(nowMs, limit, skip) {
      const rows = due.all(nowMs, limit + skip.size) as { id: number; notification_id: string; order_id: number; notify_url: string; attempts: number }[];
      return rows
        .filter((row) => !skip.has(row.id))
        .slice(0, limit)
        .map((row) => ({ id: row.id, notificationId: row.notification_id, orderId: row.order_id, notifyUrl: row.notify_url, attempts: row.attempts }));
    },
    nextDueMs: () => (next.get() as { at: number | null }).at ?? undefined,
    delivered: (id, nowMs) => void delivered.run(nowMs, id),
    failed(id, error, nextAttemptMs, nowMs) {
      if (nextAttemptMs === undefined) giveUp.run(error.slice(0, 200), nowMs, id);
      else retry.run(error.slice(0, 200), nextAttemptMs, id);
    },
  };
}
