/**
 * kill -9 at points of a wallet payment, over the real HTTP API, the host a child process (the
 * product's CLI) behind a relay whose address survives the restart: after the restart the wallet
 * (the ledger file) and the station's record agree: paid once, or not paid, or refunded.
 *   1. the host killed after committing a payment, before its answer left;
 *   2. the host killed before it read the micropay;
 *   3. the host killed while the payment waits for the payer's password;
 *   4. the host killed after a payment, before the station acknowledged its notification;
 *   5. the host killed after committing a refund, before its answer left;
 *   6. the station killed mid-flow, the customer then confirming on the phone: recovery reverses.
 */
import { fork, spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { HostToParentMessage } from '../../../bank/parent-link.ts';
import { HMAC_MERCHANT, testWallet, writeWalletHostConfig } from '../../../bank/wallet/wallet-test-host.ts';
import { runMerchantPresented } from '../../../payments/wallet/merchant-presented-flow.ts';
import { runMicropay, type MicropayPolicy } from '../../../payments/wallet/micropay-flow.ts';
import { hmacKey } from '../../../payments/wallet/signature.ts';
import { createWalletAppClient, type WalletAppClient } from '../../../payments/wallet/wallet-app-client.ts';
import { createWalletClient, type WalletClient } from '../../../payments/wallet/wallet-client.ts';
import { createNotificationReceiver } from '../../../payments/wallet/wallet-notifications.ts';
import { openWalletPaymentStore, type WalletPaymentStore } from '../../../payments/wallet/wallet-payment-store.ts';
import { recoverWalletPayments } from '../../../payments/wallet/wallet-recovery.ts';
import { startFlakyLink, type FlakyLink } from './flaky-link.ts';

const ENTRY = fileURLToPath(new URL('../../../bank/bank-host.ts', import.meta.url));
const STATION_CHILD = fileURLToPath(new URL('./station-child.ts', import.meta.url));
const KEY = hmacKey('B78B219AE8BDB32B3C00F4966A66729B75B855B5A1D6FD18C5851664F61400D1');
const POLICY: MicropayPolicy = { queryDelaysMs: [50, 100], limitMs: 60_000, reverseRetryDelaysMs: [50, 100] };
const amount = (total: number) => ({ total, currency: 'CNY' as const });

let dir: string;
let dataDir: string;
let host: ChildProcess | undefined;
let link: FlakyLink | undefined;
let store: WalletPaymentStore;
/** The flows' client: a short time-out, so a held answer is noticed soon. */
let client: WalletClient;
/** For single calls whose answer the test needs: a time-out no loaded machine reaches. */
let patient: WalletClient;
const disposables: { dispose(): void }[] = [];
let sequence = 0;
const number = () => `K${Date.now().toString(36)}${String(++sequence).padStart(3, '0')}`;

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'wallet-kill-'));
  dataDir = join(dir, 'bank');
  store = openWalletPaymentStore(join(dir, 'station-wallet.sqlite'));
});
afterEach(async () => {
  for (const item of disposables.splice(0)) item.dispose();
  if (host && host.exitCode === null && host.signalCode === null) host.kill('SIGKILL');
  host = undefined;
  await link?.close();
  link = undefined;
  store.close();
  rmSync(dir, { recursive: true, force: true });
});

/** Starts the host CLI with the wallet platform settings given; the relay points at it. */
async function startHost(platform: Record<string, unknown> = {}): Promise<void> {
  const configDir = mkdtempSync(join(dir, 'config-'));
  const child = fork(ENTRY, ['--port', '0', '--data', dataDir, '--config', writeWalletHostConfig(configDir, platform)], { execPath: process.execPath, stdio: ['ignore', 'ignore', 'inherit', 'ipc'] });
  host = child;
  const [message] = (await once(child, 'message')) as [HostToParentMessage];
  if (message.type !== 'listening' || message.wallet === undefined) throw new Error(`host failed to start: ${JSON.stringify(message)}`);
  if (link === undefined) {
    link = await startFlakyLink(message.wallet.port);
    client = createWalletClient({ baseUrl: link.url, mchid: HMAC_MERCHANT, signing: KEY, platformKey: KEY, timeoutMs: 500 });
    patient = createWalletClient({ baseUrl: link.url, mchid: HMAC_MERCHANT, signing: KEY, platformKey: KEY, timeoutMs: 60_000 });
    disposables.push(client, patient);
  } else link.upstreamPort = message.wallet.port;
}

async function kill9(): Promise<void> {
  const exited = once(host!, 'exit');
  host!.kill('SIGKILL');
  await exited;
}

function phone(walletId: string): WalletAppClient {
  const wallet = testWallet(walletId);
  const app = createWalletAppClient({ baseUrl: link!.url, userId: wallet.userId, appKey: wallet.appKey, timeoutMs: 60_000 });
  disposables.push(app);
  return app;
}

async function freshCode(walletId: string): Promise<string> {
  const code = await phone(walletId).issuePaymentCode();
  if (code.kind !== 'ok') throw new Error(`no code: ${JSON.stringify(code)}`);
  return code.value.auth_code;
}

/** The payer confirms the payment waiting on the phone; its transaction id. */
async function confirmOnPhone(walletId: string, password: string): Promise<string> {
  const pending = await phone(walletId).pending();
  const transactionId = pending.kind === 'ok' ? pending.value[0]?.transaction_id : undefined;
  if (transactionId === undefined) throw new Error(`no payment waits on ${walletId}'s phone`);
  expect((await phone(walletId).confirm(transactionId, password)).kind).toBe('ok');
  return transactionId;
}

/** The ledger file as a restarted host will read it: only what was committed. */
function ledger<T>(sql: string, ...params: (string | number)[]): T[] {
  const db = new DatabaseSync(join(dataDir, 'ledger.sqlite'), { readOnly: true });
  try {
    return db.prepare(sql).all(...params).map((row) => ({ ...row }) as T);
  } finally {
    db.close();
  }
}

async function until<T>(read: () => T | undefined): Promise<T> {
  for (;;) {
    const value = read();
    if (value !== undefined) return value;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

const orderState = (no: string) => ledger<{ state: string }>('SELECT state FROM wallet_orders WHERE out_trade_no = ?', no)[0]?.state;
const balance = (walletId: string) => ledger<{ balance_minor: number }>('SELECT balance_minor FROM wallet_accounts WHERE wallet_id = ?', walletId)[0]!.balance_minor;
/** What the wallet paid for the order, net of reversals and refunds. */
const netCharged = (no: string) => 0 - (ledger<{ net: number | null }>('SELECT SUM(p.amount_minor) AS net FROM wallet_postings p JOIN wallet_orders o ON o.id = p.order_id WHERE o.out_trade_no = ?', no)[0]!.net ?? 0);

/** The station's record and the wallet agree. */
function expectAgreement(no: string, total: number): void {
  const record = store.get(no)!;
  const state = orderState(no);
  if (record.state === 'paid') {
    expect(['SUCCESS', 'REFUND']).toContain(state);
    expect(netCharged(no)).toBe(total);
  } else {
    expect(['reversed', 'failed', 'closed']).toContain(record.state);
    expect(netCharged(no)).toBe(0);
    if (state !== undefined) expect(['REVOKED', 'CLOSED', 'PAYERROR']).toContain(state);
  }
}

describe('kill -9 of the host during a wallet payment', () => {
  it('after the payment is committed, before its answer: the station finds it paid, charged once', async () => {
    await startHost();
    const before = balance('wallet-demo');
    const code = await freshCode('wallet-demo');
    await kill9();
    await startHost({ responseDelayMs: 60_000 });
    const no = number();
    const flow = runMicropay({ client, store }, { out_trade_no: no, description: 'Groceries', amount: amount(1500), auth_code: code }, POLICY);
    await until(() => (orderState(no) === 'SUCCESS' ? true : undefined));
    await kill9();
    await startHost();
    expect(await flow).toMatchObject({ kind: 'paid' });
    expectAgreement(no, 1500);
    expect(balance('wallet-demo')).toBe(before - 1500);
  });

  it('before it read the micropay: the station re-sends it after the restart, and it is paid once', async () => {
    await startHost();
    const code = await freshCode('wallet-demo');
    const before = balance('wallet-demo');
    host!.kill('SIGSTOP');
    const no = number();
    const flow = runMicropay({ client, store }, { out_trade_no: no, description: 'Groceries', amount: amount(700), auth_code: code }, POLICY);
    await until(() => (store.get(no)?.state === 'pending' ? true : undefined));
    await kill9();
    expect(orderState(no)).toBeUndefined();
    await startHost();
    expect(await flow).toMatchObject({ kind: 'paid' });
    expectAgreement(no, 700);
    expect(balance('wallet-demo')).toBe(before - 700);
  });

  it('while the payment waits for the payer\'s password: the payer confirms after the restart, and it is paid once', async () => {
    await startHost();
    const before = balance('wallet-password');
    const no = number();
    const flow = runMicropay({ client, store }, { out_trade_no: no, description: 'Groceries', amount: amount(2600), auth_code: await freshCode('wallet-password') }, POLICY);
    await until(() => (orderState(no) === 'USERPAYING' ? true : undefined));
    await kill9();
    await startHost();
    const transactionId = await confirmOnPhone('wallet-password', '246802');
    expect(await flow).toMatchObject({ kind: 'paid', order: { transaction_id: transactionId } });
    expectAgreement(no, 2600);
    expect(balance('wallet-password')).toBe(before - 2600);
  });

  it('after a payment, before the station acknowledged its notification: the restarted host delivers it', async () => {
    let accepting = false;
    const receiver = createNotificationReceiver({ mchid: HMAC_MERCHANT, platformKey: KEY, store });
    const results: string[] = [];
    const server: Server = createServer((request, response) => {
      let body = '';
      request.on('data', (chunk: Buffer) => (body += chunk.toString()));
      request.on('end', () => {
        if (!accepting) {
          response.writeHead(503);
          return response.end();
        }
        const { result, answer } = receiver.receive(request.headers as Record<string, string>, body);
        results.push(result.kind);
        response.writeHead(answer.status, { 'content-type': 'application/json' });
        response.end(JSON.stringify(answer.body));
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    try {
      await startHost({ notifications: { retryScheduleMs: [100, 100, 100, 100, 100, 100], attemptTimeoutMs: 1_000, maxInFlight: 2 } });
      const before = balance('wallet-demo');
      const no = number();
      let orderCode = '';
      const paidByPhone = new Promise<void>((resolve) => {
        void runMerchantPresented(
          { client, store, notifications: receiver },
          { out_trade_no: no, description: 'Groceries', amount: amount(1200), notify_url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/notify` },
          { onOrder: (order) => ((orderCode = order.order_code!), resolve()) },
          { timeoutMs: 600_000, queryDelaysMs: [600_000], retryDelaysMs: [50] },
        );
      });
      await paidByPhone;
      expect((await phone('wallet-demo').payOrder(orderCode)).kind).toBe('ok');
      await until(() => (ledger<{ attempts: number }>('SELECT n.attempts FROM wallet_notifications n JOIN wallet_orders o ON o.id = n.order_id WHERE o.out_trade_no = ?', no)[0]?.attempts ?? 0) >= 1 || undefined);
      await kill9();
      expect(store.get(no)?.state).toBe('pending');
      accepting = true;
      await startHost({ notifications: { retryScheduleMs: [100], attemptTimeoutMs: 1_000, maxInFlight: 2 } });
      await until(() => (store.get(no)?.state === 'paid' ? true : undefined));
      expect(results[0]).toBe('paid');
      expectAgreement(no, 1200);
      expect(balance('wallet-demo')).toBe(before - 1200);
    } finally {
      await new Promise<void>((resolve) => server.close(() => resolve()));
    }
  });

  it('after a refund is committed, before its answer: the same refund asked again is the same refund, credited once', async () => {
    await startHost();
    const no = number();
    const paid = await runMicropay({ client, store }, { out_trade_no: no, description: 'Groceries', amount: amount(3000), auth_code: await freshCode('wallet-demo') }, POLICY);
    expect(paid.kind).toBe('paid');
    const before = balance('wallet-demo');
    await kill9();
    await startHost({ responseDelayMs: 60_000 });
    const refund = { out_trade_no: no, out_refund_no: `${no}R1`, amount: { refund: 1000, currency: 'CNY' as const } };
    expect((await client.refund(refund)).kind).toBe('unknown');
    await until(() => (ledger('SELECT 1 FROM wallet_refunds WHERE out_refund_no = ?', refund.out_refund_no).length === 1 ? true : undefined));
    await kill9();
    await startHost();
    const again = await patient.refund(refund);
    expect(again).toMatchObject({ kind: 'ok', value: { status: 'SUCCESS', amount: { refund: 1000 } } });
    expect(ledger('SELECT 1 FROM wallet_refunds WHERE out_refund_no = ?', refund.out_refund_no)).toHaveLength(1);
    expect(balance('wallet-demo')).toBe(before + 1000);
    expect(netCharged(no)).toBe(2000);
  });
});

describe('kill -9 of the station during a wallet payment', () => {
  it('the customer confirms after the station died: recovery at the next start reverses it, nothing charged', async () => {
    await startHost();
    const before = balance('wallet-password');
    const no = number();
    const storePath = join(dir, 'child-station.sqlite');
    const station = spawn(process.execPath, [STATION_CHILD, link!.url, storePath, no, await freshCode('wallet-password'), '2700'], { stdio: ['ignore', 'ignore', 'inherit'] });
    await until(() => (orderState(no) === 'USERPAYING' ? true : undefined));
    const childStore = () => {
      const db = new DatabaseSync(storePath, { readOnly: true });
      try {
        return (db.prepare('SELECT state FROM wallet_payments WHERE out_trade_no = ?').get(no) as { state: string } | undefined)?.state;
      } finally {
        db.close();
      }
    };
    await until(() => (childStore() === 'pending' ? true : undefined));
    const stopped = once(station, 'exit');
    station.kill('SIGKILL');
    await stopped;

    await confirmOnPhone('wallet-password', '246802');
    expect(balance('wallet-password')).toBe(before - 2700);

    store.close();
    store = openWalletPaymentStore(storePath);
    const recovered = await recoverWalletPayments({ client: patient, store }, [50]);
    expect(recovered).toMatchObject([{ outTradeNo: no, stateBefore: 'pending', outcome: { kind: 'reversed', order: { trade_state: 'REVOKED' } } }]);
    expect(store.get(no)?.state).toBe('reversed');
    expectAgreement(no, 2700);
    expect(balance('wallet-password')).toBe(before);
  });
});
