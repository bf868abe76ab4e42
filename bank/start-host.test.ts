/** The host end to end over real TCP on 127.0.0.1, as a station would use it. */
import { once } from 'node:events';
import { copyFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { TestDeckCard } from '../common/test-deck.ts';
import { ChannelClosedError, connectIsoChannel, type IsoChannel } from '../payments/iso8583/channel.ts';
import { encodeFrame, FrameDecoder } from '../payments/iso8583/framing.ts';
import { createMessage, getText, type IsoMessage } from '../payments/iso8583/message.ts';
import { IsoMux } from '../payments/iso8583/mux.ts';
import { createPackager } from '../payments/iso8583/packager.ts';
import { PROFILE_FIELDS } from '../payments/iso8583/profile.ts';
import { loadCardDeck } from './deck/card-deck.ts';
import { purchaseFor } from './purchase-fixture.ts';
import { BUNDLED_CONFIG_PATH, BUNDLED_DECK_PATH, startHost, type RunningHost } from './start-host.ts';

const packager = createPackager(PROFILE_FIELDS);
const deck = loadCardDeck(BUNDLED_DECK_PATH);
const card = (id: string): TestDeckCard => deck.cards.find((candidate) => candidate.id === id)!;

let dataDir: string;
let host: RunningHost;
let logLines: string[];
let channel: IsoChannel;
let mux: IsoMux;

beforeEach(async () => {
  dataDir = mkdtempSync(join(tmpdir(), 'bank-host-'));
  logLines = [];
  host = await startHost({ dataDir, port: 0, log: (line) => logLines.push(line), now: () => new Date(2026, 10, 21, 10, 0), transport: 'plain' });
  channel = await connectIsoChannel({ host: '127.0.0.1', port: host.port, packager });
  mux = new IsoMux(channel);
});

afterEach(async () => {
  channel.destroy();
  await host.close();
  rmSync(dataDir, { recursive: true, force: true });
});

const purchase = (request: IsoMessage) => mux.request(request, { timeoutMs: 10_000 });

function availableMinor(cardId: string, ledgerPath = host.ledgerPath): number {
  const db = new DatabaseSync(ledgerPath, { readOnly: true });
  try {
    return (db.prepare('SELECT available_minor FROM accounts WHERE card_id = ?').get(cardId) as { available_minor: number }).available_minor;
  } finally {
    db.close();
  }
}

/** A raw socket speaking the framing only, to send what no well-behaved station would. */
async function rawConnection(): Promise<{ socket: net.Socket; next(): Promise<Buffer> }> {
  const socket = net.connect({ host: '127.0.0.1', port: host.port });
  await once(socket, 'connect');
  const decoder = new FrameDecoder();
  const frames: Buffer[] = [];
  const waiters: ((frame: Buffer) => void)[] = [];
  socket.on('data', (chunk) => {
    for (const frame of decoder.push(chunk)) {
      const waiter = waiters.shift();
      if (waiter) waiter(frame);
      else frames.push(frame);
    }
  });
  return {
    socket,
    next: () => {
      const ready = frames.shift();
      return ready ? Promise.resolve(ready) : new Promise((resolve) => waiters.push(resolve));
    },
  };
}

describe('bank host over TCP', () => {
  it('approves a purchase, echoes the request fields and adds DE37/DE38/DE39, never card or PIN data', async () => {
    const request = purchaseFor(card('unionpay-debit-approved'), { amountMinor: 12_345, stan: '000101' });
    const response = await purchase(request);
    expect(response.mti).toBe('0210');
    expect(getText(response, 39)).toBe('00');
    expect(getText(response, 38)).toMatch(/^\d{6}$/);
    expect(getText(response, 37)).toMatch(/^\d{12}$/);
    for (const field of [3, 4, 7, 11, 12, 13, 41, 42, 49]) expect(response.fields.get(field)).toEqual(request.fields.get(field));
    for (const field of [2, 14, 35, 52, 53]) expect(response.fields.has(field)).toBe(false);
  });

  it('debits the balance in SQLite after an approval', async () => {
    const approved = card('unionpay-debit-approved');
    expect(availableMinor(approved.id)).toBe(500_000);
    expect(getText(await purchase(purchaseFor(approved, { amountMinor: 20_000 })), 39)).toBe('00');
    expect(availableMinor(approved.id)).toBe(480_000);
  });

  it.each([
    ['wrong PIN', 'unionpay-debit-approved', { pin: '999999' }, '55'],
    ['insufficient funds', 'unionpay-low-balance', { amountMinor: 1_001 }, '51'],
    ['lost card', 'unionpay-lost', {}, '41'],
    ['stolen card', 'mastercard-stolen', {}, '43'],
    ['blocked card', 'unionpay-blocked', {}, '57'],
    ['expired card', 'unionpay-expired', {}, '54'],
  ])('declines %s with the right code', async (_case, id, options, code) => {
    expect(getText(await purchase(purchaseFor(card(id), options)), 39)).toBe(code);
  });

  it('answers 14 for a card it did not issue', async () => {
    const stranger = { ...card('visa-credit'), pan: '4111111111111111' };
    expect(getText(await purchase(purchaseFor(stranger)), 39)).toBe('14');
  });

  it('leaves a declined card balance untouched', async () => {
    const lowBalance = card('unionpay-low-balance');
    await purchase(purchaseFor(lowBalance, { amountMinor: 5_000 }));
    expect(availableMinor(lowBalance.id)).toBe(1_000);
  });

  it('approves each approvable deck card with its own PIN', async () => {
    for (const id of ['unionpay-debit-approved', 'visa-credit', 'mastercard-2series-credit', 'amex-credit', 'jcb-credit']) {
      expect(getText(await purchase(purchaseFor(card(id))), 39), id).toBe('00');
    }
  });

  it('answers many requests in flight on one connection, each to its own request', async () => {
    const requests = ['unionpay-debit-approved', 'unionpay-lost', 'mastercard-stolen', 'visa-credit', 'unionpay-expired'].map((id) => purchaseFor(card(id)));
    const responses = await Promise.all(requests.map(purchase));
    expect(responses.map((response) => getText(response, 39))).toEqual(['00', '41', '43', '00', '54']);
  });

  it('answers an 0800 echo test with 0810 and DE39 00', async () => {
    const response = await mux.request(createMessage('0800', { 7: '1121101530', 11: '000500', 41: 'POS00001', 70: '301' }), { timeoutMs: 10_000 });
    expect(response.mti).toBe('0810');
    expect(Object.fromEntries(response.fields)).toEqual({ 7: '1121101530', 11: '000500', 39: '00', 41: 'POS00001', 70: '301' });
  });

  it('answers a request type it does not handle with 12', async () => {
    const response = await mux.request(createMessage('0100', { 3: '000000', 11: '000600', 41: 'POS00001' }), { timeoutMs: 10_000 });
    expect(response.mti).toBe('0110');
    expect(getText(response, 39)).toBe('12');
  });

  it('answers a malformed frame whose MTI, DE11 and DE41 are readable with DE39=30', async () => {
    const raw = await rawConnection();
    const request = packager.pack(createMessage('0200', { 3: '000000', 11: '000777', 41: 'POS00001' }));
    raw.socket.write(encodeFrame(Buffer.concat([request, Buffer.from('trailing junk')])));
    const response = packager.unpack(await raw.next());
    expect(response.mti).toBe('0210');
    expect(Object.fromEntries(response.fields)).toEqual({ 11: '000777', 39: '30', 41: 'POS00001' });
    raw.socket.destroy();
  });

  it('drops a garbage frame, logs why, and keeps the connection usable', async () => {
    const raw = await rawConnection();
    raw.socket.write(encodeFrame(Buffer.from('this is not ISO 8583')));
    raw.socket.write(encodeFrame(packager.pack(createMessage('0800', { 11: '000800', 41: 'POS00001', 70: '301' }))));
    const response = packager.unpack(await raw.next());
    expect(response.mti).toBe('0810');
    expect(getText(response, 11)).toBe('000800');
    expect(logLines.some((line) => line.includes('dropped a 20-byte frame'))).toBe(true);
    raw.socket.destroy();
  });

  it('closes only the connection whose length prefix is broken', async () => {
    const raw = await rawConnection();
    const closed = once(raw.socket, 'close');
    raw.socket.write(Buffer.from([0xff, 0xff]));
    await closed;
    expect(getText(await purchase(purchaseFor(card('visa-credit'))), 39)).toBe('00');
    expect(logLines.some((line) => line.includes('exceeds the 8192-byte limit'))).toBe(true);
  });

  it('logs one line per message with masked PAN and never a full PAN', async () => {
    const approved = card('unionpay-debit-approved');
    await purchase(purchaseFor(approved, { stan: '000901' }));
    const line = logLines.find((candidate) => candidate.includes('stan=000901'));
    expect(line).toMatch(/ 0200 stan=000901 tid=POS00001 pan=621234\*{6}1232 rc=00 \d+\.\dms$/);
    expect(logLines.join('\n')).not.toContain(approved.pan);
  });

  it('keeps no full PAN in the database files', async () => {
    for (const id of ['unionpay-debit-approved', 'visa-credit', 'unionpay-low-balance']) await purchase(purchaseFor(card(id)));
    for (const suffix of ['', '-wal']) {
      const bytes = readFileSync(host.ledgerPath + suffix).toString('latin1');
      for (const deckCard of deck.cards) expect(bytes).not.toContain(deckCard.pan);
    }
  });

  it('keeps balances when restarted on the same data directory', async () => {
    await purchase(purchaseFor(card('jcb-credit'), { amountMinor: 3_000 }));
    channel.destroy();
    await host.close();
    host = await startHost({ dataDir, port: 0, log: () => {}, transport: 'plain' });
    expect(availableMinor('jcb-credit')).toBe(1_000_000 - 3_000);
  });

  it('drops answers still waiting out the configured response delay when it closes', async () => {
    // No wallet platform in this copy: its files stay with the bundled config.
    const slowConfig = { ...JSON.parse(readFileSync(BUNDLED_CONFIG_PATH, 'utf8')), timing: { responseDelayMs: 120_000 }, wallet: undefined };
    const configPath = join(dataDir, 'slow-host.json');
    writeFileSync(configPath, JSON.stringify(slowConfig));
    // The config names its risk rules file relative to itself.
    copyFileSync(join(dirname(BUNDLED_CONFIG_PATH), 'risk-rules.json'), join(dataDir, 'risk-rules.json'));
    const slowHost = await startHost({ dataDir: join(dataDir, 'slow'), configPath, port: 0, log: () => {}, transport: 'plain' });
    const slowChannel = await connectIsoChannel({ host: '127.0.0.1', port: slowHost.port, packager });
    const pending = new IsoMux(slowChannel).request(purchaseFor(card('visa-credit'), { amountMinor: 100 }), { timeoutMs: 600_000 });
    const rejection = expect(pending).rejects.toBeInstanceOf(ChannelClosedError);
    // The decision is taken on receipt and only the answer waits, so the debit shows the request landed.
    while (availableMinor('visa-credit', slowHost.ledgerPath) === 2_000_000) await new Promise((resolve) => setTimeout(resolve, 5));
    await slowHost.close();
    await rejection;
  });
});
