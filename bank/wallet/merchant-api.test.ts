/**
 * The wallet platform's merchant API over real HTTP, with the station's own client: merchant-
 * presented orders, micropay with the customer's payment code, query, close, reverse and refund,
 * idempotency by the merchant's numbers, and the failures a payment can end in.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ApiOutcome, WalletClient } from '../../payments/wallet/wallet-client.ts';
import type { Order } from '../../payments/wallet/wallet-api.ts';
import { startWalletTestHost, type WalletTestHost } from './wallet-test-host.ts';

let host: WalletTestHost;
let merchant: WalletClient;
let sequence = 0;
const orderNumber = () => `T${Date.now().toString(36)}${String(++sequence).padStart(4, '0')}`;
const amount = (total: number) => ({ total, currency: 'CNY' as const });

beforeAll(async () => {
  host = await startWalletTestHost();
  merchant = host.merchant();
});
afterAll(async () => host.close());

function ok<T>(outcome: ApiOutcome<T>): T {
  if (outcome.kind !== 'ok') throw new Error(`expected ok, got ${JSON.stringify(outcome)}`);
  return outcome.value;
}

async function freshCode(walletId: string): Promise<string> {
  return ok(await host.phone(walletId).issuePaymentCode()).auth_code;
}

async function micropay(walletId: string, total: number, extra: { out_trade_no?: string; terminal_id?: string } = {}): Promise<ApiOutcome<Order>> {
  return merchant.micropay({ out_trade_no: extra.out_trade_no ?? orderNumber(), description: 'Groceries', amount: amount(total), auth_code: await freshCode(walletId), ...(extra.terminal_id === undefined ? {} : { terminal_id: extra.terminal_id }) });
}

describe('merchant-presented orders', () => {
  it('creates an order once per order number; a different order under the same number is refused', async () => {
    const request = { out_trade_no: orderNumber(), description: 'Groceries', amount: amount(1250), notify_url: 'http://127.0.0.1:9/notify' };
    const created = ok(await merchant.createNativeOrder(request));
    expect(created).toMatchObject({ trade_state: 'NOTPAY', trade_type: 'NATIVE', amount: { total: 1250, currency: 'CNY', refunded: 0 }, wallet: 'DemoPay' });
    expect(created.order_code).toMatch(/^W[0-9A-F]{24}$/);
    expect(ok(await merchant.createNativeOrder(request)).order_code).toBe(created.order_code);
    expect(await merchant.createNativeOrder({ ...request, amount: amount(1300) })).toMatchObject({ kind: 'refused', status: 409, error: { code: 'OUT_TRADE_NO_USED' } });
  });

  it('the phone pays it after scanning; the merchant sees it paid with the masked payer', async () => {
    const before = host.balance('wallet-demo');
    const created = ok(await merchant.createNativeOrder({ out_trade_no: orderNumber(), description: 'Groceries', amount: amount(880), notify_url: 'http://127.0.0.1:9/notify' }));
    const paid = ok(await host.phone('wallet-demo').payOrder(created.order_code!));
    expect(paid).toMatchObject({ trade_state: 'SUCCESS', merchant_name: 'Demo Grocery (HMAC-SHA256)' });
    const order = ok(await merchant.query(created.out_trade_no));
    expect(order).toMatchObject({ trade_state: 'SUCCESS', payer: { account: '138****0001' } });
    expect(order.transaction_id).toMatch(/^4200\d{24}$/);
    expect(host.balance('wallet-demo')).toBe(before - 880);
  });

  it('after a close the platform refuses any payment of the order; a close of a paid order answers "already paid"', async () => {
    const open = ok(await merchant.createNativeOrder({ out_trade_no: orderNumber(), description: 'Groceries', amount: amount(500), notify_url: 'http://127.0.0.1:9/notify' }));
    expect(await merchant.close(open.out_trade_no)).toMatchObject({ kind: 'ok', status: 204 });
    expect(await host.phone('wallet-demo').payOrder(open.order_code!)).toMatchObject({ kind: 'refused', error: { code: 'ORDER_CLOSED' } });
    expect(ok(await merchant.query(open.out_trade_no)).trade_state).toBe('CLOSED');
    expect(await merchant.close(open.out_trade_no)).toMatchObject({ kind: 'ok', status: 204 });

    const paid = ok(await merchant.createNativeOrder({ out_trade_no: orderNumber(), description: 'Groceries', amount: amount(500), notify_url: 'http://127.0.0.1:9/notify' }));
    ok(await host.phone('wallet-demo').payOrder(paid.order_code!));
    expect(await merchant.close(paid.out_trade_no)).toMatchObject({ kind: 'refused', status: 400, error: { code: 'ORDER_PAID', message: expect.stringMatching(/already paid/) } });
  });

  it('an order past its expiry reads CLOSED and cannot be paid', async () => {
    const order = ok(await merchant.createNativeOrder({ out_trade_no: orderNumber(), description: 'Groceries', amount: amount(500), notify_url: 'http://127.0.0.1:9/notify', expire_seconds: 60 }));
    host.advance(61_000);
    expect(await host.phone('wallet-demo').payOrder(order.order_code!)).toMatchObject({ kind: 'refused', error: { code: 'ORDER_CLOSED', message: 'this order has expired' } });
    expect(ok(await merchant.query(order.out_trade_no))).toMatchObject({ trade_state: 'CLOSED', trade_state_desc: 'closed without payment (EXPIRED)' });
  });

  it('a payment above the wallet\'s limit needs the password on the phone', async () => {
    const order = ok(await merchant.createNativeOrder({ out_trade_no: orderNumber(), description: 'Television', amount: amount(150_000), notify_url: 'http://127.0.0.1:9/notify' }));
    const phone = host.phone('wallet-demo');
    expect(await phone.payOrder(order.order_code!)).toMatchObject({ kind: 'refused', error: { code: 'PASSWORD_REQUIRED' } });
    expect(await phone.payOrder(order.order_code!, '000000')).toMatchObject({ kind: 'refused', error: { code: 'PASSWORD_WRONG', message: 'wrong payment password; 2 tries left' } });
    expect(ok(await phone.payOrder(order.order_code!, '135790')).trade_state).toBe('SUCCESS');
  });
});

describe('micropay (customer-presented payment code)', () => {
  it('pays at once below the password limit, and a repeat of the same request is the same payment', async () => {
    const before = host.balance('wallet-demo');
    const code = await freshCode('wallet-demo');
    const request = { out_trade_no: orderNumber(), description: 'Groceries', amount: amount(1999), auth_code: code };
    const paid = await merchant.micropay(request);
    expect(paid).toMatchObject({ kind: 'ok', status: 200, value: { trade_state: 'SUCCESS', trade_type: 'MICROPAY', payer: { account: '138****0001' } } });
    expect(await merchant.micropay(request)).toMatchObject({ kind: 'ok', status: 200, value: { transaction_id: ok(paid).transaction_id } });
    expect(host.balance('wallet-demo')).toBe(before - 1999);
  });

  it('a code pays once, for a minute, and only if the platform issued it', async () => {
    const code = await freshCode('wallet-demo');
    ok(await merchant.micropay({ out_trade_no: orderNumber(), description: 'Groceries', amount: amount(100), auth_code: code }));
    expect(await merchant.micropay({ out_trade_no: orderNumber(), description: 'Groceries', amount: amount(100), auth_code: code })).toMatchObject({ kind: 'refused', error: { code: 'AUTH_CODE_USED' } });
    const late = await freshCode('wallet-demo');
    host.advance(61_000);
    expect(await merchant.micropay({ out_trade_no: orderNumber(), description: 'Groceries', amount: amount(100), auth_code: late })).toMatchObject({ kind: 'refused', error: { code: 'AUTH_CODE_EXPIRED' } });
    expect(await merchant.micropay({ out_trade_no: orderNumber(), description: 'Groceries', amount: amount(100), auth_code: '134567890123456789' })).toMatchObject({ kind: 'refused', error: { code: 'AUTH_CODE_INVALID' } });
    expect(await merchant.micropay({ out_trade_no: orderNumber(), description: 'Groceries', amount: amount(100), auth_code: '284567890123456789' })).toMatchObject({ kind: 'refused', error: { code: 'AUTH_CODE_INVALID' } });
    expect(late).toMatch(/^1[0-5]\d{16}$/);
  });

  it('"user paying": the platform waits for the phone; a wrong password counts, the right one pays', async () => {
    const before = host.balance('wallet-password');
    const pending = await micropay('wallet-password', 2500);
    expect(pending).toMatchObject({ kind: 'ok', status: 202, value: { trade_state: 'USERPAYING' } });
    const order = ok(pending);
    const phone = host.phone('wallet-password');
    const waiting = ok(await phone.pending());
    expect(waiting).toEqual([expect.objectContaining({ transaction_id: order.transaction_id, amount: amount(2500), password_required: true, trade_state: 'USERPAYING' })]);
    expect(await phone.confirm(order.transaction_id!, '111111')).toMatchObject({ kind: 'refused', status: 403, error: { code: 'PASSWORD_WRONG' } });
    expect(ok(await merchant.query(order.out_trade_no)).trade_state).toBe('USERPAYING');
    expect(ok(await phone.confirm(order.transaction_id!, '246802')).trade_state).toBe('SUCCESS');
    expect(ok(await merchant.query(order.out_trade_no))).toMatchObject({ trade_state: 'SUCCESS', transaction_id: order.transaction_id });
    expect(host.balance('wallet-password')).toBe(before - 2500);
  });

  it('"user paying" ends PAYERROR after three wrong passwords, or when the payer never confirms', async () => {
    const phone = host.phone('wallet-password');
    const tried = ok(await micropay('wallet-password', 100));
    for (let i = 0; i < 2; i++) expect(await phone.confirm(tried.transaction_id!, '000000')).toMatchObject({ kind: 'refused', error: { code: 'PASSWORD_WRONG' } });
    expect(await phone.confirm(tried.transaction_id!, '000000')).toMatchObject({ kind: 'refused', error: { code: 'PASSWORD_TRIES_EXCEEDED', trade_state: 'PAYERROR' } });
    expect(ok(await merchant.query(tried.out_trade_no)).trade_state).toBe('PAYERROR');

    const forgotten = ok(await micropay('wallet-password', 100));
    host.advance(301_000);
    expect(ok(await merchant.query(forgotten.out_trade_no))).toMatchObject({ trade_state: 'PAYERROR', trade_state_desc: 'payment failed (USER_TIMEOUT)' });
    expect(await phone.confirm(forgotten.transaction_id!, '246802')).toMatchObject({ kind: 'refused', error: { code: 'ORDER_CLOSED' } });
  });

  it('a close during "user paying" cancels it: the phone can no longer confirm', async () => {
    const order = ok(await micropay('wallet-password', 100));
    ok(await merchant.close(order.out_trade_no));
    expect(await host.phone('wallet-password').confirm(order.transaction_id!, '246802')).toMatchObject({ kind: 'refused', error: { code: 'ORDER_CLOSED' } });
  });

  it('fails PAYERROR for funds and a frozen wallet; the order number then stays failed', async () => {
    const number = orderNumber();
    expect(await micropay('wallet-low-balance', 1001, { out_trade_no: number })).toMatchObject({ kind: 'refused', status: 403, error: { code: 'NOT_ENOUGH', trade_state: 'PAYERROR' } });
    expect(ok(await merchant.query(number)).trade_state).toBe('PAYERROR');
    expect(await micropay('wallet-frozen', 100)).toMatchObject({ kind: 'refused', error: { code: 'ACCOUNT_FROZEN', trade_state: 'PAYERROR' } });
  });
});

describe('reverse and refund', () => {
  it('a reverse gives a paid order back in full; a reverse of an order that never arrived bars its number', async () => {
    const before = host.balance('wallet-demo');
    const paid = ok(await micropay('wallet-demo', 4200));
    expect(ok(await merchant.reverse(paid.out_trade_no))).toMatchObject({ trade_state: 'REVOKED', trade_state_desc: 'reversed (REVERSED_PAID)' });
    expect(host.balance('wallet-demo')).toBe(before);
    expect(ok(await merchant.reverse(paid.out_trade_no)).trade_state).toBe('REVOKED');

    const lost = orderNumber();
    expect(ok(await merchant.reverse(lost))).toMatchObject({ trade_state: 'REVOKED', trade_state_desc: 'reversed (REVERSED_BEFORE_ARRIVAL)' });
    expect(await micropay('wallet-demo', 100, { out_trade_no: lost })).toMatchObject({ kind: 'refused', error: { code: 'OUT_TRADE_NO_USED' } });
    expect(host.balance('wallet-demo')).toBe(before);
  });

  it('refunds back to the wallet, by refund number, never more than was paid', async () => {
    const before = host.balance('wallet-demo');
    const paid = ok(await micropay('wallet-demo', 3000));
    const first = { out_trade_no: paid.out_trade_no, out_refund_no: orderNumber(), amount: { refund: 1000, currency: 'CNY' as const } };
    const refund = ok(await merchant.refund(first));
    expect(refund).toMatchObject({ status: 'SUCCESS', transaction_id: paid.transaction_id, amount: { refund: 1000 } });
    expect(ok(await merchant.refund(first)).refund_id).toBe(refund.refund_id);
    expect(await merchant.refund({ ...first, out_refund_no: orderNumber(), amount: { refund: 2001, currency: 'CNY' } })).toMatchObject({ kind: 'refused', error: { code: 'REFUND_AMOUNT_EXCEEDED' } });
    expect(ok(await merchant.queryRefund(first.out_refund_no)).refund_id).toBe(refund.refund_id);
    expect(ok(await merchant.query(paid.out_trade_no))).toMatchObject({ trade_state: 'REFUND', amount: { refunded: 1000 } });
    expect(await merchant.reverse(paid.out_trade_no)).toMatchObject({ kind: 'refused', error: { code: 'REVERSE_NOT_ALLOWED' } });
    expect(host.balance('wallet-demo')).toBe(before - 2000);
  });

  it('refuses a refund of an unpaid order and a query of an unknown one', async () => {
    const open = ok(await merchant.createNativeOrder({ out_trade_no: orderNumber(), description: 'Groceries', amount: amount(500), notify_url: 'http://127.0.0.1:9/notify' }));
    expect(await merchant.refund({ out_trade_no: open.out_trade_no, out_refund_no: orderNumber(), amount: { refund: 100, currency: 'CNY' } })).toMatchObject({ kind: 'refused', error: { code: 'REFUND_NOT_ALLOWED' } });
    expect(await merchant.query('NOSUCHORDER1')).toMatchObject({ kind: 'refused', status: 404, error: { code: 'ORDER_NOT_EXIST' } });
  });
});

describe('the RSA-SHA256 merchant', () => {
  it('signs with its private key and verifies the platform\'s answers with the platform\'s public key', async () => {
    const rsa = host.merchant('1900000002');
    const created = ok(await rsa.createNativeOrder({ out_trade_no: orderNumber(), description: 'Books', amount: amount(4500), notify_url: 'http://127.0.0.1:9/notify' }));
    expect(ok(await rsa.query(created.out_trade_no))).toMatchObject({ mchid: '1900000002', trade_state: 'NOTPAY' });
    // Order numbers are per merchant: the HMAC merchant does not see this one.
    expect(await merchant.query(created.out_trade_no)).toMatchObject({ kind: 'refused', error: { code: 'ORDER_NOT_EXIST' } });
  });
});

describe('the host and its wallet platform', () => {
  it('listens on its own port beside the ISO 8583 one, and keeps the wallets\' money across a restart', async () => {
    expect(host.running.wallet).toEqual({ host: '127.0.0.1', port: expect.any(Number) });
    expect(host.running.wallet!.port).not.toBe(host.running.port);
    const balance = host.balance('wallet-demo');
    const passwordHash = host.query<{ password_hash: string }>("SELECT password_hash FROM wallet_accounts WHERE wallet_id = 'wallet-demo'")[0]!.password_hash;
    expect(passwordHash).toMatch(/^scrypt\$1024\$8\$1\$/);
    expect(passwordHash).not.toContain('135790');
    await host.restart();
    merchant = host.merchant();
    expect(host.balance('wallet-demo')).toBe(balance);
    expect(ok(await host.phone('wallet-demo').wallet())).toMatchObject({ wallet: 'DemoPay', account: '138****0001', balance: { total: balance, currency: 'CNY' }, password_above: 100000, status: 'active' });
  });
});
