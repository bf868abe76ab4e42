/**
 * Wallet platform benchmark (`npm run bench:wallet`): customer-presented payments (micropay) per
 * second at 64 concurrent merchant clients, each request signed (HMAC-SHA256) and its answer
 * verified, every nonce recorded, and every payment durable in the host's ledger (group commit, the
 * WAL fsynced) before it is answered; the host's risk rules assess each one. The host runs in its
 * own process (the product's CLI), the clients in this one: each side has a core, in principle.
 *
 * Each run first has the wallets' phones issue payment codes (not measured), then measures 3 s of
 * payments after a 0.5 s warm-up; then, as the peer on the same host at the same moment, 3 s of
 * card authorizations (0200 with PIN, bench:host's third level) at 64 connections. For each window
 * it asks the host (IPC 'stats') for its ledger counters and CPU time, and prints:
 *   - commits and fsyncs per second beside payments per second, and payments per fsync: how well
 *     concurrent requests share the ledger's durable commits;
 *   - the host's CPU time per payment: what a payment costs, whatever share of the cores the
 *     machine's other work leaves the host (the rate alone mostly measures that share);
 *   - the 1-minute load average: this machine has 2 cores shared by everyone, and a load well above
 *     2 means the rate is the share the benchmark got, not what the code can do.
 * Several runs; the median and the spread of each figure.
 *
 * Environment: WALLET_BENCH_RUNS (5), WALLET_BENCH_CODES (codes issued per run, 16384),
 * WALLET_BENCH_PROFILE_DIR (run the host under --cpu-prof; its profile is summarized at the end).
 */
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { hmacKey } from '../payments/wallet/signature.ts';
import { createWalletAppClient } from '../payments/wallet/wallet-app-client.ts';
import { createWalletClient } from '../payments/wallet/wallet-client.ts';
import { authLevel } from './card-auth-level.ts';
import { summarizeCpuProfile } from './cpu-profile-summary.ts';
import { startHostProcess, type HostProcess, type HostStats } from './host-process.ts';
import { BENCH_MERCHANT, writeWalletBenchFixtures } from './wallet-bench-fixtures.ts';

const RUNS = Number(process.env.WALLET_BENCH_RUNS ?? 5);
// Each run's card terminals are its own (terminal ids A<run>064T<nn>, 8 characters): 9 runs at most.
if (!Number.isInteger(RUNS) || RUNS < 1 || RUNS > 9) throw new Error('WALLET_BENCH_RUNS must be 1–9');
const CONCURRENCY = 64;
const WALLETS = 1_024;
const CARDS = 4_096;
const CODES_PER_RUN = Number(process.env.WALLET_BENCH_CODES ?? 16_384);
/** Card purchases prepared per run (PIN blocks included): more than 3.5 s at the card target of 5,000/s. */
const CARD_POOL = 20_000;
const WARMUP_MS = 500;
const MEASURE_MS = 3_000;
const TARGET_PER_SECOND = 3_000;
const DEADLINE_MS = 300_000;

const dir = mkdtempSync(join(tmpdir(), 'wallet-bench-'));
const fixtures = writeWalletBenchFixtures(dir, WALLETS, CARDS);
const profileDir = process.env.WALLET_BENCH_PROFILE_DIR;
// Plain TCP for the card comparison: what TLS adds to each message is bench:host's to measure.
const host = await startHostProcess({ ...fixtures, plain: true, ...(profileDir === undefined ? {} : { cpuProfileDir: profileDir }) });
const deadline = setTimeout(() => {
  process.stderr.write(`benchmark exceeded ${DEADLINE_MS / 1000} s; stopping\n`);
  host.child.kill('SIGKILL');
  process.exit(1);
}, DEADLINE_MS);
deadline.unref();

if (host.walletPort === undefined) throw new Error('the host started without its wallet platform');
const baseUrl = `http://127.0.0.1:${host.walletPort}`;
const key = hmacKey(fixtures.merchantKey);
const merchant = createWalletClient({ baseUrl, mchid: BENCH_MERCHANT, signing: key, platformKey: key, timeoutMs: 60_000, maxSockets: CONCURRENCY });

/** Codes for the next run, issued by the wallets' phones 64 at a time, spread over all wallets. */
async function issueCodes(count: number): Promise<string[]> {
  const codes: string[] = [];
  const perWallet = Math.ceil(count / WALLETS);
  let next = 0;
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async () => {
      for (let index = next++; index < WALLETS; index = next++) {
        const wallet = fixtures.wallets[index]!;
        const phone = createWalletAppClient({ baseUrl, userId: wallet.userId, appKey: wallet.appKey, timeoutMs: 60_000 });
        for (let i = 0; i < perWallet; i++) {
          const issued = await phone.issuePaymentCode();
          if (issued.kind !== 'ok') throw new Error(`code not issued: ${JSON.stringify(issued)}`);
          codes.push(issued.value.auth_code);
        }
        phone.dispose();
      }
    }),
  );
  return codes;
}

/** The host's counters at the start and the end of a measured window that opens `warmupMs` from now. */
function sampleWindow(running: HostProcess): Promise<[HostStats, HostStats]> {
  const at = (ms: number) => new Promise<HostStats>((resolve) => setTimeout(() => void running.stats().then(resolve), ms));
  return Promise.all([at(WARMUP_MS), at(WARMUP_MS + MEASURE_MS)]);
}

/** What the host did in a window, per answered request. */
interface WindowFigures {
  readonly perSecond: number;
  readonly p50Ms: number;
  readonly p99Ms: number;
  readonly commitsPerSecond: number;
  readonly fsyncsPerSecond: number;
  readonly perFsync: number;
  readonly hostCpuMsEach: number;
  readonly answers: Map<string, number>;
  readonly ranDry: boolean;
}

function figures(completed: number, seconds: number, latencies: readonly number[], [from, to]: [HostStats, HostStats], answers: Map<string, number>, ranDry: boolean, paid: number): WindowFigures {
  const window = MEASURE_MS / 1000;
  const fsyncs = to.ledger.fsyncs - from.ledger.fsyncs;
  return {
    perSecond: paid / seconds,
    p50Ms: percentile(latencies, 0.5),
    p99Ms: percentile(latencies, 0.99),
    commitsPerSecond: (to.ledger.commits - from.ledger.commits) / window,
    fsyncsPerSecond: fsyncs / window,
    perFsync: completed / Math.max(1, fsyncs),
    hostCpuMsEach: (to.cpuMicros - from.cpuMicros) / 1000 / Math.max(1, completed),
    answers,
    ranDry,
  };
}

async function walletWindow(index: number, codes: string[]): Promise<WindowFigures> {
  const sampled = sampleWindow(host);
  const startedAt = performance.now();
  const measureFrom = startedAt + WARMUP_MS;
  const measureUntil = measureFrom + MEASURE_MS;
  const latencies: number[] = [];
  const answers = new Map<string, number>();
  let ranDry = false;
  let lastCompletion = measureFrom;
  let sequence = 0;
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async () => {
      for (;;) {
        const sentAt = performance.now();
        if (sentAt >= measureUntil) return;
        const code = codes.pop();
        if (code === undefined) {
          ranDry = true;
          return;
        }
        const answer = await merchant.micropay({ out_trade_no: `B${index}R${String(++sequence).padStart(8, '0')}`, description: 'Benchmark', amount: { total: 100 + (sequence % 50), currency: 'CNY' }, auth_code: code });
        const answeredAt = performance.now();
        if (sentAt >= measureFrom && answeredAt <= measureUntil) {
          latencies.push(answeredAt - sentAt);
          lastCompletion = Math.max(lastCompletion, answeredAt);
          const outcome = answer.kind === 'ok' ? answer.value.trade_state : answer.kind === 'refused' ? answer.error.code : 'unknown';
          answers.set(outcome, (answers.get(outcome) ?? 0) + 1);
        }
      }
    }),
  );
  latencies.sort((a, b) => a - b);
  const seconds = ((ranDry ? lastCompletion : measureUntil) - measureFrom) / 1000;
  return figures(latencies.length, seconds, latencies, await sampled, answers, ranDry, answers.get('SUCCESS') ?? 0);
}

async function cardWindow(index: number): Promise<WindowFigures> {
  let sampled: Promise<[HostStats, HostStats]> | undefined;
  const { result, codes } = await authLevel({
    port: host.port,
    level: index,
    connections: CONCURRENCY,
    pool: CARD_POOL,
    cards: fixtures.cards,
    warmupMs: WARMUP_MS,
    measureMs: MEASURE_MS,
    onLoadStart: () => (sampled = sampleWindow(host)),
  });
  return figures(result.completed, result.seconds, [], await sampled!, codes, result.ranDry, codes.get('00') ?? 0);
}

interface Run {
  readonly load: number;
  readonly wallet: WindowFigures;
  readonly card: WindowFigures;
}

const runs: Run[] = [];
for (let index = 1; index <= RUNS; index++) {
  const codes = await issueCodes(CODES_PER_RUN);
  const load = loadavg()[0]!;
  const wallet = await walletWindow(index, codes);
  const card = await cardWindow(index);
  runs.push({ load, wallet, card });
}
merchant.dispose();
await host.stop();

const cpu = cpus();
const out: string[] = [];
out.push(`Wallet platform benchmark: ${cpu.length} × ${cpu[0]?.model ?? 'CPU'}, Node ${process.version}, 127.0.0.1, host in its own process`);
out.push(`micropay with HMAC-SHA256 signatures both ways, nonces recorded, every answer durable (group commit, WAL fsync), risk rules on every payment; ${CONCURRENCY} concurrent clients, ${WALLETS} wallets`);
out.push(`peer: card authorizations (0200 with PIN, as bench:host) at ${CONCURRENCY} connections on the same host, right after each wallet window`);
out.push('');
out.push(`${'run'.padEnd(5)}${'load'.padStart(6)} │${'pay/s'.padStart(7)}${'p50 ms'.padStart(8)}${'p99 ms'.padStart(8)}${'commit/s'.padStart(10)}${'fsync/s'.padStart(9)}${'/fsync'.padStart(8)}${'CPU ms'.padStart(8)} │${'auth/s'.padStart(8)}${'/fsync'.padStart(8)}${'CPU ms'.padStart(8)}`);
runs.forEach((run, index) => {
  const { wallet, card } = run;
  out.push(
    `${String(index + 1).padEnd(5)}${run.load.toFixed(1).padStart(6)} │${(count(wallet.perSecond) + (wallet.ranDry ? '*' : '')).padStart(7)}${wallet.p50Ms.toFixed(1).padStart(8)}${wallet.p99Ms.toFixed(1).padStart(8)}${count(wallet.commitsPerSecond).padStart(10)}${count(wallet.fsyncsPerSecond).padStart(9)}${wallet.perFsync.toFixed(1).padStart(8)}${wallet.hostCpuMsEach.toFixed(3).padStart(8)} │${(count(card.perSecond) + (card.ranDry ? '*' : '')).padStart(8)}${card.perFsync.toFixed(1).padStart(8)}${card.hostCpuMsEach.toFixed(3).padStart(8)}`,
  );
});
out.push('  load: 1-minute load average at the start of the run (2 cores); CPU ms: the host process\'s CPU time per answered request in the window');
const unexpected = runs.flatMap((run) => [...run.wallet.answers].filter(([code]) => code !== 'SUCCESS').map(([code, n]) => `wallet ${code}:${n}`).concat([...run.card.answers].filter(([code]) => code !== '00').map(([code, n]) => `card ${code}:${n}`)));
if (unexpected.length > 0) out.push(`  answers other than paid/approved: ${unexpected.join(' ')}`);
if (runs.some((run) => run.wallet.ranDry || run.card.ranDry)) out.push('  * ran out of prepared payments before the window closed; rate over the time it ran');

out.push('');
const walletRate = summary(runs.map((run) => run.wallet.perSecond));
const walletCpu = summary(runs.map((run) => run.wallet.hostCpuMsEach));
const cardRate = summary(runs.map((run) => run.card.perSecond));
const cardCpu = summary(runs.map((run) => run.card.hostCpuMsEach));
const loads = summary(runs.map((run) => run.load));
out.push(`median of ${RUNS} runs (spread), load average ${loads.median.toFixed(1)} (${loads.min.toFixed(1)}–${loads.max.toFixed(1)}) on ${cpu.length} cores`);
out.push(`  wallet micropay   ${count(walletRate.median).padStart(6)} payments/s (${count(walletRate.min)}–${count(walletRate.max)})   host CPU ${walletCpu.median.toFixed(3)} ms/payment (${walletCpu.min.toFixed(3)}–${walletCpu.max.toFixed(3)}) = ${count(1000 / walletCpu.median)} payments per host CPU-second`);
out.push(`  card 0200 (peer)  ${count(cardRate.median).padStart(6)} auths/s    (${count(cardRate.min)}–${count(cardRate.max)})   host CPU ${cardCpu.median.toFixed(3)} ms/auth    (${cardCpu.min.toFixed(3)}–${cardCpu.max.toFixed(3)}) = ${count(1000 / cardCpu.median)} auths per host CPU-second`);
out.push(`  target: ≥ ${count(TARGET_PER_SECOND)} payments/s at ${CONCURRENCY} clients${' '.repeat(10)}${walletRate.median >= TARGET_PER_SECOND ? 'PASS' : 'MISS'}${loads.median > cpu.length ? `  (the machine was loaded: the rate is the benchmark's share of ${cpu.length} cores)` : ''}`);

if (profileDir !== undefined) {
  const file = readdirSync(profileDir).find((name) => name.endsWith('.cpuprofile'));
  if (file !== undefined) {
    const profile = summarizeCpuProfile(join(profileDir, file), 15);
    out.push('', `Host CPU profile (busy in ${profile.busyPercent.toFixed(0)}% of samples; code issuing and card windows included), top functions by self time`);
    for (const { name, percent } of profile.functions) out.push(`  ${percent.toFixed(1).padStart(5)}%  ${name}`);
  }
}
process.stdout.write(`${out.join('\n')}\n`);
clearTimeout(deadline);
rmSync(dir, { recursive: true, force: true });

function percentile(sorted: readonly number[], q: number): number {
  return sorted.length === 0 ? Number.NaN : sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]!;
}

function summary(values: readonly number[]): { median: number; min: number; max: number } {
  const sorted = [...values].sort((a, b) => a - b);
  return { median: sorted[Math.floor(sorted.length / 2)]!, min: sorted[0]!, max: sorted.at(-1)! };
}

function count(value: number): string {
  return Math.round(value).toLocaleString('en-US');
}
