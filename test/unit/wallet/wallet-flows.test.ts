/**
 * The station's wallet flows (payments/wallet/) against the real platform over HTTP, through a
 * relay that can lose requests and answers: the micropay policy (user paying → query → paid; lost
 * answers and lost requests; time-out → reverse) and the merchant-presented policy (notification,
 * query, time-out → close, close → "already paid"), each ending with the station's record and the
 * wallet in agreement.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { HMAC_MERCHANT, startWalletTestHost, type WalletTestHost } from '../../../bank/wallet/wallet-test-host.ts';
import { runMerchantPresented } from '../../../payments/wallet/merchant-presented-flow.ts';
import { runMicropay, type MicropayPolicy } from '../../../payments/wallet/micropay-flow.ts';
import { startNotificationListener, type NotificationListener } from '../../../payments/wallet/notification-listener.ts';
import { hmacKey } from '../../../payments/wallet/signature.ts';
import { createWalletClient, type WalletClient } from '../../../payments/wallet/wallet-client.ts';
import { createNotificationReceiver, type NotificationReceiver } from '../../../payments/wallet/wallet-notifications.ts';
import { openWalletPaymentStore, type WalletPaymentStore } from '../../../payments/wallet/wallet-payment-store.ts';
import { recoverWalletPayments } from '../../../payments/wallet/wallet-recovery.ts';
import { startFlakyLink, type FlakyLink } from './flaky-link.ts';

const KEY = hmacKey('B78B219AE8BDB32B3C00F4966A66729B75B855B5A1D6FD18C5851664F61400D1');
const FAST: MicropayPolicy = { queryDelaysMs: [20, 40], limitMs: 2_000, reverseRetryDelaysMs: [20, 40] };
const amount = (total: number) => ({ total, currency: 'CNY' as const });

let host: WalletTestHost;
let link: FlakyLink;
let dir: string;
let store: WalletPaymentStore;
let client: WalletClient;
let receiver: NotificationReceiver;
let listener: NotificationListener;
let sequence = 0;
const number = () => `F${Date.now().toString(36)}${String(++sequence).padStart(4, '0')}`;

beforeAll(async () => {
  host = await startWalletTestHost({ notifications: { retryScheduleMs: [50, 100, 200], attemptTimeoutMs: 1_000, maxInFlight: 4 } });
  link = await startFlakyLink(host.running.wallet!.port);
});
afterAll(async () => {
  await link.close();
  await host.close();
});
beforeEach(async () => {
  dir = mkdtempSync(join(tmpdir(), 'wallet-flows-'));
  store = openWalletPaymentStore(join(dir, 'wallet-payments.sqlite'));
  // The relay cuts connections, so a lost answer shows at once; the time-out only has to outlast a loaded machine.
  client = createWalletClient({ baseUrl: link.url, mchid: HMAC_MERCHANT, signing: KEY, platformKey: KEY, timeoutMs: 30_000, now: () => host.now() });
  receiver = createNotificationReceiver({ mchid: HMAC_MERCHANT, platformKey: KEY, store, now: () => host.now() });
  listener = await startNotificationListener({ receiver });
});
afterEach(async () => {
  client.dispose();
  await listener.close();
  store.close();
  rmSync(dir, { recursive: true, force: true });
});

async function code(walletId: string): Promise<string> {
  const issued = await host.phone(walletId).issuePaymentCode();
  if (issued.kind !== 'ok') throw new Error('no code');
  return issued.value.auth_code;
}

describe('micropay policy', () => {
  it('paid at once', async () => {
    const before = host.balance('wallet-demo');
    const outcome = await runMicropay({ client, store }, { out_trade_no: number(), description: 'Groceries', amount: amount(1234), auth_code: await code('wallet-demo') }, FAST);
    expect(outcome).toMatchObject({ kind: 'paid', order: { trade_state: 'SUCCESS' } });
    expect(store.get(outcome.kind === 'paid' ? outcome.order.out_trade_no : '')).toMatchObject({ state: 'paid', payerAccount: '138****0001', transactionId: expect.stringMatching(/^4200/) });
    expect(host.balance('wallet-demo')).toBe(before - 1234);
  });

  it('"user paying" → query with backoff → paid once the phone confirms', async () => {
    const before = host.balance('wallet-password');
    const phone = host.phone('wallet-password');
    const no = number();
    const flow = runMicropay({ client, store }, { out_trade_no: no, description: 'Groceries', amount: amount(2200), auth_code: await code('wallet-password') }, { ...FAST, limitMs: 30_000 });
    let pending = await phone.pending();
    while (pending.kind === 'ok' && pending.value.length === 0) pending = await phone.pending();
    expect(store.get(no)?.state).toBe('pending');
    const [payment] = pending.kind === 'ok' ? pending.value : [];
    expect((await phone.confirm(payment!.transaction_id!, '246802')).kind).toBe('ok');
    expect(await flow).toMatchObject({ kind: 'paid', order: { trade_state: 'SUCCESS', transaction_id: payment!.transaction_id } });
    expect(store.get(no)?.state).toBe('paid');
    expect(host.balance('wallet-password')).toBe(before - 2200);
  });

  it('time-out → reverse: a payment never confirmed is reversed, and the phone can no longer confirm it', async () => {
    const before = host.balance('wallet-password');
    const no = number();
    const outcome = await runMicropay({ client, store }, { out_trade_no: no, description: 'Groceries', amount: amount(2200), auth_code: await code('wallet-password') }, { ...FAST, limitMs: 150 });
    expect(outcome).toMatchObject({ kind: 'reversed', order: { trade_state: 'REVOKED' } });
    expect(store.get(no)?.state).toBe('reversed');
    const pending = await host.phone('wallet-password').pending();
    expect(pending.kind === 'ok' && pending.value.some((payment) => payment.trade_state === 'USERPAYING')).toBe(false);
    expect(host.balance('wallet-password')).toBe(before);
  });

  it('an answer lost on the way back: the query finds the payment made, and it is paid once', async () => {
    const before = host.balance('wallet-demo');
    const no = number();
    link.dropAnswers(1);
    const outcome = await runMicropay({ client, store }, { out_trade_no: no, description: 'Groceries', amount: amount(777), auth_code: await code('wallet-demo') }, FAST);
    expect(outcome).toMatchObject({ kind: 'paid' });
    expect(host.balance('wallet-demo')).toBe(before - 777);
    expect(host.query('SELECT COUNT(*) AS n FROM wallet_postings p JOIN wallet_orders o ON o.id = p.order_id WHERE o.out_trade_no = ?', no)).toEqual([{ n: 1 }]);
  });

  it('a request lost on the way there: the query finds no order, the same micropay is sent again and pays', async () => {
    const before = host.balance('wallet-demo');
    link.dropRequests(1);
    const outcome = await runMicropay({ client, store }, { out_trade_no: number(), description: 'Groceries', amount: amount(555), auth_code: await code('wallet-demo') }, FAST);
    expect(outcome).toMatchObject({ kind: 'paid' });
    expect(host.balance('wallet-demo')).toBe(before - 555);
  });

  it('a decline is final and charges nothing', async () => {
    const before = host.balance('wallet-low-balance');
    const outcome = await runMicropay({ client, store }, { out_trade_no: number(), description: 'Groceries', amount: amount(5000), auth_code: await code('wallet-low-balance') }, FAST);
    expect(outcome).toMatchObject({ kind: 'declined', code: 'NOT_ENOUGH' });
    expect(host.balance('wallet-low-balance')).toBe(before);
  });

  it('a reversal the platform never confirms stays on record as "reversing", and recovery finishes it', async () => {
    const before = host.balance('wallet-demo');
    const no = number();
    link.dropAnswers(1_000);
    const outcome = await runMicropay({ client, store }, { out_trade_no: no, description: 'Groceries', amount: amount(640), auth_code: await code('wallet-demo') }, { ...FAST, limitMs: 100 });
    link.dropAnswers(0);
    expect(outcome).toMatchObject({ kind: 'reversal_pending' });
    expect(store.get(no)?.state).toBe('reversing');
    const [recovered] = await recoverWalletPayments({ client, store }, [20]);
    expect(recovered).toMatchObject({ outTradeNo: no, stateBefore: 'reversing', outcome: { kind: 'reversed' } });
    expect(host.balance('wallet-demo')).toBe(before);
  });

  it('recovery reverses what a station left unsettled, paid or not', async () => {
    const before = host.balance('wallet-demo');
    const paid = number();
    store.begin({ outTradeNo: paid, kind: 'micropay', amountMinor: 900 });
    expect((await client.micropay({ out_trade_no: paid, description: 'Groceries', amount: amount(900), auth_code: await code('wallet-demo') })).kind).toBe('ok');
    const neverSent = number();
    store.begin({ outTradeNo: neverSent, kind: 'micropay', amountMinor: 100 });
    const recovered = await recoverWalletPayments({ client, store }, [20]);
    expect(recovered.map((entry) => [entry.outTradeNo, entry.outcome.kind])).toEqual([
      [paid, 'reversed'],
      [neverSent, 'reversed'],
    ]);
    expect(store.unfinished()).toEqual([]);
    expect(host.balance('wallet-demo')).toBe(before);
  });
});

describe('merchant-presented policy', () => {
  const order = (total: number) => ({ out_trade_no: number(), description: 'Groceries', amount: amount(total), notify_url: listener.url });

  it('paid: the notification arrives and ends the wait', async () => {
    const phone = host.phone('wallet-demo');
    const outcome = await runMerchantPresented({ client, store, notifications: receiver }, order(1800), { onOrder: (created) => void phone.payOrder(created.order_code!) }, { timeoutMs: 30_000, queryDelaysMs: [60_000], retryDelaysMs: [20] });
    expect(outcome).toMatchObject({ kind: 'paid', order: { trade_state: 'SUCCESS', transaction_id: expect.stringMatching(/^4200/), payer: { account: '138****0001' }, wallet: 'DemoPay' } });
    const paid = outcome.kind === 'paid' ? outcome.order.out_trade_no : '';
    expect(store.get(paid)).toMatchObject({ state: 'paid', reason: 'notified', payerAccount: '138****0001' });
  });

  it('paid: no notification comes (the notify URL is dead), the query finds it', async () => {
    const phone = host.phone('wallet-demo');
    const request = { ...order(1900), notify_url: 'http://127.0.0.1:9/dead' };
    const outcome = await runMerchantPresented({ client, store, notifications: receiver }, request, { onOrder: (created) => void phone.payOrder(created.order_code!) }, { timeoutMs: 30_000, queryDelaysMs: [20, 40], retryDelaysMs: [20] });
    expect(outcome).toMatchObject({ kind: 'paid', order: { trade_state: 'SUCCESS' } });
    expect(store.get(request.out_trade_no)).toMatchObject({ state: 'paid', reason: 'queried' });
  });

  it('time-out → close: nobody paid, the order is closed and the platform refuses a late payment', async () => {
    let code = '';
    const outcome = await runMerchantPresented({ client, store, notifications: receiver }, order(700), { onOrder: (created) => (code = created.order_code!) }, { timeoutMs: 100, queryDelaysMs: [20], retryDelaysMs: [20] });
    expect(outcome).toMatchObject({ kind: 'closed' });
    expect(await host.phone('wallet-demo').payOrder(code)).toMatchObject({ kind: 'refused', error: { code: 'ORDER_CLOSED' } });
  });

  it('the close answers "already paid": the customer paid in the last moment, and the sale is paid', async () => {
    const phone = host.phone('wallet-demo');
    let code = '';
    let clock = 0;
    // The wait: the customer pays while the station waits, and the time-out passes before the next query.
    const sleep = async () => {
      const paid = await phone.payOrder(code);
      expect(paid.kind).toBe('ok');
      clock += 1_000;
    };
    const request = { ...order(650), notify_url: 'http://127.0.0.1:9/dead' };
    const outcome = await runMerchantPresented({ client, store, notifications: receiver, sleep, now: () => clock }, request, { onOrder: (created) => (code = created.order_code!) }, { timeoutMs: 500, queryDelaysMs: [500], retryDelaysMs: [20] });
    expect(outcome).toMatchObject({ kind: 'paid', order: { trade_state: 'SUCCESS' } });
    expect(store.get(request.out_trade_no)).toMatchObject({ state: 'paid', reason: 'already paid at the close' });
    expect(host.logLines.some((line) => line.includes(`/v1/orders/out-trade-no/${request.out_trade_no}/close`) && line.includes('ORDER_PAID'))).toBe(true);
  });

  it('a cashier cancel closes the order', async () => {
    const cancel = new AbortController();
    const outcome = await runMerchantPresented({ client, store, notifications: receiver }, order(700), { onOrder: () => cancel.abort() }, { timeoutMs: 30_000, queryDelaysMs: [60_000], retryDelaysMs: [20] }, cancel.signal);
    expect(outcome).toEqual({ kind: 'closed', reason: 'cancelled by the cashier' });
  });
});
