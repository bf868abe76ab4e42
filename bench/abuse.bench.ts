/**
 * Station abuse benchmark (`npm run bench:abuse`, or `node bench/abuse.bench.ts [--runs N]
 * [--calls N] [--reconnects N]`): does the station's memory stay flat under abuse?
 *
 * Each run starts the real station (main/station-server/start.ts, its bundled host and virtual
 * devices) in a fresh data directory, with the probe (bench/abuse-probe.ts) loaded into its process
 * to force a full GC and read the RSS. Then, against the checkout's socket with the checkout's token:
 *   1. idle RSS after a forced GC, once the link is signed on and the station has served a few calls;
 *   2. 1,000,000 invalid calls (unknown methods, inputs their schemas refuse), answered with errors,
 *      over 4 connections with 32 calls in flight each (the bridge's limit);
 *   3. 10,000 reconnects (open with the token, take the replayed state, close), 8 at a time, and
 *      10,000 refused upgrades without a token, reset by the client;
 *   4. RSS right after, and after a forced GC.
 * The bound: RSS after the forced GC within 64 MiB of the idle RSS. It prints each run, then the
 * median and the spread (min–max) of the runs; figures are this machine's, and only as good as the
 * machine is quiet.
 */
import { fork, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, rmSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { performance } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import WebSocket from 'ws';

const ROOT = resolve(import.meta.dirname, '..');
const BOUND_MIB = 64;
const CONNECTIONS = 4;
const IN_FLIGHT = 32;
const RECONNECTS_AT_ONCE = 8;
const MIB = 1024 * 1024;

const { values: flags } = parseArgs({ options: { runs: { type: 'string', default: '3' }, calls: { type: 'string', default: '1000000' }, reconnects: { type: 'string', default: '10000' } } });
const RUNS = Number(flags.runs);
const CALLS = Number(flags.calls);
const RECONNECTS = Number(flags.reconnects);

interface Measured {
  readonly rssBeforeGc: number;
  readonly rss: number;
  readonly heapUsed: number;
}

interface Station {
  readonly child: ChildProcess;
  readonly checkoutUrl: string;
  measure(): Promise<Measured>;
  stop(): Promise<void>;
}

async function startStation(dataDir: string): Promise<Station> {
  const child = fork(join(ROOT, 'main', 'station-server', 'start.ts'), [], {
    execArgv: ['--expose-gc', '--import', join(ROOT, 'bench', 'abuse-probe.ts')],
    env: { ...process.env, POS_DATA_DIR: dataDir },
    stdio: ['ignore', 'pipe', 'inherit', 'ipc'],
  });
  const checkoutUrl = await new Promise<string>((resolvePromise, reject) => {
    let buffered = '';
    child.stdout?.on('data', (chunk: Buffer) => {
      buffered += chunk.toString();
      const line = buffered.split('\n').find((candidate) => candidate.startsWith('STATION_READY '));
      if (line) resolvePromise((JSON.parse(line.slice('STATION_READY '.length)) as { pages: Record<string, string> }).pages['index.html'] as string);
      // Only the ready line matters; the rest of the station's log is read and dropped.
      if (buffered.length > 65_536) buffered = buffered.slice(-1024);
    });
    child.once('exit', (code) => reject(new Error(`the station exited with ${code} before it was ready`)));
  });
  return {
    child,
    checkoutUrl,
    async measure() {
      child.send({ type: 'measure' });
      const [answer] = (await once(child, 'message')) as [Measured];
      return answer;
    },
    async stop() {
      child.kill('SIGTERM');
      await once(child, 'exit');
    },
  };
}

function socketUrl(pageUrl: string, token = new URL(pageUrl).hash.slice('#token='.length)): string {
  return `ws://${new URL(pageUrl).host}/ws/pos?token=${token}`;
}

function open(pageUrl: string): Promise<WebSocket> {
  return new Promise((resolvePromise, reject) => {
    const socket = new WebSocket(socketUrl(pageUrl), { origin: new URL(pageUrl).origin });
    socket.once('open', () => resolvePromise(socket));
    socket.once('error', reject);
  });
}

/** The n-th invalid call: each is answered with an error result (unknown_method or invalid_input). */
function invalidCall(id: number): string {
  switch (id % 5) {
    case 0:
      return JSON.stringify({ type: 'invoke', id, method: `noSuchMethod${id % 997}`, input: {} });
    case 1:
      return JSON.stringify({ type: 'invoke', id, method: 'addItem', input: { sku: '', quantity: -id } });
    case 2:
      return JSON.stringify({ type: 'invoke', id, method: 'listSales', input: { limit: 'all' } });
    case 3:
      return JSON.stringify({ type: 'invoke', id, method: 'voidSale', input: { saleId: -1, extra: 'x'.repeat(id % 2048) } });
    default:
      return JSON.stringify({ type: 'invoke', id, method: '__proto__', input: null });
  }
}

/** `calls` invalid calls over one connection, `IN_FLIGHT` outstanding at a time. */
function invalidCalls(socket: WebSocket, firstId: number, calls: number): Promise<number> {
  return new Promise((resolvePromise, reject) => {
    let sent = 0;
    let answered = 0;
    let refusedBusy = 0;
    const pump = () => {
      while (sent - answered < IN_FLIGHT && sent < calls) socket.send(invalidCall(firstId + sent++));
      if (answered === calls) {
        socket.off('message', onMessage);
        resolvePromise(refusedBusy);
      }
    };
    const onMessage = (data: WebSocket.RawData) => {
      const frame = JSON.parse(data.toString()) as { type: string; result?: { ok: boolean; error?: { code: string } } };
      if (frame.type !== 'result') return;
      if (frame.result?.ok !== false) return reject(new Error(`an invalid call was accepted: ${data.toString().slice(0, 200)}`));
      if (frame.result.error?.code === 'busy') refusedBusy += 1;
      answered += 1;
      pump();
    };
    socket.on('message', onMessage);
    socket.once('close', (code) => reject(new Error(`the station closed the connection (${code}) during the invalid calls`)));
    pump();
  });
}

async function reconnects(pageUrl: string, count: number): Promise<void> {
  for (let done = 0; done < count; done += RECONNECTS_AT_ONCE) {
    await Promise.all(
      Array.from({ length: Math.min(RECONNECTS_AT_ONCE, count - done) }, async () => {
        const socket = await open(pageUrl);
        const closed = once(socket, 'close');
        socket.close();
        await closed;
      }),
    );
  }
}

/** An upgrade without a token from a foreign origin, reset by the client before the answer. */
function refusedUpgrade(pageUrl: string): Promise<void> {
  const { hostname, port, host } = new URL(pageUrl);
  return new Promise((resolvePromise) => {
    const socket = connect({ host: hostname, port: Number(port) }, () => {
      socket.write(`GET /ws/pos HTTP/1.1\r\nHost: ${host}\r\nOrigin: https://evil.example\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n`);
      setImmediate(() => socket.resetAndDestroy());
    });
    socket.on('error', () => undefined);
    socket.on('close', () => resolvePromise());
  });
}

async function refusedUpgrades(pageUrl: string, count: number): Promise<void> {
  for (let done = 0; done < count; done += RECONNECTS_AT_ONCE) {
    await Promise.all(Array.from({ length: Math.min(RECONNECTS_AT_ONCE, count - done) }, () => refusedUpgrade(pageUrl)));
  }
}

interface RunResult {
  readonly idle: number;
  readonly afterAbuse: number;
  readonly afterGc: number;
  readonly callsPerSecond: number;
  readonly busy: number;
}

async function run(): Promise<RunResult> {
  const dataDir = mkdtempSync(join(tmpdir(), 'abuse-bench-'));
  const station = await startStation(dataDir);
  try {
    // Settled: signed on, a few real calls served, one reconnect done.
    const warm = await open(station.checkoutUrl);
    for (let attempt = 0; ; attempt++) {
      warm.send(JSON.stringify({ type: 'invoke', id: attempt, method: 'getLinkStatus', input: {} }));
      const [data] = (await once(warm, 'message')) as [WebSocket.RawData];
      if ((JSON.parse(data.toString()) as { result?: { value?: { state?: string } } }).result?.value?.state === 'up') break;
      await new Promise((resolvePromise) => setTimeout(resolvePromise, 100));
    }
    warm.close();
    await reconnects(station.checkoutUrl, RECONNECTS_AT_ONCE);
    const idle = (await station.measure()).rss;

    const sockets = await Promise.all(Array.from({ length: CONNECTIONS }, () => open(station.checkoutUrl)));
    const started = performance.now();
    const perSocket = Math.ceil(CALLS / CONNECTIONS);
    const busy = (await Promise.all(sockets.map((socket, index) => invalidCalls(socket, index * perSocket, perSocket)))).reduce((sum, count) => sum + count, 0);
    const callsPerSecond = (perSocket * CONNECTIONS) / ((performance.now() - started) / 1000);
    for (const socket of sockets) socket.close();
    await reconnects(station.checkoutUrl, RECONNECTS);
    await refusedUpgrades(station.checkoutUrl, RECONNECTS);

    const after = await station.measure();
    return { idle, afterAbuse: after.rssBeforeGc, afterGc: after.rss, callsPerSecond, busy };
  } finally {
    await station.stop();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

const mib = (bytes: number) => (bytes / MIB).toFixed(1);
const median = (values: readonly number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? (sorted[middle] as number) : ((sorted[middle - 1] as number) + (sorted[middle] as number)) / 2;
};

console.log(`station abuse: ${CALLS.toLocaleString('en')} invalid calls, ${RECONNECTS.toLocaleString('en')} reconnects and ${RECONNECTS.toLocaleString('en')} refused upgrades per run, ${RUNS} runs`);
console.log('run   idle MiB   after abuse MiB   after GC MiB   growth MiB   invalid calls/s');
const results: RunResult[] = [];
for (let index = 1; index <= RUNS; index++) {
  const result = await run();
  results.push(result);
  console.log(
    `${String(index).padEnd(6)}${mib(result.idle).padStart(8)}${mib(result.afterAbuse).padStart(18)}${mib(result.afterGc).padStart(15)}${mib(result.afterGc - result.idle).padStart(13)}${Math.round(result.callsPerSecond).toLocaleString('en').padStart(18)}`,
  );
}
const column = (pick: (result: RunResult) => number) => {
  const values = results.map(pick);
  return `${mib(median(values))} (${mib(Math.min(...values))}–${mib(Math.max(...values))})`;
};
console.log(`median (spread)  idle ${column((result) => result.idle)}  after abuse ${column((result) => result.afterAbuse)}  after GC ${column((result) => result.afterGc)}  growth ${column((result) => result.afterGc - result.idle)} MiB`);
const worst = Math.max(...results.map((result) => result.afterGc - result.idle));
console.log(`bound: RSS after a forced GC within ${BOUND_MIB} MiB of idle: ${worst <= BOUND_MIB * MIB ? 'HOLDS' : 'MISSED'} (worst run ${worst >= 0 ? '+' : ''}${mib(worst)} MiB)`);
if (results.some((result) => result.busy > 0)) console.log(`note: ${results.reduce((sum, result) => sum + result.busy, 0)} calls were refused busy (more than ${IN_FLIGHT} in flight)`);
process.exitCode = worst <= BOUND_MIB * MIB ? 0 : 1;
