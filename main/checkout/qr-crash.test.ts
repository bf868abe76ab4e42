/**
 * kill -9 of the station in the middle of a QR payment, over the wallet platform's real HTTP API:
 * the station runs in a child process (test-support/qr-sale-station.ts) and is killed there, the
 * customer's phone goes on as a customer would, then the station starts again on the same data
 * directory (createStation) and the sale and the wallet must agree: paid once, or not paid.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { startWalletTestHost, testWallet, type WalletTestHost } from '../../bank/wallet/wallet-test-host.ts';
import { REPO_ROOT, startRig, type Rig } from '../test-support/station-rig.ts';

let host: WalletTestHost;
let dataDir: string;
let rig: Rig | undefined;

beforeEach(async () => {
  host = await startWalletTestHost();
  dataDir = mkdtempSync(join(tmpdir(), 'qr-crash-'));
});

afterEach(async () => {
  await rig?.stop();
  rig = undefined;
  await host.close();
});

function stationChild(mode: 'merchant_presented' | 'customer_presented') {
  const wallet = host.running.wallet!;
  const child: ChildProcess = spawn(
    process.execPath,
    [join(REPO_ROOT, 'main', 'test-support', 'qr-sale-station.ts'), host.running.host, String(host.running.port), wallet.host, String(wallet.port), dataDir, mode],
    { stdio: ['pipe', 'pipe', 'inherit'] },
  );
  const steps: string[] = [];
  createInterface({ input: child.stdout! }).on('line', (line) => line.startsWith('STEP ') && steps.push(line.slice(5)));
  const exited = new Promise<void>((done) => child.once('exit', () => done()));
  return {
    reach: (prefix: string) => vi.waitUntil(() => steps.find((seen) => seen.startsWith(prefix)), { timeout: 20_000, interval: 20 }),
    say: (line: string) => child.stdin!.write(`${line}\n`),
    async kill() {
      child.kill('SIGKILL');
      await exited;
    },
  };
}

async function restart(): Promise<Rig> {
  const started = await startRig({ host: host.running.host, port: host.running.port, dataDir, transport: 'plain', wallet: () => host.running.wallet });
  await started.waitUntilUp();
  return started;
}

const currentSale = (station: Rig) => station.services.journal.sales.current()[0]!;

describe('kill -9 of the station during a QR payment', () => {
  it('merchant-presented, killed while the code is shown, the customer pays anyway: the restart reverses it, nothing charged, the sale unpaid', async () => {
    const before = host.balance('wallet-demo');
    const station = stationChild('merchant_presented');
    const payload = (await station.reach('shown ')).slice('shown '.length);
    await station.kill();
    const phone = host.phone('wallet-demo');
    const scanned = await phone.scan(payload);
    if (scanned.kind !== 'ok') throw new Error('the phone could not scan the code');
    expect((await phone.payOrder(scanned.value.orderCode)).kind).toBe('ok');
    expect(host.balance('wallet-demo')).toBe(before - 1500);

    rig = await restart();
    const sale = currentSale(rig);
    const tender = sale.tenders[0]!;
    expect(tender.state).toBe('failed');
    await vi.waitUntil(() => rig!.services.journal.qrLegs.ofTender(tender.id).every((leg) => leg.state === 'reversed'), { timeout: 10_000, interval: 50 });
    expect(host.balance('wallet-demo')).toBe(before);
    expect(sale.paid.amountMinor).toBe(0);
  });

  it('customer-presented, killed while the payment waits for the password: the restart reverses it, the phone can no longer confirm', async () => {
    const before = host.balance('wallet-password');
    const station = stationChild('customer_presented');
    await station.reach('scan');
    const phone = host.phone('wallet-password');
    const code = await phone.issuePaymentCode();
    if (code.kind !== 'ok') throw new Error('no payment code');
    station.say(code.value.auth_code);
    await station.reach('sent');
    const waiting = await vi.waitUntil(
      async () => {
        const pending = await phone.pending();
        return pending.kind === 'ok' ? pending.value[0] : undefined;
      },
      { timeout: 10_000, interval: 50 },
    );
    await station.kill();

    rig = await restart();
    const tender = currentSale(rig).tenders[0]!;
    expect(tender.state).toBe('failed');
    await vi.waitUntil(() => rig!.services.journal.qrLegs.ofTender(tender.id).every((leg) => leg.state === 'reversed'), { timeout: 10_000, interval: 50 });
    expect((await phone.confirm(waiting.transaction_id!, testWallet('wallet-password').password)).kind).toBe('refused');
    expect(host.balance('wallet-password')).toBe(before);
  });

  it('merchant-presented, killed after the station learnt the payment: the restart keeps the sale paid, charged once', async () => {
    const before = host.balance('wallet-demo');
    const station = stationChild('merchant_presented');
    const payload = (await station.reach('shown ')).slice('shown '.length);
    const phone = host.phone('wallet-demo');
    const scanned = await phone.scan(payload);
    if (scanned.kind !== 'ok') throw new Error('the phone could not scan the code');
    await phone.payOrder(scanned.value.orderCode);
    station.say('finish');
    expect(await station.reach('approved')).toBe('approved');
    await station.kill();

    rig = await restart();
    const sale = rig.services.journal.sales.page(undefined, 1)[0]!;
    expect(sale.status).toBe('paid');
    expect(host.balance('wallet-demo')).toBe(before - 1500);
  });
});
