/**
 * Wallet platform benchmark (`npm run bench:wallet`): customer-presented payments (micropay) per
 * second at 64 concurrent merchant clients, each request signed (HMAC-SHA256) and its answer
 * verified, every nonce recorded, and every payment committed to the host's ledger with an fsync
 * (group commit) before it is answered; the host's risk rules assess each one. The host runs in
 * its own process (the product's CLI), the clients in this one: each side has a core.
 *
 * Each run first has the wallets' phones issue payment codes (not measured), then measures 3 s of
 * payments after a 0.5 s warm-up. Several runs; the table prints each, then the median and the
 * spread. Figures are this machine's (2 shared cores: anything else running shows in them). The
 * host's own benchmark (`npm run bench:host`, card authorizations over ISO 8583 with the same
 * ledger and group commit) is the peer to read them beside, run on the same machine at the same time.
 *
 * Environment: WALLET_BENCH_RUNS (5), WALLET_BENCH_CODES (codes issued per run, 16384),
 * WALLET_BENCH_PROFILE_DIR (run the host under --cpu-prof, its profile written there on exit).
 */
import { fork } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, rmSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import type { HostToParentMessage } from '../bank/parent-link.ts';
import { hmacKey } from '../payments/wallet/signature.ts';
import { createWalletAppClient } from '../payments/wallet/wallet-app-client.ts';
import { createWalletClient } from '../payments/wallet/wallet-client.ts';
import { BENCH_MERCHANT, writeWalletBenchFixtures } from './wallet-bench-fixtures.ts';

const RUNS = Number(process.env.WALLET_BENCH_RUNS ?? 5);
const CONCURRENCY = 64;
const WALLETS = 1_024;
const CODES_PER_RUN = Number(process.env.WALLET_BENCH_CODES ?? 16_384);
const WARMUP_MS = 500;
const MEASURE_MS = 3_000;
const TARGET_PER_SECOND = 3_000;
const DEADLINE_MS = 240_000;
const ENTRY = fileURLToPath(new URL('../bank/bank-host.ts', import.meta.url));

const dir = mkdtempSync(join(tmpdir(), 'wallet-bench-'));
const fixtures = writeWalletBenchFixtures(dir, WALLETS);
const profileDir = process.env.WALLET_BENCH_PROFILE_DIR;
const host = fork(ENTRY, ['--port', '0', '--data', fixtures.dataDir, '--config', fixtures.configPath], {
  execPath: process.execPath,
  execArgv: profileDir === undefined ? [] : ['--cpu-prof', `--cpu-prof-dir=${profileDir}`],
  stdio: ['ignore', 'ignore', 'inherit', 'ipc'],
});
const deadline = setTimeout(() => {
  process.stderr.write(`benchmark exceeded ${DEADLINE_MS / 1000} s; stopping\n`);
  host.kill('SIGKILL');
  process.exit(1);
}, DEADLINE_MS);
deadline.unref();

const [message] = (await once(host, 'message')) as [HostToParentMessage];
if (message.type !== 'listening' || message.wallet === undefined) throw new Error(`host failed to start: ${JSON.stringify(message)}`);
const baseUrl = `http://127.0.0.1:${message.wallet.port}`;
const key = hmacKey(fixtures.merchantKey);
const merchant = createWalletClient({ baseUrl, mchid: BENCH_MERCHANT, signing: key, platformKey: key, timeoutMs: 60_000, maxSockets: CONCURRENCY });

/** Codes for the next run, issued by the wallets' phones 64 at a time, spread over all wallets. */
async function issueCodes(count: number): Promise<{ codes: string[]; perSecond: number }> {
  const codes: string[] = [];
  const startedAt = performance.now();
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
  return { codes, perSecond: codes.length / ((performance.now() - startedAt) / 1000) };
}

interface RunResult {
  readonly perSecond: number;
  readonly p50Ms: number;
  readonly p99Ms: number;
  readonly answers: Map<string, number>;
  readonly ranDry: boolean;
  readonly codesPerSecond: number;
}

async function run(index: number): Promise<RunResult> {
  const { codes, perSecond: codesPerSecond } = await issueCodes(CODES_PER_RUN);
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
  const paid = answers.get('SUCCESS') ?? 0;
  const seconds = ((ranDry ? lastCompletion : measureUntil) - measureFrom) / 1000;
  return { perSecond: paid / seconds, p50Ms: percentile(latencies, 0.5), p99Ms: percentile(latencies, 0.99), answers, ranDry, codesPerSecond };
}

const results: RunResult[] = [];
for (let index = 1; index <= RUNS; index++) results.push(await run(index));
merchant.dispose();
host.kill('SIGTERM');
await once(host, 'exit');

const cpu = cpus();
const out: string[] = [];
out.push(`Wallet platform benchmark: ${cpu.length} × ${cpu[0]?.model ?? 'CPU'}, Node ${process.version}, 127.0.0.1, host in its own process`);
out.push(`micropay with HMAC-SHA256 signatures both ways, nonces recorded, ledger fsynced per commit group, risk rules on every payment; ${CONCURRENCY} concurrent clients, ${WALLETS} wallets`);
out.push('');
out.push(`${'run'.padEnd(6)}${'payments/s'.padStart(12)}${'p50 ms'.padStart(10)}${'p99 ms'.padStart(10)}${'codes/s'.padStart(10)}   answers in the window`);
results.forEach((result, index) =>
  out.push(
    `${String(index + 1).padEnd(6)}${(Math.round(result.perSecond).toLocaleString('en-US') + (result.ranDry ? '*' : '')).padStart(12)}${result.p50Ms.toFixed(1).padStart(10)}${result.p99Ms.toFixed(1).padStart(10)}${Math.round(result.codesPerSecond).toLocaleString('en-US').padStart(10)}   ${[...result.answers].map(([code, n]) => `${code}:${n}`).join(' ')}`,
  ),
);
if (results.some((result) => result.ranDry)) out.push('  * ran out of issued codes before the window closed; rate over the time it ran');
const rates = results.map((result) => result.perSecond).sort((a, b) => a - b);
const median = rates[Math.floor(rates.length / 2)]!;
const spread = `${Math.round(rates[0]!).toLocaleString('en-US')}–${Math.round(rates.at(-1)!).toLocaleString('en-US')}`;
out.push('');
out.push(`median ${Math.round(median).toLocaleString('en-US')} payments/s over ${RUNS} runs, spread ${spread} (±${(((rates.at(-1)! - rates[0]!) / 2 / median) * 100).toFixed(0)} %)`);
out.push(`  target: ≥ ${TARGET_PER_SECOND.toLocaleString('en-US')} payments/s at ${CONCURRENCY} clients${' '.repeat(10)}${median >= TARGET_PER_SECOND ? 'PASS' : 'MISS'}`);
process.stdout.write(`${out.join('\n')}\n`);
clearTimeout(deadline);
rmSync(dir, { recursive: true, force: true });

function percentile(sorted: readonly number[], q: number): number {
  return sorted.length === 0 ? Number.NaN : sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]!;
}
