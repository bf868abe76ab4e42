/** The CLI entry as its own process: standalone, and as a child with an IPC channel. */
import { fork, spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
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

async function echo(port: number): Promise<string | undefined> {
  const channel = await connectIsoChannel({ host: '127.0.0.1', port, packager: createPackager(PROFILE_FIELDS) });
  try {
    const response = await new IsoMux(channel).request(createMessage('0800', { 11: '000001', 41: 'POS00001', 70: '301' }), { timeoutMs: 10_000 });
    return response.fields.get(39) as string;
  } finally {
    channel.destroy();
  }
}

describe('bank-host.ts as a child process', () => {
  it('tells the parent where it listens, serves, and exits 0 on SIGTERM', async () => {
    const host = forkHost(['--port', '0', '--data', dataDir]);
    const message = await firstMessage(host);
    expect(message).toEqual({ type: 'listening', host: '127.0.0.1', port: expect.any(Number), wallet: { host: '127.0.0.1', port: expect.any(Number) } });
    expect(await echo((message as { port: number }).port)).toBe('00');
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
  it('prints where it listens and stops on SIGTERM', async () => {
    child = spawn(process.execPath, [ENTRY, '--port', '0', '--data', dataDir], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    const port = await new Promise<number>((resolve) => {
      child!.stdout!.on('data', (chunk: Buffer) => {
        stdout += chunk.toString();
        const match = /listening on 127\.0\.0\.1:(\d+)/.exec(stdout);
        if (match) resolve(Number(match[1]));
      });
    });
    expect(await echo(port)).toBe('00');
    child.kill('SIGTERM');
    expect(await exitCode(child)).toBe(0);
    expect(stdout).toMatch(/ 0800 stan=000001 tid=POS00001 pan=- rc=00 /);
  });

  it('prints usage and exits 2 on a bad argument', async () => {
    child = spawn(process.execPath, [ENTRY, '--port', 'many'], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stderr = '';
    child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    expect(await exitCode(child)).toBe(2);
    expect(stderr).toContain('usage: node bank/bank-host.ts');
  });
});
