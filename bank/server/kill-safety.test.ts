/**
 * An approval the station has seen survives a kill -9 of the host: the CLI runs as a child
 * process, answers purchases, and is killed with SIGKILL while more are in flight; every approval
 * that reached the station must be in the ledger afterwards, and nothing else.
 */
import { fork, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { connectIsoChannel } from '../../payments/iso8583/channel.ts';
import { getText, type IsoMessage } from '../../payments/iso8583/message.ts';
import { IsoMux } from '../../payments/iso8583/mux.ts';
import type { HostToParentMessage } from '../parent-link.ts';
import { purchaseFor } from '../purchase-fixture.ts';
import { deckCard, packager } from '../test-host.ts';

const ENTRY = fileURLToPath(new URL('../bank-host.ts', import.meta.url));
const debit = deckCard('unionpay-debit-approved');
let dataDir: string;
let child: ChildProcess | undefined;

beforeEach(() => {
  dataDir = mkdtempSync(join(tmpdir(), 'bank-kill-'));
});

afterEach(() => {
  if (child && child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  child = undefined;
  rmSync(dataDir, { recursive: true, force: true });
});

async function startChildHost(): Promise<{ host: ChildProcess; port: number }> {
  // Plain TCP: what is tested is the ledger under kill -9, the same behind TLS.
  const host = fork(ENTRY, ['--port', '0', '--data', dataDir, '--plain'], { execPath: process.execPath, stdio: ['ignore', 'ignore', 'inherit', 'ipc'] });
  child = host;
  const [message] = (await once(host, 'message')) as [HostToParentMessage];
  if (message.type !== 'listening') throw new Error(`host failed to start: ${JSON.stringify(message)}`);
  return { host, port: message.port };
}

function ledgerRows<T>(sql: string): T[] {
  const db = new DatabaseSync(join(dataDir, 'ledger.sqlite'));
  try {
    return db.prepare(sql).all().map((row) => ({ ...row }) as T);
  } finally {
    db.close();
  }
}

describe('kill -9 of the host', () => {
  it('loses no approval the station received, even with requests in flight', async () => {
    const { host, port } = await startChildHost();
    const channel = await connectIsoChannel({ host: '127.0.0.1', port, packager });
    const mux = new IsoMux(channel);

    const first = await mux.request(purchaseFor(debit, { amountMinor: 1_000 }), { timeoutMs: 10_000 });
    expect(getText(first, 39)).toBe('00');

    // Eight more in flight; the kill lands as soon as the first of them is answered.
    const approvedRrns = [getText(first, 37)!];
    const killed = once(host, 'exit');
    let killSent = false;
    const inFlight = Array.from({ length: 8 }, (_, index) => purchaseFor(debit, { amountMinor: 100 + index })).map((request: IsoMessage) =>
      mux.request(request, { timeoutMs: 10_000 }).then(
        (response) => {
          if (getText(response, 39) === '00') approvedRrns.push(getText(response, 37)!);
          if (!killSent) {
            killSent = true;
            host.kill('SIGKILL');
          }
        },
        () => undefined,
      ),
    );
    await Promise.all(inFlight);
    const [, signal] = await killed;
    expect(signal).toBe('SIGKILL');
    channel.destroy();

    // Reopened as a restarted host would: every approval the station saw is there, with its hold.
    const rows = ledgerRows<{ rrn: string; amount_minor: number }>("SELECT rrn, amount_minor FROM transactions WHERE state = 'pending'");
    const stored = new Set(rows.map((row) => row.rrn));
    for (const rrn of approvedRrns) expect(stored.has(rrn), `approval ${rrn} survived`).toBe(true);
    const held = rows.reduce((sum, row) => sum + row.amount_minor, 0);
    const [account] = ledgerRows<{ available_minor: number }>(`SELECT available_minor FROM accounts WHERE card_id = '${debit.id}'`);
    expect(account!.available_minor).toBe(500_000 - held);
  });

  it('keeps the debit across a kill and a restart of the CLI', async () => {
    const { port } = await startChildHost();
    const channel = await connectIsoChannel({ host: '127.0.0.1', port, packager });
    const response = await new IsoMux(channel).request(purchaseFor(debit, { amountMinor: 12_345 }), { timeoutMs: 10_000 });
    expect(getText(response, 39)).toBe('00');
    child!.kill('SIGKILL');
    await once(child!, 'exit');
    channel.destroy();

    const restarted = await startChildHost();
    const again = await connectIsoChannel({ host: '127.0.0.1', port: restarted.port, packager });
    const balance = purchaseFor(debit, { amountMinor: 0 });
    balance.fields.set(3, '310000');
    const inquiry = await new IsoMux(again).request(balance, { timeoutMs: 10_000 });
    again.destroy();
    expect(getText(inquiry, 54)!.slice(20)).toBe('0002156C000000487655');
  });
});
