/** The CLI entry as its own process: standalone, and as a child with an IPC channel; TLS by default, plain when asked. */
import { fork, spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { readStationTlsBundle } from '../common-node/station-tls-bundle.ts';
import { connectIsoChannel } from '../payments/iso8583/channel.ts';
import { createMessage } from '../payments/iso8583/message.ts';
import { IsoMux } from '../payments/iso8583/mux.ts';
import { createPackager } from '../payments/iso8583/packager.ts';
import { PROFILE_FIELDS } from '../payments/iso8583/profile.ts';
import type { HostToParentMessage } from './parent-link.ts';

const ENTRY = fileURLToPath(new URL('./bank-host.ts', import.meta.url));
let dataDir: string;
let child: ChildProcess | undefined;

beforeEach(() => {
  dataDir = mkdtempSync(join(tmpdir(), 'bank-cli-'));
});

afterEach(() => {
  if (child && child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  child = undefined;
  rmSync(dataDir, { recursive: true, force: true });
});

function forkHost(args: string[]): ChildProcess {
  // process.execPath is the Node 24 running this suite; the entry runs on its type stripping.
  child = fork(ENTRY, args, { execPath: process.execPath, stdio: ['ignore', 'ignore', 'inherit', 'ipc'] });
  return child;
}

async function firstMessage(host: ChildProcess): Promise<HostToParentMessage> {
  const [message] = await once(host, 'message');
  return message as HostToParentMessage;
}

async function exitCode(host: ChildProcess): Promise<number | null> {
  if (host.exitCode !== null) return host.exitCode;
  const [code] = await once(host, 'exit');
  return code as number | null;
}

/** An echo test as terminal POS00001: over TLS with the credentials in `tlsDir`, or plain TCP without. */
async function echo(port: number, tlsDir?: string): Promise<string | undefined> {
  const bundle = tlsDir === undefined ? undefined : readStationTlsBundle(tlsDir);
  const tls = bundle === undefined ? undefined : { ca: bundle.hostCaPem, certificate: bundle.certificatePem, privateKey: bundle.privateKeyPem };
  const channel = await connectIsoChannel({ host: '127.0.0.1', port, packager: createPackager(PROFILE_FIELDS), ...(tls === undefined ? {} : { tls }) });
  try {
    const response = await new IsoMux(channel).request(createMessage('0800', { 11: '000001', 41: 'POS00001', 70: '301' }), { timeoutMs: 10_000 });
    return response.fields.get(39) as string;
  } finally {
    channel.destroy();
  }
}

describe('bank-host.ts as a child process', () => {
  it('tells the parent where it listens, enrols the station it was asked to, serves it over TLS, and exits 0 on SIGTERM', async () => {
    const tlsDir = join(dataDir, 'station', 'acquirer-tls');
    const host = forkHost(['--port', '0', '--data', join(dataDir, 'bank'), '--enrol-terminal', 'POS00001', '--enrol-dir', tlsDir]);
    const message = await firstMessage(host);
    expect(message).toEqual({ type: 'listening', host: '127.0.0.1', port: expect.any(Number), wallet: { host: '127.0.0.1', port: expect.any(Number) } });
    expect(await echo((message as { port: number }).port, tlsDir)).toBe('00');
    host.kill('SIGTERM');
    expect(await exitCode(host)).toBe(0);
  });

  it('exits 0 when the parent disconnects', async () => {
    const host = forkHost(['--port', '0', '--data', dataDir]);
    await firstMessage(host);
    host.disconnect();
    expect(await exitCode(host)).toBe(0);
  });

  it('exits 0 when the parent asks it to stop', async () => {
    const host = forkHost(['--port', '0', '--data', dataDir]);
    await firstMessage(host);
    host.send({ type: 'stop' });
    expect(await exitCode(host)).toBe(0);
  });

  it('reports a bad config to the parent and exits 1', async () => {
    const configPath = join(dataDir, 'host.json');
    writeFileSync(configPath, JSON.stringify({ listen: { host: '127.0.0.1', port: 'eighty' } }));
    const host = forkHost(['--port', '0', '--data', dataDir, '--config', configPath]);
    const message = await firstMessage(host);
    expect(message.type).toBe('failed');
    expect((message as { message: string }).message).toContain(configPath);
    expect((message as { message: string }).message).toContain('$.listen.port');
    expect(await exitCode(host)).toBe(1);
  });
});

describe('bank-host.ts from a shell', () => {
  /** Starts the host from a shell and resolves with its port and what it printed so far. */
  async function startFromShell(args: string[]): Promise<{ port: number; stdout: () => string }> {
    child = spawn(process.execPath, [ENTRY, '--port', '0', ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    const port = await new Promise<number>((resolve) => {
      child!.stdout!.on('data', (chunk: Buffer) => {
        stdout += chunk.toString();
        const match = /listening on 127\.0\.0\.1:(\d+)/.exec(stdout);
        if (match) resolve(Number(match[1]));
      });
    });
    return { port, stdout: () => stdout };
  }

  it('enrols a station of a host running elsewhere (`enrol`), then serves it over TLS and stops on SIGTERM', async () => {
    const bankDir = join(dataDir, 'bank');
    const outDir = join(dataDir, 'for-the-station');
    const enrolment = spawn(process.execPath, [ENTRY, 'enrol', '--terminal', 'POS00001', '--out', outDir, '--data', bankDir], { stdio: ['ignore', 'pipe', 'inherit'] });
    let printed = '';
    enrolment.stdout.on('data', (chunk: Buffer) => (printed += chunk.toString()));
    expect(await exitCode(enrolment)).toBe(0);
    expect(printed).toContain('enrolled terminal POS00001');
    expect(printed).toMatch(/CA SHA-256 fingerprint ([0-9A-F]{2}:){31}[0-9A-F]{2}/);
    expect(statSync(join(outDir, 'station.key')).mode & 0o777).toBe(0o600);

    const { port, stdout } = await startFromShell(['--data', bankDir]);
    expect(stdout()).toContain('(TLS 1.3 with client certificates, CA SHA-256 ');
    // The host printed the same CA the station now pins.
    expect(stdout()).toContain(/CA SHA-256 fingerprint (\S+)/.exec(printed)![1]);
    expect(await echo(port, outDir)).toBe('00');
    await expect(echo(port)).rejects.toThrow();
    child!.kill('SIGTERM');
    expect(await exitCode(child!)).toBe(0);
    expect(stdout()).toMatch(/ 0800 stan=000001 tid=POS00001 pan=- rc=00 /);
  });

  it('serves plain TCP with --plain, and says it is not encrypted', async () => {
    const { port, stdout } = await startFromShell(['--data', dataDir, '--plain']);
    expect(stdout()).toContain('(plain TCP, NOT ENCRYPTED)');
    expect(await echo(port)).toBe('00');
    child!.kill('SIGTERM');
    expect(await exitCode(child!)).toBe(0);
  });

  it('refuses to enrol a terminal ID that is not 8 characters, with usage for a missing option', async () => {
    const bad = spawn(process.execPath, [ENTRY, 'enrol', '--terminal', 'POS1', '--out', join(dataDir, 'out'), '--data', dataDir], { stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    bad.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    expect(await exitCode(bad)).toBe(1);
    expect(stderr).toContain('exactly 8 printable ASCII characters');
    const missing = spawn(process.execPath, [ENTRY, 'enrol', '--out', join(dataDir, 'out')], { stdio: ['ignore', 'ignore', 'pipe'] });
    let usage = '';
    missing.stderr.on('data', (chunk: Buffer) => (usage += chunk.toString()));
    expect(await exitCode(missing)).toBe(2);
    expect(usage).toContain('--terminal is required');
    expect(usage).toContain('usage: node bank/bank-host.ts enrol');
  });

  it('prints usage and exits 2 on a bad argument', async () => {
    child = spawn(process.execPath, [ENTRY, '--port', 'many'], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stderr = '';
    child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    expect(await exitCode(child)).toBe(2);
    expect(stderr).toContain('usage: node bank/bank-host.ts');
  });
});
