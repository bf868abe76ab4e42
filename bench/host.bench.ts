/**
 * Host benchmark (`npm run bench:host`, or `node bench/host.bench.ts [--rounds N] [--profile]`),
 * all traffic on 127.0.0.1, bounded to a few minutes:
 *   1. pack and unpack of a full 0200, this repository's packager against the npm iso_8583;
 *   2. link round trips (0800 echo) with 1, 16 and 64 terminal connections, the client being the
 *      station's own packager + IsoChannel + IsoMux;
 *   3. full purchase authorizations at the same concurrency: 0200 with a DUKPT PIN block, through
 *      PIN decryption, card checks (CVV, service code, PIN tries), the risk rules and the ledger's
 *      group commit; every terminal has its own PIN pad key, and a generated deck spreads the cards;
 *   4. kill -9 of the (TLS) host under load, then every approval the client was given is looked up
 *      in the ledger file.
 * 2 and 3 run against two hosts started side by side, one over TLS 1.3 with client certificates
 * (the default link, each terminal with its own certificate) and one over plain TCP: each level
 * runs on both back to back, the first alternating by round, so both see the same machine; each
 * figure is the median of the rounds (5 unless --rounds says) with their range. The handshake happens once per connection, when a level opens its connections,
 * outside the measured window (as a station keeps its link); its own cost is printed apart.
 *
 * Besides the rates it prints the CPU each message cost the host and the client (a steadier figure
 * than a rate when other work shares the machine).
 *
 * Each host runs in its own process, so client and host each have a core. It prints a table and
 * PASS/MISS per target; figures are this machine's, not assertions (and only as good as the machine
 * is quiet: anything else running shares the two cores).
 *
 * With --profile only the authorization levels run, once, against the TLS host under --cpu-prof; it
 * is stopped cleanly rather than killed, and the report says where the host's time went.
 */
import { cpus, tmpdir } from 'node:os';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { DatabaseSync } from 'node:sqlite';
import { parseArgs } from 'node:util';
import { LEDGER_FILE_NAME } from '../bank/ledger/ledger.ts';
import { issueStationCredentials } from '../bank/pki/enrolment.ts';
import { openCertificateAuthority, validityFrom } from '../bank/pki/host-pki.ts';
import { connectIsoChannel, type IsoTlsClientOptions } from '../payments/iso8583/channel.ts';
import { getText, type IsoMessage } from '../payments/iso8583/message.ts';
import { IsoMux } from '../payments/iso8583/mux.ts';
import { createPackager } from '../payments/iso8583/packager.ts';
import { PROFILE_FIELDS } from '../payments/iso8583/profile.ts';
import { writeBenchFixtures } from './bench-fixtures.ts';
import { echoRequest, purchasesFor } from './bench-requests.ts';
import { runClosedLoop, type LoadResult } from './closed-loop.ts';
import { summarizeCpuProfile } from './cpu-profile-summary.ts';
import { startHostProcess, type HostProcess } from './host-process.ts';
import { childCpuMicros, ownCpuMicros } from './process-cpu.ts';
import { measurePackUnpack } from './pack-unpack.ts';
import { median, range } from './spread.ts';

const CONCURRENCY = [1, 16, 64] as const;
type Connections = (typeof CONCURRENCY)[number];
const TRANSPORTS = ['plain', 'tls'] as const;
type Transport = (typeof TRANSPORTS)[number];
const WARMUP_MS = 300;
const ECHO_MEASURE_MS = 1_000;
const AUTH_MEASURE_MS = 1_500;
/**
 * Purchases prepared per level and round, PIN blocks included (the PIN pads' work, done before the
 * window): 1.5 × the 5,000/s target through warm-up and window at 16 and 64 connections, and a
 * single connection's latency-bound rate. A level that runs dry says so in the table.
 */
const AUTH_POOL: Readonly<Record<Connections, number>> = { 1: 6_000, 16: 14_000, 64: 14_000 };
/** A round's STANs start here × round, so no request repeats one the host answered in an earlier round (94). */
const STANS_PER_ROUND = 100_000;
const KILL_PURCHASES_PER_TERMINAL = 300;
const CARDS = 4_096;
const KILL_AFTER_MS = 400;
const DEFAULT_ROUNDS = 5;
/** The whole run is bounded: past this, the hosts are killed and the benchmark fails. */
const DEADLINE_MS = 480_000;

const TARGETS = { echoPerSecond: 50_000, authPerSecond: 5_000, packUnpackRatio: 5 };

const { values: flags } = parseArgs({ options: { profile: { type: 'boolean' }, rounds: { type: 'string' } } });
const rounds = flags.profile ? 1 : Number(flags.rounds ?? DEFAULT_ROUNDS);
if (!Number.isInteger(rounds) || rounds < 1 || rounds > 9) throw new Error('--rounds must be 1–9');
const packager = createPackager(PROFILE_FIELDS);
const dir = mkdtempSync(join(tmpdir(), 'host-bench-'));
const fixtures = writeBenchFixtures(dir, CARDS);
const profileDir = flags.profile ? join(dir, 'profile') : undefined;
const hosts = new Map<Transport, HostProcess>();

const deadline = setTimeout(() => {
  process.stderr.write(`benchmark exceeded ${DEADLINE_MS / 1000} s; stopping\n`);
  for (const host of hosts.values()) host.child.kill('SIGKILL');
  process.exit(1);
}, DEADLINE_MS);
deadline.unref();

// --- terminals and their certificates ---------------------------------------------------------

const echoTerminal = (connections: number, index: number) => `E${pad(connections, 3)}T${pad(index, 3)}`;
const authTerminal = (level: number, connections: number, index: number) => `A${level}${pad(connections, 3)}T${pad(index, 2)}`;

/** Every terminal the TLS host will see gets its own certificate from the host's CA, as enrolment gives it. */
async function enrolTerminals(dataDir: string): Promise<Map<string, IsoTlsClientOptions>> {
  const ids = [
    ...CONCURRENCY.flatMap((connections) => range0(connections).map((index) => echoTerminal(connections, index))),
    ...CONCURRENCY.flatMap((connections, level) => range0(connections).map((index) => authTerminal(level + 1, connections, index))),
    ...range0(64).map((index) => authTerminal(9, 64, index)),
  ];
  const ca = await openCertificateAuthority(dataDir, { now: new Date(), log: () => {} });
  const credentials = new Map<string, IsoTlsClientOptions>();
  for (const id of ids) {
    const bundle = await issueStationCredentials(ca, id, validityFrom(new Date()));
    credentials.set(id, { ca: bundle.hostCaPem, certificate: bundle.certificatePem, privateKey: bundle.privateKeyPem });
  }
  return credentials;
}

let tlsCredentials = new Map<string, IsoTlsClientOptions>();
/** Time to open each connection (TCP connect, plus the TLS handshake under TLS), per transport. */
const connectTimes: Record<Transport, number[]> = { plain: [], tls: [] };
/** The same, one connection at a time (what one station pays when its link comes up), per transport. */
const sequentialConnectTimes: Record<Transport, number[]> = { plain: [], tls: [] };
const SEQUENTIAL_CONNECTS = 25;

async function measureSequentialConnects(transport: Transport): Promise<void> {
  for (let attempt = 0; attempt < SEQUENTIAL_CONNECTS; attempt++) {
    const before = connectTimes[transport].length;
    closeMuxes(await openMuxes(transport, [echoTerminal(1, 0)]));
    sequentialConnectTimes[transport].push(...connectTimes[transport].splice(before));
  }
}

async function openMuxes(transport: Transport, terminals: readonly string[]): Promise<IsoMux[]> {
  const { port } = hosts.get(transport)!;
  return Promise.all(
    terminals.map(async (terminal) => {
      const tls = transport === 'tls' ? tlsCredentials.get(terminal) : undefined;
      const startedAt = performance.now();
      const channel = await connectIsoChannel({ host: '127.0.0.1', port, packager, ...(tls === undefined ? {} : { tls }) });
      connectTimes[transport].push(performance.now() - startedAt);
      return new IsoMux(channel);
    }),
  );
}

function closeMuxes(muxes: readonly IsoMux[]): void {
  for (const mux of muxes) mux.channel.destroy();
}

// --- levels -----------------------------------------------------------------------------------

/** CPU used per answered message over a level's run (warm-up included), by the host and by this client. */
interface CpuPerMessage {
  readonly host: number | undefined;
  readonly client: number;
}

/** Runs `load` and says what CPU each answered message cost; `answers` counts them as they come. */
async function withCpu<T>(transport: Transport, load: (countAnswer: () => void) => Promise<T>): Promise<{ value: T; cpu: CpuPerMessage }> {
  const pid = hosts.get(transport)!.child.pid;
  let answers = 0;
  const [hostBefore, clientBefore] = [childCpuMicros(pid), ownCpuMicros()];
  const value = await load(() => answers++);
  const [hostAfter, clientAfter] = [childCpuMicros(pid), ownCpuMicros()];
  const host = hostBefore === undefined || hostAfter === undefined ? undefined : (hostAfter - hostBefore) / answers;
  return { value, cpu: { host, client: (clientAfter - clientBefore) / answers } };
}

interface EchoLevel {
  readonly result: LoadResult;
  readonly cpu: CpuPerMessage;
}

async function echoLevel(transport: Transport, round: number, connections: Connections): Promise<EchoLevel> {
  const muxes = await openMuxes(transport, range0(connections).map((index) => echoTerminal(connections, index)));
  const stans = new Array<number>(connections).fill(round * STANS_PER_ROUND);
  try {
    const { value: result, cpu } = await withCpu(transport, (countAnswer) =>
      runClosedLoop({ muxes, next: (index) => echoRequest(echoTerminal(connections, index), ++stans[index]!), warmupMs: WARMUP_MS, measureMs: ECHO_MEASURE_MS, onAnswer: countAnswer }),
    );
    return { result, cpu };
  } finally {
    closeMuxes(muxes);
  }
}

interface AuthLevel {
  readonly result: LoadResult;
  readonly codes: Map<string, number>;
  readonly cpu: CpuPerMessage;
}

/** Each terminal uses its own slice of the deck and, each round, a fresh PIN pad (a pad never reuses a KSN). */
function preparePurchases(level: number, round: number, connections: number, perTerminal: number): IsoMessage[][] {
  const cardsPerTerminal = Math.floor(fixtures.cards.length / connections);
  return range0(connections).map((index) => {
    const cards = fixtures.cards.slice(index * cardsPerTerminal, (index + 1) * cardsPerTerminal);
    return purchasesFor(authTerminal(level, connections, index), round * 1_000 + level * 100 + index, cards, perTerminal, round * STANS_PER_ROUND);
  });
}

const approvedRrns: string[] = [];
function noteApproval(answer: IsoMessage): void {
  const rrn = getText(answer, 37);
  if (getText(answer, 39) === '00' && rrn !== undefined) approvedRrns.push(rrn);
}

async function authLevel(transport: Transport, round: number, level: number, connections: Connections): Promise<AuthLevel> {
  const queues = preparePurchases(level, round, connections, Math.ceil(AUTH_POOL[connections] / connections));
  const positions = new Array<number>(connections).fill(0);
  const codes = new Map<string, number>();
  const muxes = await openMuxes(transport, range0(connections).map((index) => authTerminal(level, connections, index)));
  try {
    const { value: result, cpu } = await withCpu(transport, (countAnswer) =>
      runClosedLoop({
        muxes,
        next: (index) => queues[index]![positions[index]!++],
        warmupMs: WARMUP_MS,
        measureMs: AUTH_MEASURE_MS,
        onAnswer(answer, measured) {
          countAnswer();
          if (transport === 'tls') noteApproval(answer);
          if (measured) codes.set(getText(answer, 39) ?? '-', (codes.get(getText(answer, 39) ?? '-') ?? 0) + 1);
        },
      }),
    );
    return { result, codes, cpu };
  } finally {
    closeMuxes(muxes);
  }
}

/** Purchases on 64 connections, kill -9 of the TLS host mid-stream, then its ledger file is checked. */
async function killUnderLoad(running: HostProcess, dataDir: string): Promise<{ approvals: number; found: number; inFlightLost: number }> {
  const queues = preparePurchases(9, 0, 64, KILL_PURCHASES_PER_TERMINAL);
  const muxes = await openMuxes('tls', range0(64).map((index) => authTerminal(9, 64, index)));
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
  const db = new DatabaseSync(join(dataDir, LEDGER_FILE_NAME), { readOnly: true });
  try {
    const onDisk = new Set((db.prepare('SELECT rrn FROM transactions').all() as { rrn: string }[]).map((row) => row.rrn));
    return { approvals: approvedRrns.length, found: approvedRrns.filter((rrn) => onDisk.has(rrn)).length, inFlightLost };
  } finally {
    db.close();
  }
}

// --- run -------------------------------------------------------------------------------------
const dataDirs: Record<Transport, string> = { plain: join(dir, 'data-plain'), tls: join(dir, 'data-tls') };
const codec = profileDir === undefined ? measurePackUnpack(1) : undefined;
const transports: readonly Transport[] = profileDir === undefined ? TRANSPORTS : ['tls'];
for (const transport of transports) {
  hosts.set(
    transport,
    await startHostProcess({ ...fixtures, dataDir: dataDirs[transport], plain: transport === 'plain', ...(profileDir === undefined ? {} : { cpuProfileDir: profileDir }) }),
  );
}
tlsCredentials = await enrolTerminals(dataDirs.tls);

for (const transport of transports) await measureSequentialConnects(transport);

const echo: Record<Transport, EchoLevel[][]> = { plain: [], tls: [] };
const auth: Record<Transport, AuthLevel[][]> = { plain: [], tls: [] };
for (let round = 1; round <= rounds; round++) {
  // Each level runs on both hosts back to back, and which goes first alternates by round, so the
  // two figures of a pair meet the same background load on this shared machine.
  const order = round % 2 === 1 ? transports : [...transports].reverse();
  for (const transport of order) {
    echo[transport].push([]);
    auth[transport].push([]);
  }
  if (profileDir === undefined) {
    for (const connections of CONCURRENCY) for (const transport of order) echo[transport].at(-1)!.push(await echoLevel(transport, round, connections));
  }
  for (const [level, connections] of CONCURRENCY.entries()) for (const transport of order) auth[transport].at(-1)!.push(await authLevel(transport, round, level + 1, connections));
}
let durability: Awaited<ReturnType<typeof killUnderLoad>> | undefined;
if (profileDir === undefined) {
  durability = await killUnderLoad(hosts.get('tls')!, dataDirs.tls);
  await hosts.get('plain')!.stop();
} else await hosts.get('tls')!.stop();

// --- report ----------------------------------------------------------------------------------
const out: string[] = [];
const cpu = cpus();
const label = { plain: 'plain TCP', tls: 'TLS 1.3' } as const;
out.push(`Host benchmark: ${cpu.length} × ${cpu[0]?.model ?? 'CPU'}, Node ${process.version}, 127.0.0.1, each host in its own process`);
out.push(`${rounds} round(s), each level on a plain TCP host and a TLS 1.3 host (client certificates) back to back; figures: median (min–max) of the rounds`);
out.push('');
out.push(row('', CONCURRENCY.map((connections) => `${connections} conn`)));

function rateRows(title: string, results: Record<Transport, LoadResult[][]>): void {
  out.push(title);
  const medians: Partial<Record<Transport, number[]>> = {};
  for (const transport of transports) {
    const perLevel = CONCURRENCY.map((_, level) => results[transport].map((round) => round[level]!));
    medians[transport] = perLevel.map((levelRounds) => median(levelRounds.map((result) => result.perSecond)));
    out.push(
      row(
        `  ${label[transport]}`,
        perLevel.map((levelRounds, level) => `${count(medians[transport]![level]!)} (${spread(levelRounds.map((result) => result.perSecond))})${levelRounds.some((result) => result.ranDry) ? '*' : ''}`),
      ),
    );
  }
  if (medians.plain !== undefined && medians.tls !== undefined) {
    out.push(row('  TLS vs plain', CONCURRENCY.map((_, level) => percent(medians.tls![level]! / medians.plain![level]! - 1))));
  }
  for (const transport of transports) {
    const perLevel = CONCURRENCY.map((_, level) => results[transport].map((round) => round[level]!));
    out.push(row(`  p50 / p99 ms, ${label[transport]}`, perLevel.map((levelRounds) => `${median(levelRounds.map((r) => r.p50Ms)).toFixed(2)} / ${median(levelRounds.map((r) => r.p99Ms)).toFixed(2)}`)));
  }
}

const results = <L extends { result: LoadResult }>(levels: Record<Transport, L[][]>) => ({
  plain: levels.plain.map((round) => round.map((level) => level.result)),
  tls: levels.tls.map((round) => round.map((level) => level.result)),
});
if (profileDir === undefined) rateRows('Echo 0800 round trips/s', results(echo));
rateRows('Authorizations 0200/s', results(auth));
const lastTls = auth.tls.at(-1)!;
out.push(row('  answers (TLS, last round)', lastTls.map(({ codes }) => [...codes].map(([code, n]) => `${code}:${n}`).join(' '))));
if ([...transports].some((transport) => auth[transport].some((round) => round.some(({ result }) => result.ranDry)))) {
  out.push('  * ran out of prepared purchases before the window closed in some round; rate over the time it ran');
}
out.push('');
out.push(row('CPU per message, µs: host / client', CONCURRENCY.map((connections) => `${connections} conn`)));
for (const [title, levels] of [
  ['Echo', echo],
  ['Authorization', auth],
] as const) {
  for (const transport of transports) {
    if (levels[transport].length === 0) continue;
    const cells = CONCURRENCY.map((_, level) => {
      const host = median(levels[transport].map((round) => round[level]!.cpu.host ?? Number.NaN));
      const client = median(levels[transport].map((round) => round[level]!.cpu.client));
      return `${Number.isNaN(host) ? '-' : host.toFixed(0)} / ${client.toFixed(0)}`;
    });
    out.push(row(`  ${title}, ${label[transport]}`, cells));
  }
}
out.push('');
out.push('Opening a connection, ms (once per connection, never per message): median / p99 / max');
for (const [title, times] of [
  ['one at a time', sequentialConnectTimes],
  ['a level opening all at once', connectTimes],
] as const) {
  for (const transport of transports) {
    const sorted = [...times[transport]].sort((a, b) => a - b);
    const what = `${transport === 'tls' ? 'TLS 1.3: TCP + handshake' : 'plain TCP: connect'}, ${title}`;
    out.push(`  ${what.padEnd(52)}${median(sorted).toFixed(2).padStart(8)} / ${percentile(sorted, 0.99).toFixed(2)} / ${sorted.at(-1)!.toFixed(2)}   (${sorted.length})`);
  }
}
if (codec !== undefined) {
  out.push('');
  out.push(row('Full 0200, ops/s', ['this repo', 'iso_8583', 'ratio']));
  for (const kind of ['pack', 'unpack', 'packUnpack'] as const) {
    out.push(row(`  ${kind === 'packUnpack' ? 'pack + unpack' : kind}`, [count(codec.ours[kind]), count(codec.npm[kind]), `${(codec.ours[kind] / codec.npm[kind]).toFixed(1)}×`]));
  }
}
out.push('');
out.push('Targets (the TLS host: the link as stations use it)');
if (profileDir === undefined) {
  const echo64 = median(echo.tls.map((round) => round.at(-1)!.result.perSecond));
  out.push(target(`echo ≥ ${count(TARGETS.echoPerSecond)} round trips/s at 64 connections`, count(echo64), echo64 >= TARGETS.echoPerSecond));
}
const auth64 = median(auth.tls.map((round) => round.at(-1)!.result.perSecond));
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
    out.push('', `TLS host CPU profile (start-up and the authorization levels; busy in ${summary.busyPercent.toFixed(0)}% of samples), self time by area`);
    for (const { name, percent: share } of summary.areas) out.push(`  ${share.toFixed(1).padStart(5)}%  ${name}`);
    out.push('Top functions by self time');
    for (const { name, percent: share } of summary.functions) out.push(`  ${share.toFixed(1).padStart(5)}%  ${name}`);
  }
}
process.stdout.write(`${out.join('\n')}\n`);
clearTimeout(deadline);
rmSync(dir, { recursive: true, force: true });

function range0(length: number): number[] {
  return Array.from({ length }, (_, index) => index);
}

function pad(value: number, width: number): string {
  return String(value).padStart(width, '0');
}

function count(value: number): string {
  return Math.round(value).toLocaleString('en-US');
}

function spread(values: readonly number[]): string {
  const [low, high] = range(values);
  return `${count(low)}–${count(high)}`;
}

function percent(ratio: number): string {
  return `${ratio >= 0 ? '+' : ''}${(ratio * 100).toFixed(0)}%`;
}

function percentile(sorted: readonly number[], q: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? Number.NaN;
}

function row(text: string, cells: readonly string[]): string {
  return `${text.padEnd(30)}${cells.map((cell) => cell.padStart(24)).join('')}`;
}

function target(text: string, figure: string, pass: boolean): string {
  return `  ${text.padEnd(62)}${figure.padStart(26)}  ${pass ? 'PASS' : 'MISS'}`;
}
