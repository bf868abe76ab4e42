/**
 * Delivers payment notifications from the ledger's outbox to the merchants' notify URLs: a signed
 * POST (signature.ts, like a response), acknowledged by any 2xx answer; anything else (another
 * status, a refused connection, no answer within attemptTimeoutMs) is tried again after the next
 * delay of retryScheduleMs, and given up (logged) after the last. The outbox is in the ledger, so
 * a restart resumes where delivery stood; a notification may therefore arrive more than once, and
 * the merchant must take duplicates calmly (the station's client does: payments/wallet/).
 */
import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { MESSAGE_HEADERS, messageCanonical, newNonce, signCanonical, unixSeconds, type SigningKey } from '../../payments/wallet/signature.ts';
import { NOTIFICATION_EVENT, type Notification, type Order } from '../../payments/wallet/wallet-api.ts';
import type { NotificationOutbox, PendingNotification } from './notification-outbox.ts';

export interface NotifierOptions {
  readonly outbox: NotificationOutbox;
  /** The order as the merchant API shows it now, and its merchant. */
  order(orderId: number): { mchid: string; view: Order };
  signingKey(mchid: string): SigningKey;
  atomically<T>(work: () => T): T;
  /** The ledger's afterCommit: due rows are read only once everything written so far is durable. */
  afterCommit(listener: (error: Error | undefined) => void): void;
  readonly retryScheduleMs: readonly number[];
  readonly attemptTimeoutMs: number;
  readonly maxInFlight: number;
  readonly now: () => Date;
  readonly log: (line: string) => void;
}

export interface Notifier {
  /** Looks for due notifications soon (after a request that may have queued one). */
  kick(): void;
  close(): void;
}

export function startNotifier(options: NotifierOptions): Notifier {
  const inFlight = new Set<number>();
  let scheduled = false;
  let closed = false;
  let timer: NodeJS.Timeout | undefined;

  function kick(): void {
    if (scheduled || closed) return;
    scheduled = true;
    setImmediate(tick);
  }

  function tick(): void {
    scheduled = false;
    // Under group commit the connection also sees rows of units not yet committed; a merchant must
    // never hear of a payment a crash could still take back, so read only once they are durable.
    options.afterCommit((error) => {
      if (error === undefined) sendDue();
      else planNext();
    });
  }

  function sendDue(): void {
    if (closed) return;
    const nowMs = options.now().getTime();
    const free = options.maxInFlight - inFlight.size;
    if (free > 0) for (const pending of options.outbox.due(nowMs, free, inFlight)) void deliver(pending);
    planNext();
  }

  function planNext(): void {
    if (timer !== undefined) clearTimeout(timer);
    timer = undefined;
    const next = options.outbox.nextDueMs();
    if (next === undefined || closed) return;
    timer = setTimeout(kick, Math.max(10, next - options.now().getTime()));
    timer.unref();
  }

  async function deliver(pending: PendingNotification): Promise<void> {
    inFlight.add(pending.id);
    let error: string | undefined;
    try {
      const { mchid, view } = options.order(pending.orderId);
      const body: Notification = { id: pending.notificationId, create_time: options.now().toISOString(), event_type: NOTIFICATION_EVENT, resource: view };
      const status = await post(pending.notifyUrl, JSON.stringify(body), mchid);
      if (status < 200 || status > 299) error = `answered HTTP ${status}`;
    } catch (caught) {
      error = (caught as Error).message;
    }
    inFlight.delete(pending.id);
    if (closed) return;
    const nowMs = options.now().getTime();
    const delay = options.retryScheduleMs[pending.attempts];
    options.atomically(() => {
      if (error === undefined) options.outbox.delivered(pending.id, nowMs);
      else options.outbox.failed(pending.id, error, delay === undefined ? undefined : nowMs + delay, nowMs);
    });
    const outcome = error === undefined ? 'acknowledged' : delay === undefined ? `failed (${error}); given up after ${pending.attempts + 1} attempts` : `failed (${error}); next attempt in ${delay} ms`;
    // Logged once recorded: the line never tells of an attempt a crash could take back.
    options.afterCommit(() => options.log(`${new Date(nowMs).toISOString()} wallet notify ${pending.notificationId} order=${pending.orderId} attempt ${pending.attempts + 1}: ${outcome}`));
    kick();
  }

  function post(url: string, body: string, mchid: string): Promise<number> {
    const timestamp = unixSeconds(options.now());
    const nonce = newNonce();
    const key = options.signingKey(mchid);
    const headers = {
      'content-type': 'application/json; charset=utf-8',
      'content-length': String(Buffer.byteLength(body)),
      [MESSAGE_HEADERS.timestamp]: timestamp,
      [MESSAGE_HEADERS.nonce]: nonce,
      [MESSAGE_HEADERS.algorithm]: key.algorithm,
      [MESSAGE_HEADERS.signature]: signCanonical(key, messageCanonical(timestamp, nonce, body)),
      [MESSAGE_HEADERS.merchant]: mchid,
    };
    return new Promise((resolve, reject) => {
      const target = new URL(url);
      const send = target.protocol === 'https:' ? httpsRequest : httpRequest;
      const request = send(target, { method: 'POST', headers, timeout: options.attemptTimeoutMs, agent: false }, (response) => {
        response.resume();
        response.on('end', () => resolve(response.statusCode ?? 0));
        response.on('error', reject);
      });
      request.on('timeout', () => request.destroy(new Error(`no answer within ${options.attemptTimeoutMs} ms`)));
      request.on('error', reject);
      request.end(body);
    });
  }

  kick();
  return {
    kick,
    close() {
      closed = true;
      if (timer !== undefined) clearTimeout(timer);
    },
  };
}
