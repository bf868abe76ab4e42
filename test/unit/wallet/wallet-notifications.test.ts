/**
 * Payment notifications end to end: the platform signs them and retries with backoff until the
 * station acknowledges; the station verifies each and answers bad signatures, unknown orders and
 * duplicates each with its own result, recording a payment once.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { HMAC_MERCHANT, startWalletTestHost, type WalletTestHost } from '../../../bank/wallet/wallet-test-host.ts';
import { startNotificationListener, type NotificationListener } from '../../../payments/wallet/notification-listener.ts';
import { hmacKey, MESSAGE_HEADERS, messageCanonical, newNonce, signCanonical, unixSeconds } from '../../../payments/wallet/signature.ts';
import type { Order } from '../../../payments/wallet/wallet-api.ts';
import { createNotificationReceiver, type NotificationReceiver, type NotificationResult } from '../../../payments/wallet/wallet-notifications.ts';
import { openWalletPaymentStore, type WalletPaymentStore } from '../../../payments/wallet/wallet-payment-store.ts';

const KEY = hmacKey('B78B219AE8BDB32B3C00F4966A66729B75B855B5A1D6FD18C5851664F61400D1');
let host: WalletTestHost;
let dir: string;
let store: WalletPaymentStore;
let receiver: NotificationReceiver;
let sequence = 0;
const number = () => `N${Date.now().toString(36)}${String(++sequence).padStart(4, '0')}`;

beforeAll(async () => {
  host = await startWalletTestHost({ notifications: { retryScheduleMs: [30, 60], attemptTimeoutMs: 1_000, maxInFlight: 4 } });
});
afterAll(async () => host.close());
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'wallet-notify-'));
  store = openWalletPaymentStore(join(dir, 'payments.sqlite'));
  receiver = createNotificationReceiver({ mchid: HMAC_MERCHANT, platformKey: KEY, store, now: () => host.now() });
});
afterEach(() => {
  store.close();
  rmSync(dir, { recursive: true, force: true });
});

/** A paid merchant-presented order whose notifications go to `notifyUrl`. */
async function payOrder(notifyUrl: string, total = 600): Promise<string> {
  const no = number();
  store.begin({ outTradeNo: no, kind: 'native', amountMinor: total });
  const created = await host.merchant().createNativeOrder({ out_trade_no: no, description: 'Groceries', amount: { total, currency: 'CNY' }, notify_url: notifyUrl });
  if (created.kind !== 'ok') throw new Error('not created');
  expect((await host.phone('wallet-demo').payOrder(created.value.order_code!)).kind).toBe('ok');
  return no;
}

function signed(body: string, key = KEY, at = host.now()): Record<string, string> {
  const timestamp = unixSeconds(at);
  const nonce = newNonce();
  return { [MESSAGE_HEADERS.timestamp]: timestamp, [MESSAGE_HEADERS.nonce]: nonce, [MESSAGE_HEADERS.signature]: signCanonical(key, messageCanonical(timestamp, nonce, body)) };
}

describe('the platform delivers', () => {
  let server: Server;
  let answers: number[];
  let received: { headers: Record<string, string | string[] | undefined>; body: string }[];
  let url: string;

  beforeEach(async () => {
    answers = [];
    received = [];
    server = createServer((request, response) => {
      let body = '';
      request.on('data', (chunk: Buffer) => (body += chunk.toString()));
      request.on('end', () => {
        received.push({ headers: request.headers, body });
        response.writeHead(answers.shift() ?? 204);
        response.end();
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/notify`;
  });
  afterEach(() => new Promise<void>((resolve) => server.close(() => resolve())));

  async function deliveredAfter(count: number): Promise<void> {
    while (received.length < count) await new Promise((resolve) => setTimeout(resolve, 10));
  }

  it('signed with the merchant\'s key, retried with backoff until a 2xx answer, then never again', async () => {
    answers = [500, 503];
    const no = await payOrder(url);
    await deliveredAfter(3);
    // The platform records the acknowledgement after the answer reaches it: wait for its own word.
    while (!host.logLines.some((line) => line.includes('attempt 3: acknowledged'))) await new Promise((resolve) => setTimeout(resolve, 10));
    const bodies = received.map((entry) => JSON.parse(entry.body) as { id: string; event_type: string; resource: Order });
    expect(new Set(bodies.map((body) => body.id)).size).toBe(1);
    expect(bodies[0]).toMatchObject({ event_type: 'TRANSACTION.SUCCESS', resource: { out_trade_no: no, trade_state: 'SUCCESS', payer: { account: '138****0001' } } });
    const { result } = receiver.receive(received[2]!.headers as Record<string, string>, received[2]!.body);
    expect(result).toMatchObject({ kind: 'paid' });
    const [row] = host.query<{ attempts: number; delivered: number | null; last_error: string | null }>(
      'SELECT n.attempts, n.delivered_at_ms AS delivered, n.last_error FROM wallet_notifications n JOIN wallet_orders o ON o.id = n.order_id WHERE o.out_trade_no = ?',
      no,
    );
    expect(row).toMatchObject({ attempts: 3, last_error: null });
    expect(row!.delivered).not.toBeNull();
    expect(host.logLines.filter((line) => line.includes('wallet notify')).slice(-3).map((line) => line.replace(/^.*? attempt /, ''))).toEqual([
      '1: failed (answered HTTP 500); next attempt in 30 ms',
      '2: failed (answered HTTP 503); next attempt in 60 ms',
      '3: acknowledged',
    ]);
  });

  it('gives up after the last retry and says so', async () => {
    answers = [500, 500, 500];
    const no = await payOrder(url);
    await deliveredAfter(3);
    while (!host.logLines.some((line) => line.includes('given up'))) await new Promise((resolve) => setTimeout(resolve, 10));
    expect(host.query<{ gave_up: number | null }>('SELECT n.gave_up_at_ms AS gave_up FROM wallet_notifications n JOIN wallet_orders o ON o.id = n.order_id WHERE o.out_trade_no = ?', no)[0]!.gave_up).not.toBeNull();
  });
});

describe('the station verifies', () => {
  let listener: NotificationListener;
  let results: NotificationResult[];

  beforeEach(async () => {
    results = [];
    listener = await startNotificationListener({ receiver, onResult: (result) => results.push(result) });
  });
  afterEach(async () => listener.close());

  it('records a payment once: a second delivery is a duplicate, acknowledged and changing nothing', async () => {
    const no = await payOrder(listener.url);
    while (results.length === 0) await new Promise((resolve) => setTimeout(resolve, 10));
    expect(results[0]).toMatchObject({ kind: 'paid', order: { out_trade_no: no } });
    expect(store.get(no)).toMatchObject({ state: 'paid', reason: 'notified' });
    const order = results[0]!.kind === 'paid' ? results[0]!.order : undefined;
    const again = JSON.stringify({ id: 'NDUPLICATE', create_time: host.now().toISOString(), event_type: 'TRANSACTION.SUCCESS', resource: order });
    expect(receiver.receive(signed(again), again)).toEqual({ result: { kind: 'duplicate', order }, answer: { status: 200, body: { code: 'SUCCESS' } } });
  });

  it('refuses a bad signature, a stale one and an unsigned one, changing nothing', async () => {
    const no = number();
    store.begin({ outTradeNo: no, kind: 'native', amountMinor: 100 });
    const body = JSON.stringify({ id: 'NFORGED', create_time: host.now().toISOString(), event_type: 'TRANSACTION.SUCCESS', resource: fakeOrder(no, 100) });
    const forged = receiver.receive(signed(body, hmacKey('00'.repeat(32))), body);
    expect(forged).toEqual({ result: { kind: 'bad_signature', reason: 'the signature does not match the notification' }, answer: { status: 401, body: { code: 'FAIL', message: 'the signature does not match the notification' } } });
    expect(receiver.receive(signed(body, KEY, new Date(host.now().getTime() - 600_000)), body).result).toEqual({ kind: 'bad_signature', reason: 'the notification\'s timestamp is outside the window' });
    expect(receiver.receive({}, body).result).toEqual({ kind: 'bad_signature', reason: 'the notification is not signed' });
    expect(store.get(no)?.state).toBe('started');
  });

  it('answers an order it never created with 404, and a body that is no notification with 400', async () => {
    const body = JSON.stringify({ id: 'NUNKNOWN', create_time: host.now().toISOString(), event_type: 'TRANSACTION.SUCCESS', resource: fakeOrder('NOTOURS0001', 100) });
    expect(receiver.receive(signed(body), body)).toEqual({ result: { kind: 'unknown_order', outTradeNo: 'NOTOURS0001' }, answer: { status: 404, body: { code: 'FAIL', message: 'no payment NOTOURS0001 at this station' } } });
    expect(receiver.receive(signed('{"id":1}'), '{"id":1}')).toMatchObject({ result: { kind: 'malformed' }, answer: { status: 400 } });
  });

  it('does not let a notification contradict the record: another amount is refused, a reversed order changes nothing', async () => {
    const no = number();
    store.begin({ outTradeNo: no, kind: 'native', amountMinor: 100 });
    const wrongAmount = JSON.stringify({ id: 'NAMOUNT', create_time: host.now().toISOString(), event_type: 'TRANSACTION.SUCCESS', resource: fakeOrder(no, 999) });
    expect(receiver.receive(signed(wrongAmount), wrongAmount).result).toEqual({ kind: 'malformed', reason: 'the notified amount 999 is not the order\'s 100' });
    const revoked = JSON.stringify({ id: 'NREVOKED', create_time: host.now().toISOString(), event_type: 'TRANSACTION.SUCCESS', resource: { ...fakeOrder(no, 100), trade_state: 'REVOKED' } });
    expect(receiver.receive(signed(revoked), revoked).result).toMatchObject({ kind: 'ignored', reason: 'the order is REVOKED now' });
    expect(store.get(no)?.state).toBe('started');
  });
});

function fakeOrder(outTradeNo: string, total: number): Order {
  return { mchid: HMAC_MERCHANT, out_trade_no: outTradeNo, trade_type: 'NATIVE', trade_state: 'SUCCESS', trade_state_desc: 'paid', amount: { total, currency: 'CNY', refunded: 0 }, wallet: 'DemoPay', transaction_id: '4200202611210000000000000001' };
}
