/**
 * The station's side of the TLS link, through the product's own acquirer services (the rig): it
 * pins its host's CA and refuses any other host before a byte is sent; it says at start how the
 * link is protected, and why it cannot be when it cannot; and plain TCP, configured explicitly,
 * still works and says it is not encrypted.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { AddressInfo } from 'node:net';
import tls from 'node:tls';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { readStationTlsBundle, STATION_TLS_FILES, writeStationTlsBundle } from '../../common-node/station-tls-bundle.ts';
import { issueStationCredentials } from '../../bank/pki/enrolment.ts';
import { openCertificateAuthority, validityFrom } from '../../bank/pki/host-pki.ts';
import { startHost, type RunningHost } from '../../bank/start-host.ts';
import { startChildProcessHost } from '../host/child-process-host.ts';
import { HOST_ENTRY, rigEnrolment, startRig, type Rig } from '../test-support/station-rig.ts';
import { stationTlsDir } from './link-security.ts';

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

interface Bank {
  readonly host: RunningHost;
  readonly log: string[];
}

async function bank(options: { enrol?: string; transport?: 'tls' | 'plain'; terminalId?: string } = {}): Promise<Bank> {
  const log: string[] = [];
  const dataDir = mkdtempSync(join(tmpdir(), 'acquirer-tls-bank-'));
  const enrolStation = options.enrol === undefined ? undefined : { ...rigEnrolment(options.enrol), ...(options.terminalId === undefined ? {} : { terminalId: options.terminalId }) };
  const host = await startHost({ dataDir, port: 0, log: (line) => log.push(line), transport: options.transport ?? 'tls', ...(enrolStation === undefined ? {} : { enrolStation }) });
  cleanups.push(() => host.close());
  return { host, log };
}

async function rig(port: number, dataDir: string, transport: 'tls' | 'plain' = 'tls'): Promise<Rig> {
  const started = await startRig({ host: '127.0.0.1', port, dataDir, transport, responseTimeoutMs: 2000, reconnectBaseMs: 60_000 });
  cleanups.push(() => started.stop());
  return started;
}

const stationDir = () => mkdtempSync(join(tmpdir(), 'acquirer-tls-station-'));
const signOnFailure = (station: Rig) => vi.waitUntil(() => station.log.find((line) => line.startsWith('acquirer link: sign-on')), { timeout: 10_000 });
/** What the station says about its link at start (the first of its 'acquirer link:' lines). */
const linkLine = (station: Rig) => station.log.find((line) => line.startsWith('acquirer link: ')) ?? '';
/** Host log lines about ISO 8583 messages: anything the station managed to send. */
const messages = (log: readonly string[]) => log.filter((line) => / 0[0-9]{3} stan=/.test(line));

describe('the station pins its host', () => {
  it('refuses a host whose certificate is not from the pinned CA: link down, a clear log line, nothing sent', async () => {
    const dataDir = stationDir();
    await bank({ enrol: dataDir });
    const impostor = await bank();
    const station = await rig(impostor.host.port, dataDir);

    expect(await signOnFailure(station)).toBe(
      `acquirer link: sign-on failed: cannot reach the acquirer host at 127.0.0.1:${impostor.host.port}: TLS: the host's certificate is not from the pinned CA (SELF_SIGNED_CERT_IN_CHAIN)`,
    );
    expect(station.services.acquirer.status()).toEqual({ state: 'down', transport: 'tls', pendingReversals: 0 });
    await station.signInAndOpenShift();
    expect((await station.cardSale('unionpay-debit-approved', ['123456'], ['COF-001'])).final).toMatchObject({ step: 'failed', failure: 'host_unreachable' });
    expect(messages(impostor.log)).toEqual([]);
    // Node's client drops a host it does not trust without a TLS alert: the impostor sees a hang-up.
    expect(impostor.log.join('\n')).toContain("TLS handshake refused from");
  });

  it("refuses a certificate from the pinned CA that is not the host's (a station's own, served by an impostor)", async () => {
    const dataDir = stationDir();
    await bank({ enrol: dataDir });
    const bundle = readStationTlsBundle(stationTlsDir(dataDir));
    const received: Buffer[] = [];
    const impostor = tls.createServer({ key: bundle.privateKeyPem, cert: bundle.certificatePem }, (socket) => socket.on('data', (chunk: Buffer) => received.push(chunk)).on('error', () => {}));
    impostor.on('tlsClientError', () => {});
    await new Promise<void>((resolve) => impostor.listen(0, '127.0.0.1', resolve));
    cleanups.push(() => new Promise<void>((resolve) => impostor.close(() => resolve())));
    const station = await rig((impostor.address() as AddressInfo).port, dataDir);

    expect(await signOnFailure(station)).toMatch(/TLS: the host's certificate (does not name the address dialled|is not a server certificate)/);
    expect(received).toEqual([]);
  });
});

describe('what the station says about its link', () => {
  it('says at start that the link is TLS 1.3 with its certificate, and which CA it pins', async () => {
    const dataDir = stationDir();
    const { host } = await bank({ enrol: dataDir });
    const station = await rig(host.port, dataDir);
    await station.waitUntilUp();
    expect(linkLine(station)).toMatch(
      new RegExp(`^acquirer link: TLS 1\\.3 to 127\\.0\\.0\\.1:${host.port} with mutual authentication: client certificate for terminal POS00001 valid until \\S+, pinned host CA SHA-256 ${host.caFingerprint} \\(`),
    );
    expect(station.services.acquirer.status()).toEqual({ state: 'up', transport: 'tls', pendingReversals: 0 });
  });

  it('without credentials, says it is not enrolled and how to enrol it, and sends nothing', async () => {
    const dataDir = stationDir();
    const host = await bank();
    const station = await rig(host.host.port, dataDir);
    expect(linkLine(station)).toContain(`the station cannot use its credentials: no ${STATION_TLS_FILES.hostCa} in ${stationTlsDir(dataDir)}: the station is not enrolled with its acquirer host`);
    expect(linkLine(station)).toContain("npm run bank -- enrol --terminal 'POS00001'");
    expect(await signOnFailure(station)).toContain('sign-on failed: no TLS credentials for the link to 127.0.0.1:');
    expect(host.log.filter((line) => line.includes('127.0.0.1:'))).toEqual([]);
  });

  it('with a certificate for another terminal, warns at start, and the host refuses its sign-on (58)', async () => {
    const dataDir = stationDir();
    const { host, log } = await bank({ enrol: dataDir, terminalId: 'POS00009' });
    const station = await rig(host.port, dataDir);
    expect(station.log).toContainEqual(expect.stringContaining('the client certificate is for terminal POS00009 but station.json says POS00001: the host refuses every request (58)'));
    expect(await signOnFailure(station)).toBe('acquirer link: sign-on refused (0810 DE39 58)');
    expect(messages(log).join('\n')).toContain('tid=POS00001 pan=- rc=58');
  });

  it('when the host refuses its certificate, says the host hung up after the handshake', async () => {
    const dataDir = stationDir();
    const { host, log } = await bank({ enrol: dataDir });
    // The right CA pinned, but a certificate some other host issued.
    const elsewhere = await openCertificateAuthority(stationDir(), { now: new Date(), log: () => {} });
    const foreign = await issueStationCredentials(elsewhere, 'POS00001', validityFrom(new Date()));
    writeStationTlsBundle(stationTlsDir(dataDir), { ...foreign, hostCaPem: readStationTlsBundle(stationTlsDir(dataDir)).hostCaPem });
    const station = await rig(host.port, dataDir);
    expect(station.log).toContainEqual(expect.stringContaining('will be refused: station.crt is not issued by host-ca.crt'));
    expect(await signOnFailure(station)).toContain("closed by the host straight after the TLS handshake, before any answer: it probably refused the station's certificate");
    await vi.waitUntil(() => log.some((line) => line.includes('TLS client refused')));
    expect(messages(log)).toEqual([]);
  });

  it('a TLS station meeting a plain TCP host gives up after its timeout and says why', async () => {
    const dataDir = stationDir();
    await bank({ enrol: dataDir });
    const plain = await bank({ transport: 'plain' });
    const station = await rig(plain.host.port, dataDir);
    // The plain host reads the ClientHello as the start of a long frame and waits: the connect timeout ends it.
    expect(await signOnFailure(station)).toBe(
      `acquirer link: sign-on failed: cannot reach the acquirer host at 127.0.0.1:${plain.host.port}: the TLS handshake did not complete within 2000 ms (is the host a plain TCP one?)`,
    );
  });
});

describe('plain TCP, configured explicitly', () => {
  it('runs a sale with a bundled host started plain, says NOT ENCRYPTED at start, and reports the link as plain', async () => {
    const dataDir = stationDir();
    const host = await startChildProcessHost({ entry: HOST_ENTRY, dataDir: join(dataDir, 'bank'), port: 0, link: { transport: 'plain' }, log: () => undefined });
    cleanups.push(() => host.stop());
    const station = await rig(host.port, dataDir, 'plain');
    await station.waitUntilUp();
    expect(linkLine(station)).toBe(
      `acquirer link: NOT ENCRYPTED: plain TCP to 127.0.0.1:${host.port} (station.json acquirer.transport "plain"); the ISO 8583 messages, card data included, cross the network in clear`,
    );
    expect(station.services.acquirer.status()).toEqual({ state: 'up', transport: 'plain', pendingReversals: 0 });
    await station.signInAndOpenShift();
    expect((await station.cardSale('unionpay-debit-approved', ['123456'], ['COF-001'])).final).toMatchObject({ step: 'approved' });
  });
});

