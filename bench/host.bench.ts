/**
 * Host benchmark (`npm run bench:host`, or `node bench/host.bench.ts [--profile]`), all traffic on
 * 127.0.0.1, bounded to about a minute:
 *   1. pack and unpack of a full 0200, this repository's packager against the npm iso_8583;
 *   2. link round trips (0800 echo) with 1, 16 and 64 terminal connections, the client being the
 *      station's own packager + IsoChannel + IsoMux;
 *   3. full purchase authorizations at the same concurrency: 0200 with a DUKPT PIN block, through
 *      PIN decryption, card checks (CVV, service code, PIN tries), the risk rules and the ledger's
 *      group commit; every terminal has its own PIN pad key, and a generated deck spreads the cards;
 *   4. kill -9 of the host under load, then every approval the client was given is looked up in
 *      the ledger file.
 * The host runs in its own process, so client and host each have a core. It prints a table and
 * PASS/MISS per target; figures are this machine's, not assertions (and only as good as the machine
 * is quiet: anything else running shares the two cores).
 *
 * With --profile only the authorization levels run, the host under --cpu-prof; it is stopped
 * cleanly rather than killed, and the report says where the host's time went (start-up included).
 */
import { cpus, tmpdir } from 'node:os';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { parseArgs } from 'node:util';
import { LEDGER_FILE_NAME } from '../bank/ledger/ledger.ts';
import { getText, type IsoMessage } from '../payments/iso8583/message.ts';
import { writeBenchFixtures } from './bench-fixtures.ts';
import { echoRequest } from './bench-requests.ts';
import { authLevel, closeMuxes, openMuxes, pad, preparePurchases, type AuthLevel } from './card-auth-level.ts';
import { runClosedLoop, type LoadResult } from './closed-loop.ts';
import { summarizeCpuProfile } from './cpu-profile-summary.ts';
import { startHostProcess, type HostProcess } from './host-process.ts';
import { measurePackUnpack } from './pack-unpack.ts';

const CONCURRENCY = [1, 16, 64] as const;
const WARMUP_MS = 500;
const ECHO_MEASURE_MS = 2_000;
const AUTH_MEASURE_MS = 3_000;
/**
 * Purchases prepared per level, PIN blocks included (the PIN pads' work, done before the window):
 * enough for 1.5 × the 5,000/s target through warm-up and window at 16 and 64 connections, and
 * for a single connection's latency-bound rate. A level that runs dry says so in the table.
 */
const AUTH_POOL: Readonly<Record<(typeof CONCURRENCY)[number], number>> = { 1: 8_000, 16: 28_000, 64: 28_000 };
const KILL_PURCHASES_PER_TERMINAL = 300;
const CARDS = 4_096;
const KILL_AFTER_MS = 400;
/** The whole run is bounded: past this, the host is killed and the benchmark fails. */
const DEADLINE_MS = 120_000;

const TARGETS = { echoPerSecond: 50_000, authPerSecond: 5_000, packUnpackRatio: 5 };

const { values: flags } = parseArgs({ options: { profile: { type: 'boolean' } } });
const dir = mkdtempSync(join(tmpdir(), 'host-bench-'));
const fixtures = writeBenchFixtures(dir, CARDS);
const profileDir = flags.profile ? join(dir, 'profile') : undefined;
let host: HostProcess | undefined;

const deadline = setTimeout(() => {
  process.stderr.write(`benchmark exceeded ${DEADLINE_MS / 1000} s; stopping\n`);
  host?.child.kill('SIGKILL');
  process.exit(1);
}, DEADLINE_MS);
deadline.unref();

async function echoLevel(port: number, connections: number): Promise<LoadResult> {
  const muxes = await openMuxes(port, connections);
  const stans = new Array<number>(connections).fill(0);
  try {
    return await runClosedLoop({ muxes, next: (index) => echoRequest(`E${pad(connections, 3)}T${pad(index, 3)}`, ++stans[index]!), warmupMs: WARMUP_MS, measureMs: ECHO_MEASURE_MS });
  } finally {
    closeMuxes(muxes);
  }
}

const approvedRrns: string[] = [];
function noteApproval(answer: IsoMessage): void {
  const rrn = getText(answer, 37);
  if (getText(answer, 39) === '00' && rrn !== undefined) approvedRrns.push(rrn);
}

/** Purchases on 64 connections, kill -9 of the host mid-stream, then the ledger file is checked. */
async function killUnderLoad(running: HostProcess): Promise<{ approvals: number; found: number; inFlightLost: number }> {
  const queues = preparePurchases(fixtures.cards, 9, 64, KILL_PURCHASES_PER_TERMINAL);
  const muxes = await openMuxes(running.port, 64);
  let inFlightLost = 0;
  const load = Promise.all(
    muxes.map(async (mux, index) => {
      for (const request of queues[index]!) {
        try {
          noteApproval(await mux.request(request, { timeoutMs: 60_000 }));
        } catch {
          inFlightLost++;
          return;
        }
      }
    }),
  );
  await new Promise((resolve) => setTimeout(resolve, KILL_AFTER_MS));
  await running.kill9();
  await load;
  closeMuxes(muxes);
  const db = new DatabaseSync(join(fixtures.dataDir, LEDGER_FILE_NAME), { readOnly: true });
  try {
    const onDisk = new Set((db.prepare('SELECT rrn FROM transactions').all() as { rrn: string }[]).map((row) => row.rrn));
    return { approvals: approvedRrns.length, found: approvedRrns.filter((rrn) => onDisk.has(rrn)).length, inFlightLost };
  } finally {
    db.close();
  }
}

// --- run -------------------------------------------------------------------------------------
const codec = profileDir === undefined ? measurePackUnpack(1) : undefined;
host = await startHostProcess({ ...fixtures, ...(profileDir === undefined ? {} : { cpuProfileDir: profileDir }) });
const echo: LoadResult[] = [];
if (profileDir === undefined) for (const connections of CONCURRENCY) echo.push(await echoLevel(host.port, connections));
const auth: AuthLevel[] = [];
for (const [level, connections] of CONCURRENCY.entries()) {
  auth.push(await authLevel({ port: host.port, level: level + 1, connections, pool: AUTH_POOL[connections], cards: fixtures.cards, warmupMs: WARMUP_MS, measureMs: AUTH_MEASURE_MS, onAnswer: noteApproval }));
}
let durability: Awaited<ReturnType<typeof killUnderLoad>> | undefined;
if (profileDir === undefined) durability = await killUnderLoad(host);
else await host.stop();

// --- report ----------------------------------------------------------------------------------
const out: string[] = [];
const cpu = cpus();
out.push(`Host benchmark: ${cpu.length} × ${cpu[0]?.model ?? 'CPU'}, Node ${process.version}, 127.0.0.1, host in its own process (pid ${host.child.pid})`);
out.push('');
out.push(row('', CONCURRENCY.map((connections) => `${connections} conn`)));
if (echo.length > 0) {
  out.push(row('Echo 0800 round trips/s', echo.map((result) => count(result.perSecond))));
  out.push(row('  latency p50 / p99 ms', echo.map(latency)));
}
out.push(row('Authorizations 0200/s', auth.map(({ result }) => count(result.perSecond) + (result.ranDry ? '*' : ''))));
out.push(row('  latency p50 / p99 ms', auth.map(({ result }) => latency(result))));
out.push(row('  answers in window', auth.map(({ codes }) => [...codes].map(([code, n]) => `${code}:${n}`).join(' '))));
if (auth.some(({ result }) => result.ranDry)) out.push('  * ran out of prepared purchases before the window closed; rate over the time it ran');
if (codec !== undefined) {
  out.push('');
  out.push(row('Full 0200, ops/s', ['this repo', 'iso_8583', 'ratio']));
  for (const kind of ['pack', 'unpack', 'packUnpack'] as const) {
    out.push(row(`  ${kind === 'packUnpack' ? 'pack + unpack' : kind}`, [count(codec.ours[kind]), count(codec.npm[kind]), `${(codec.ours[kind] / codec.npm[kind]).toFixed(1)}×`]));
  }
}
out.push('');
out.push('Targets');
const echo64 = echo.at(-1)?.perSecond;
if (echo64 !== undefined) out.push(target(`echo ≥ ${count(TARGETS.echoPerSecond)} round trips/s at 64 connections`, count(echo64), echo64 >= TARGETS.echoPerSecond));
const auth64 = auth.at(-1)!.result.perSecond;
out.push(target(`authorizations ≥ ${count(TARGETS.authPerSecond)}/s at 64 connections`, count(auth64), auth64 >= TARGETS.authPerSecond));
if (durability !== undefined) {
  out.push(
    target(
      `ledger survives kill -9 under load (${durability.inFlightLost} in flight lost)`,
      `${count(durability.found)} / ${count(durability.approvals)} approvals on disk`,
      durability.found === durability.approvals,
    ),
  );
}
if (codec !== undefined) {
  const ratio = codec.ours.packUnpack / codec.npm.packUnpack;
  out.push(target(`pack + unpack ≥ ${TARGETS.packUnpackRatio}× iso_8583`, `${ratio.toFixed(1)}×`, ratio >= TARGETS.packUnpackRatio));
}
if (profileDir !== undefined) {
  const file = readdirSync(profileDir).find((name) => name.endsWith('.cpuprofile'));
  if (file === undefined) out.push('', 'no CPU profile was written');
  else {
    const summary = summarizeCpuProfile(join(profileDir, file), 15);
    out.push('', `Host CPU profile (start-up and the authorization levels; busy in ${summary.busyPercent.toFixed(0)}% of samples), self time by area`);
    for (const { name, percent } of summary.areas) out.push(`  ${percent.toFixed(1).padStart(5)}%  ${name}`);
    out.push('Top functions by self time');
    for (const { name, percent } of summary.functions) out.push(`  ${percent.toFixed(1).padStart(5)}%  ${name}`);
  }
}
process.stdout.write(`${out.join('\n')}\n`);
clearTimeout(deadline);
rmSync(dir, { recursive: true, force: true });

function count(value: number): string {
  return Math.round(value).toLocaleString('en-US');
}

function latency(result: LoadResult): string {
  return `${result.p50Ms.toFixed(2)} / ${result.p99Ms.toFixed(2)}`;
}

function row(label: string, cells: readonly string[]): string {
  return `${label.padEnd(28)}${cells.map((cell) => cell.padStart(16)).join('')}`;
}

function target(label: string, figure: string, pass: boolean): string {
  return `  ${label.padEnd(62)}${figure.padStart(26)}  ${pass ? 'PASS' : 'MISS'}`;
}
