/**
 * The host's TLS link: mutual authentication under its own CA, TLS 1.3 only, a connection bound to
 * the terminal its certificate names, the same ISO 8583 framing inside, and a PKI that a restart
 * reuses. Everything over real sockets on 127.0.0.1 against the host started as the CLI starts it.
 */
import { X509Certificate } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import tls from 'node:tls';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { readStationTlsBundle, type StationTlsBundle } from '../../common-node/station-tls-bundle.ts';
import { connectIsoChannel, type IsoChannel } from '../../payments/iso8583/channel.ts';
import { encodeFrame } from '../../payments/iso8583/framing.ts';
import { createMessage, getText, type IsoMessage } from '../../payments/iso8583/message.ts';
import { IsoMux } from '../../payments/iso8583/mux.ts';
import { createPackager } from '../../payments/iso8583/packager.ts';
import { PROFILE_FIELDS } from '../../payments/iso8583/profile.ts';
import { loadCardDeck } from '../deck/card-deck.ts';
import { ensureStationEnrolled, issueStationCredentials } from '../pki/enrolment.ts';
import { openCertificateAuthority, validityFrom } from '../pki/host-pki.ts';
import { purchaseFor } from '../purchase-fixture.ts';
import { BUNDLED_DECK_PATH, startHost, type RunningHost } from '../start-host.ts';

const packager = createPackager(PROFILE_FIELDS);
const TID = 'POS00001';
const card = loadCardDeck(BUNDLED_DECK_PATH).cards.find((candidate) => candidate.id === 'unionpay-debit-approved')!;
const root = mkdtempSync(join(tmpdir(), 'host-tls-'));
const bankDir = join(root, 'bank');
const stationDir = join(root, 'station', 'acquirer-tls');
const hostLog: string[] = [];
let host: RunningHost;
let station: StationTlsBundle;

beforeAll(async () => {
  host = await startHost({ dataDir: bankDir, port: 0, log: (line) => hostLog.push(line), enrolStation: { terminalId: TID, dir: stationDir } });
  station = readStationTlsBundle(stationDir);
});
afterAll(async () => {
  await host.close();
  rmSync(root, { recursive: true, force: true });
});

const open: IsoChannel[] = [];
afterEach(() => {
  for (const channel of open.splice(0)) channel.destroy();
});

async function connect(bundle: Partial<StationTlsBundle> & { hostCaPem: string }): Promise<IsoMux> {
  const channel = await connectIsoChannel({
    host: '127.0.0.1',
    port: host.port,
    packager,
    tls: { ca: bundle.hostCaPem, ...(bundle.certificatePem === undefined ? {} : { certificate: bundle.certificatePem }), ...(bundle.privateKeyPem === undefined ? {} : { privateKey: bundle.privateKeyPem }) },
  });
  open.push(channel);
  return new IsoMux(channel);
}

const echo = (stan: string, tid = TID): IsoMessage => createMessage('0800', { 7: '1121101530', 11: stan, 41: tid, 70: '301' });

/** Connects and sends; resolves with how it was refused (at connect or by the closed link), or fails if it got an answer. */
async function refused(bundle: Partial<StationTlsBundle> & { hostCaPem: string }, stan: string): Promise<string> {
  try {
    const mux = await connect(bundle);
    const answer = await mux.request(echo(stan), { timeoutMs: 10_000 });
    throw new Error(`answered ${getText(answer, 39) ?? '?'}: the host should have refused the handshake`);
  } catch (error) {
    return (error as Error).message;
  }
}

/** Host log lines about messages (as opposed to connections and handshakes) for a STAN. */
const messageLines = (stan: string) => hostLog.filter((line) => line.includes(` stan=${stan} `));

describe('mutual TLS on the host link', () => {
  it('serves a station with a good client certificate over TLS 1.3: an echo and a real sale, framed as over TCP', async () => {
    const mux = await connect(station);
    expect(getText(await mux.request(echo('000101'), { timeoutMs: 10_000 }), 39)).toBe('00');
    const sale = await mux.request(purchaseFor(card, { stan: '000102', terminalId: TID }), { timeoutMs: 10_000 });
    expect(getText(sale, 39)).toBe('00');
    expect(getText(sale, 37)).toMatch(/^\d{12}$/);
    expect(hostLog.some((line) => /connection 127\.0\.0\.1:\d+ accepted: TLSv1\.3, client certificate for terminal POS00001$/.test(line))).toBe(true);
    expect(messageLines('000102').join('\n')).toMatch(/ 0200 stan=000102 tid=POS00001 pan=621234\*{6}\d{4} rc=00 /);
  });

  it.each([
    ['no client certificate', () => ({ hostCaPem: station.hostCaPem }), 'the client sent no certificate'],
    ['a certificate from a foreign CA', async () => foreignCredentials(), "the client certificate is not from this host's CA"],
    ['an expired certificate from the host\'s own CA', async () => expiredCredentials(), 'the client certificate has expired (CERT_HAS_EXPIRED)'],
    ["the host's own server certificate (its CA's, but not for a client)", async () => serverCredentials(), 'the certificate is not a client certificate (INVALID_PURPOSE)'],
  ] as const)('refuses a client with %s: the connection is dropped, the reason logged, nothing is read', async (_case, credentials, reason) => {
    const stan = String(200 + Math.floor(Math.random() * 700)).padStart(6, '0');
    const refusals = () => hostLog.filter((line) => line.includes('TLS client refused'));
    const before = refusals().length;
    expect(await refused(await credentials(), stan)).toBeTruthy();
    await vi.waitUntil(() => refusals().length > before, { timeout: 10_000 });
    expect(refusals().at(-1)).toMatch(/TLS client refused from 127\.0\.0\.1:\d+: /);
    expect(refusals().at(-1)).toContain(reason);
    expect(messageLines(stan)).toEqual([]);
  });

  it('frames a message inside TLS exactly as over plain TCP: the same bytes, 2-byte length prefix and all', async () => {
    const pki = readFileSync(join(bankDir, 'pki', 'host.pem'), 'utf8');
    const received: Buffer[] = [];
    const server = tls.createServer({ key: pki, cert: pki, minVersion: 'TLSv1.3' }, (socket) => socket.on('data', (chunk: Buffer) => received.push(chunk)).on('error', () => {}));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    try {
      const channel = await connectIsoChannel({ host: '127.0.0.1', port: (server.address() as AddressInfo).port, packager, tls: { ca: station.hostCaPem } });
      open.push(channel);
      const message = echo('000350');
      channel.send(message);
      const expected = encodeFrame(packager.pack(message));
      await vi.waitUntil(() => Buffer.concat(received).length >= expected.length, { timeout: 10_000 });
      expect(Buffer.concat(received)).toEqual(expected);
    } finally {
      for (const channel of open.splice(0)) channel.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    }
  });

  it('refuses a plain TCP client and a client that offers nothing newer than TLS 1.2', async () => {
    const plain = await connectIsoChannel({ host: '127.0.0.1', port: host.port, packager });
    open.push(plain);
    await expect(new IsoMux(plain).request(echo('000301'), { timeoutMs: 10_000 })).rejects.toThrow(/closed/);
    await vi.waitUntil(() => hostLog.some((line) => line.includes('not a TLS handshake')), { timeout: 10_000 });

    const old = tls.connect({ host: '127.0.0.1', port: host.port, ca: station.hostCaPem, cert: station.certificatePem, key: station.privateKeyPem, maxVersion: 'TLSv1.2' });
    const outcome = await new Promise<string>((resolve) => {
      old.once('secureConnect', () => resolve('connected'));
      old.once('error', (error: NodeJS.ErrnoException) => resolve(error.code ?? error.message));
    });
    old.destroy();
    expect(outcome).toMatch(/PROTOCOL_VERSION|UNSUPPORTED_PROTOCOL/);
    expect(messageLines('000301')).toEqual([]);
  });

  it('binds the connection to its certificate\'s terminal: another DE41 is answered 58 and changes nothing', async () => {
    const mux = await connect(station);
    const before = availableOf(card.id);
    const answer = await mux.request(purchaseFor(card, { stan: '000401', terminalId: 'POS00002' }), { timeoutMs: 10_000 });
    expect(getText(answer, 39)).toBe('58');
    expect(getText(answer, 37)).toBeUndefined();
    expect(availableOf(card.id)).toBe(before);
    expect(messageLines('000401').join('\n')).toContain("tid=POS00002 pan=621234******1232 rc=58");
    expect(messageLines('000401').join('\n')).toContain("not the terminal of this connection's certificate (POS00001)");
    // The same connection still serves its own terminal.
    expect(getText(await mux.request(echo('000402'), { timeoutMs: 10_000 }), 39)).toBe('00');
  });

  it('names terminals whose ID holds commas, plus signs, backslashes or a leading #, exactly', async () => {
    for (const terminalId of ['T,+"\\;=X', '#ABCDEF1', ' SPACED ']) {
      const ca = await openCertificateAuthority(bankDir, { now: new Date(), log: () => {} });
      const mux = await connect(await issueStationCredentials(ca, terminalId, validityFrom(new Date())));
      expect(getText(await mux.request(echo('000501', terminalId), { timeoutMs: 10_000 }), 39)).toBe('00');
      expect(getText(await mux.request(echo('000502', TID), { timeoutMs: 10_000 }), 39)).toBe('58');
    }
  });
});

describe("the host's PKI", () => {
  it('keeps its keys owner-only and its CA for good: a restarted host serves the same certificates and re-enrols nobody', async () => {
    for (const file of ['ca.pem', 'host.pem']) expect(statSync(join(bankDir, 'pki', file)).mode & 0o777).toBe(0o600);
    expect(statSync(join(stationDir, 'station.key')).mode & 0o777).toBe(0o600);
    const files = ['ca.pem', 'host.pem'].map((file) => readFileSync(join(bankDir, 'pki', file), 'utf8'));
    const stationFiles = readFileSync(join(stationDir, 'station.crt'), 'utf8');
    const restartLog: string[] = [];
    const fingerprint = host.caFingerprint;
    // One host per ledger: the first stops, then the same start again on its data directory.
    for (const channel of open.splice(0)) channel.destroy();
    await host.close();
    host = await startHost({ dataDir: bankDir, port: 0, log: (line) => restartLog.push(line), enrolStation: { terminalId: TID, dir: stationDir } });
    expect(host.caFingerprint).toBe(fingerprint);
    expect(['ca.pem', 'host.pem'].map((file) => readFileSync(join(bankDir, 'pki', file), 'utf8'))).toEqual(files);
    expect(readFileSync(join(stationDir, 'station.crt'), 'utf8')).toBe(stationFiles);
    expect(restartLog.filter((line) => line.startsWith('pki:'))).toEqual([]);
    const mux = await connect(station);
    expect(getText(await mux.request(echo('000601'), { timeoutMs: 10_000 }), 39)).toBe('00');
  });

  it('re-issues the server certificate (same CA) when it must name another address, and re-enrols a station whose files are for another terminal', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'host-tls-pki-'));
    try {
      const log: string[] = [];
      const first = await startHost({ dataDir: dir, port: 0, log: (line) => log.push(line), enrolStation: { terminalId: 'POS00007', dir: join(dir, 'station') } });
      await first.close();
      const second = await startHost({ dataDir: dir, host: '127.0.0.2', port: 0, log: (line) => log.push(line), enrolStation: { terminalId: 'POS00008', dir: join(dir, 'station') } });
      await second.close();
      expect(second.caFingerprint).toBe(first.caFingerprint);
      expect(log.filter((line) => line.startsWith('pki:'))).toEqual([
        expect.stringContaining("created the host's certification authority"),
        expect.stringContaining("issued the host's server certificate for localhost, 127.0.0.1, ::1 (none yet)"),
        expect.stringContaining('enrolled terminal POS00007 (not enrolled yet)'),
        expect.stringContaining("issued the host's server certificate for localhost, 127.0.0.1, ::1, 127.0.0.2 (did not name 127.0.0.2)"),
        expect.stringContaining('enrolled terminal POS00008 (its certificate was for terminal POS00007)'),
      ]);
      expect(new X509Certificate(readFileSync(join(dir, 'pki', 'host.pem'))).subjectAltName).toContain('IP Address:127.0.0.2');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('keeps a valid enrolment, and re-enrols one that is broken, expired or pinned to another CA', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'host-tls-enrol-'));
    try {
      const ca = await openCertificateAuthority(join(dir, 'bank'), { now: new Date(), log: () => {} });
      const options = { terminalId: TID, dir: join(dir, 'station'), now: new Date(), log: () => {} };
      expect(await ensureStationEnrolled(ca, options)).toBe('issued');
      expect(await ensureStationEnrolled(ca, options)).toBe('kept');
      writeFileSync(join(options.dir, 'station.key'), 'not a key');
      expect(await ensureStationEnrolled(ca, options)).toBe('issued');
      expect(await ensureStationEnrolled(ca, { ...options, now: new Date(Date.now() + 340 * 86_400_000) })).toBe('issued');
      const other = await openCertificateAuthority(join(dir, 'other-bank'), { now: new Date(), log: () => {} });
      expect(await ensureStationEnrolled(other, options)).toBe('issued');
      expect(readStationTlsBundle(options.dir).hostCaPem).toBe(other.certificatePem);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

/** A station enrolled with some other host: its own CA, its own key. */
async function foreignCredentials(): Promise<StationTlsBundle> {
  const dir = mkdtempSync(join(tmpdir(), 'foreign-ca-'));
  const ca = await openCertificateAuthority(dir, { now: new Date(), log: () => {} });
  rmSync(dir, { recursive: true, force: true });
  const issued = await issueStationCredentials(ca, TID, validityFrom(new Date()));
  // It trusts the right host; only its own certificate is foreign.
  return { ...issued, hostCaPem: station.hostCaPem };
}

async function serverCredentials(): Promise<StationTlsBundle> {
  const pem = readFileSync(join(bankDir, 'pki', 'host.pem'), 'utf8');
  return { hostCaPem: station.hostCaPem, certificatePem: pem, privateKeyPem: pem };
}

async function expiredCredentials(): Promise<StationTlsBundle> {
  const ca = await openCertificateAuthority(bankDir, { now: new Date(), log: () => {} });
  const lastYear = new Date(Date.now() - 400 * 86_400_000);
  return issueStationCredentials(ca, TID, { notBefore: lastYear, notAfter: new Date(lastYear.getTime() + 30 * 86_400_000) });
}

/** A card's available amount as committed in the ledger file. */
function availableOf(cardId: string): number {
  const db = new DatabaseSync(host.ledgerPath, { readOnly: true });
  try {
    return (db.prepare('SELECT available_minor FROM accounts WHERE card_id = ?').get(cardId) as { available_minor: number }).available_minor;
  } finally {
    db.close();
  }
}
