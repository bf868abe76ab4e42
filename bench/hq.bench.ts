/**
 * Head-office benchmark (`npm run bench:hq`), everything on this machine: a private PostgreSQL 15
 * cluster (fsync on: commits are durable, as in production) and the head-office service in its own
 * process (`node hq/start.ts`), the simulated stations in this one. Three figures, each the median of
 * several runs with their spread, and each with its goal:
 *
 *   1. ingest rate: 200 stations upload at once, each through the product's Uploader and signed
 *      client, sales with their lines, tenders and card legs; sales per second from the first
 *      request to the last acknowledgement;
 *   2. catch-up: one station comes back with a 7-day backlog of 20,000 sales; seconds until all of
 *      it is acknowledged;
 *   3. daily report over 10 million sales: the office report for one business day (every section),
 *      read from the maintained rollups, after 10 million sales are seeded in SQL (--report-sales;
 *      --skip-report leaves this part out; it needs a few GB of disk and a few minutes).
 *
 * Figures are this machine's (2 cores, shared: client, service and PostgreSQL compete for them),
 * not assertions. Options: --runs N (default 3), --stations N (200), --sales-per-station N (150).
 * --profile runs the service under --cpu-prof and PostgreSQL with pg_stat_statements, and prints
 * where each spent its time during the ingest runs (the figures of a profiled run are lower).
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import pg from 'pg';
import { DemoStation } from '../common/head-office/demo-events.ts';
import type { UploadEventDraft } from '../common/head-office/upload-schema.ts';
import type { StationCredential } from '../common-node/station-signature.ts';
import { bootstrapDatabase, type HeadOfficeLogins } from '../hq/db/bootstrap.ts';
import { openDatabase } from '../hq/db/database.ts';
import { migrate } from '../hq/db/migrate.ts';
import { startPrivateCluster } from '../hq/postgres/private-cluster.ts';
import { headOfficeReport } from '../hq/reports/report-queries.ts';
import { loadSecretSeal } from '../hq/stations/secret-seal.ts';
import { enrolStation } from '../hq/stations/stations.ts';
import { HeadOfficeClient } from '../main/head-office/head-office-client.ts';
import { Uploader } from '../main/head-office/uploader.ts';
import { seedDay, seedSales, type SeedPlan } from './hq-seed.ts';
import { PROFILE_POSTGRES_SETTINGS, resetStatementStats, serviceProfile, statementProfile } from './hq-profile.ts';
import { MemoryOutbox } from './memory-outbox.ts';

const { values: options } = parseArgs({
  options: {
    runs: { type: 'string', default: '3' },
    stations: { type: 'string', default: '200' },
    'sales-per-station': { type: 'string', default: '150' },
    'catch-up-sales': { type: 'string', default: '20000' },
    'report-sales': { type: 'string', default: '10000000' },
    'skip-report': { type: 'boolean', default: false },
    profile: { type: 'boolean', default: false },
  },
});
const RUNS = Number(options.runs);
const STATIONS = Number(options.stations);
const SALES_PER_STATION = Number(options['sales-per-station']);
const CATCH_UP_SALES = Number(options['catch-up-sales']);
const REPORT_SALES = Number(options['report-sales']);
const PROFILE = options.profile;
const GOALS = { ingestPerSecond: 10_000, catchUpSeconds: 60, reportMs: 500 };
/** The benchmark stops itself past this, whatever state it is in. */
const DEADLINE_MS = 60 * 60_000;

const log = (line: string) => console.log(line);
const dir = mkdtempSync(join(tmpdir(), 'hq-bench-'));
let service: ChildProcess | undefined;
const cluster = startPrivateCluster({
  dir,
  settings: {
    shared_buffers: "'512MB'",
    max_wal_size: "'4GB'",
    checkpoint_timeout: "'15min'",
    wal_buffers: "'16MB'",
    ...(PROFILE ? PROFILE_POSTGRES_SETTINGS : {}),
  },
});
const profileDir = join(dir, 'profile');
const deadline = setTimeout(() => {
  console.error(`the benchmark ran past ${DEADLINE_MS / 60_000} minutes; stopping`);
  cleanUp();
  process.exit(2);
}, DEADLINE_MS);

function cleanUp(): void {
  service?.kill('SIGKILL');
  cluster.stop();
  rmSync(dir, { recursive: true, force: true });
}

const CLOCK_TICKS = Number(spawnSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).stdout.trim()) || 100;

/** CPU seconds (user + system) a process has used so far, from /proc. */
function processCpuSeconds(pid: number): number {
  const file = `/proc/${pid}/stat`;
  if (!existsSync(file)) return 0;
  const fields = readFileSync(file, 'utf8').split(') ')[1]!.split(' ');
  return (Number(fields[11]) + Number(fields[12])) / CLOCK_TICKS;
}

/** CPU seconds of the head-office service, of PostgreSQL (postmaster and backends) and of this process. */
function cpuSnapshot(): { service: number; postgres: number; stations: number } {
  const postmaster = cluster.pid();
  const backends = postmaster ? spawnSync('ps', ['-o', 'pid=', '--ppid', String(postmaster)], { encoding: 'utf8' }).stdout.split('\n').map(Number).filter(Boolean) : [];
  const usage = process.cpuUsage();
  return {
    service: service?.pid ? processCpuSeconds(service.pid) : 0,
    postgres: [postmaster ?? 0, ...backends].filter(Boolean).reduce((total, pid) => total + processCpuSeconds(pid), 0),
    stations: (usage.user + usage.system) / 1e6,
  };
}

interface Summary {
  readonly median: number;
  readonly min: number;
  readonly max: number;
  readonly runs: number;
}

function summarize(values: readonly number[]): Summary {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = sorted.length / 2;
  const median = sorted.length % 2 ? sorted[Math.floor(middle)]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
  return { median, min: sorted[0]!, max: sorted.at(-1)!, runs: sorted.length };
}

function startService(logins: HeadOfficeLogins, secretKeyFile: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const profiling = PROFILE ? ['--cpu-prof', `--cpu-prof-dir=${profileDir}`] : [];
    service = spawn(process.execPath, [...profiling, join(import.meta.dirname, '..', 'hq', 'start.ts')], {
      env: { ...process.env, DATABASE_URL: logins.url, HQ_INGEST_DATABASE_URL: logins.ingestUrl, HQ_SECRET_KEY_FILE: secretKeyFile, HQ_PORT: '0', HQ_POOL_SIZE: '8' },
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    service.stdout?.on('data', (chunk: Buffer) => {
      const ready = chunk.toString().split('\n').find((line) => line.startsWith('HQ_READY '));
      if (ready) resolve((JSON.parse(ready.slice('HQ_READY '.length)) as { origin: string }).origin);
    });
    service.once('exit', (code) => reject(new Error(`the head-office service exited with ${code}`)));
  });
}

interface SimulatedStation {
  readonly demo: DemoStation;
  readonly outbox: MemoryOutbox;
  readonly uploader: Uploader;
}

function simulatedStation(origin: string, credential: StationCredential, seed: number): SimulatedStation {
  const outbox = new MemoryOutbox();
  const uploader = new Uploader({ outbox, client: new HeadOfficeClient({ url: origin, credential, timeoutMs: 120_000 }), retryBaseMs: 200, retryMaxMs: 2_000 });
  return { demo: new DemoStation({ stationId: credential.stationId, seed }), outbox, uploader };
}

/** `sales` sales rung up on a station (the demo station's clock moves about 45 s a sale): its events, in the outbox before the clock starts. */
function ringUp(station: SimulatedStation, sales: number): void {
  const drafts: UploadEventDraft[] = [];
  for (let i = 0; i < sales; i++) drafts.push(...station.demo.sale().events);
  station.outbox.append(drafts);
}

async function timeUploads(stations: readonly SimulatedStation[]): Promise<number> {
  const started = performance.now();
  for (const station of stations) station.uploader.notify();
  await Promise.all(stations.map((station) => station.uploader.drained()));
  return (performance.now() - started) / 1000;
}

async function withAdmin<T>(work: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client(cluster.url('hq'));
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

function line(name: string, unit: string, summary: Summary, goal: string, met: boolean, digits = 0): string {
  const format = (value: number) => value.toLocaleString('en', { maximumFractionDigits: digits, minimumFractionDigits: digits });
  return `${name.padEnd(34)} ${format(summary.median).padStart(10)} ${unit.padEnd(8)} (min ${format(summary.min)} – max ${format(summary.max)}, ${summary.runs} runs)   goal ${goal}   ${met ? 'PASS' : 'MISS'}`;
}

try {
  const logins = await bootstrapDatabase(cluster.url(), 'hq');
  const secretKeyFile = join(dir, 'station-secrets.key');
  const database = openDatabase({ ...logins, secrets: loadSecretSeal(secretKeyFile), poolSize: 4 });
  const migrating = await database.office.connect();
  await migrate(migrating);
  migrating.release();
  const origin = await startService(logins, secretKeyFile);
  log(`head office ${origin}, PostgreSQL in ${dir}; load average now ${loadavg().map((value) => value.toFixed(1)).join(' ')} (anything else running shares the two cores)`);

  // 1. Ingest: every station uploads the same number of fresh sales at once, RUNS times.
  log(`\n1. ingest: ${STATIONS} stations × ${SALES_PER_STATION} sales each, uploading at once`);
  const fleet = await Promise.all(
    Array.from({ length: STATIONS }, async (_, index) => {
      const credential = await enrolStation(database, { stationId: `B${String(index + 1).padStart(3, '0')}`, shopId: `BS${String(Math.floor(index / 10) + 1).padStart(2, '0')}` });
      return simulatedStation(origin, credential, index + 1);
    }),
  );
  for (const station of fleet) station.uploader.start();
  const rates: number[] = [];
  const cpuPerThousand: number[] = [];
  const headOfficeCpuPerThousand: number[] = [];
  for (let run = 0; run <= RUNS; run++) {
    for (const station of fleet) ringUp(station, SALES_PER_STATION);
    const before = cpuSnapshot();
    const seconds = await timeUploads(fleet);
    const after = cpuSnapshot();
    const cpu = { service: after.service - before.service, postgres: after.postgres - before.postgres, stations: after.stations - before.stations };
    const perThousand = ((cpu.service + cpu.postgres + cpu.stations) * 1000) / (STATIONS * SALES_PER_STATION);
    if (run > 0) {
      cpuPerThousand.push(perThousand);
      headOfficeCpuPerThousand.push(((cpu.service + cpu.postgres) * 1000) / (STATIONS * SALES_PER_STATION));
    }
    const rate = (STATIONS * SALES_PER_STATION) / seconds;
    log(
      `  ${run === 0 ? 'warm-up' : `run ${run}`}: ${(STATIONS * SALES_PER_STATION).toLocaleString('en')} sales in ${seconds.toFixed(2)} s = ${Math.round(rate).toLocaleString('en')} sales/s;` +
        ` CPU s: service ${cpu.service.toFixed(1)}, PostgreSQL ${cpu.postgres.toFixed(1)}, stations ${cpu.stations.toFixed(1)}; load average ${loadavg()[0]!.toFixed(1)}`,
    );
    if (run > 0) rates.push(rate);
    if (run === 0 && PROFILE) await withAdmin(resetStatementStats);
  }
  await Promise.all(fleet.map((station) => station.uploader.stop()));
  if (PROFILE) {
    for (const text of await withAdmin((client) => statementProfile(client, RUNS * STATIONS * SALES_PER_STATION))) log(text);
    const exited = new Promise((resolve) => service?.once('exit', resolve));
    service?.kill('SIGINT');
    await exited;
    const file = readdirSync(profileDir).find((name) => name.endsWith('.cpuprofile'));
    for (const text of file ? serviceProfile(join(profileDir, file)) : ['no CPU profile was written']) log(text);
    log('(profiled: the service was stopped; catch-up and the report are left out)');
    clearTimeout(deadline);
    cleanUp();
    process.exit(0);
  }

  // 2. Catch-up: a station back after 7 days offline, alone.
  log(`\n2. catch-up: one station back after a week offline, with a backlog of ${CATCH_UP_SALES.toLocaleString('en')} sales`);
  const catchUps: number[] = [];
  for (let run = 1; run <= RUNS; run++) {
    const station = simulatedStation(origin, await enrolStation(database, { stationId: `CU-${run}`, shopId: 'BS01' }), 1000 + run);
    station.demo.advance(-7 * 86_400_000);
    ringUp(station, CATCH_UP_SALES);
    station.uploader.start();
    const seconds = await timeUploads([station]);
    await station.uploader.stop();
    log(`  run ${run}: ${station.outbox.lastSeq().toLocaleString('en')} events in ${seconds.toFixed(2)} s`);
    catchUps.push(seconds);
  }

  // 3. The daily report over 10 million sales.
  let report: Summary | undefined;
  if (!options['skip-report']) {
    const plan: SeedPlan = { sales: REPORT_SALES, stations: 200, perDay: 500, firstDay: '2025-01-01' };
    log(`\n3. daily report: seeding ${REPORT_SALES.toLocaleString('en')} sales in SQL`);
    const seedStarted = performance.now();
    const seeding = new pg.Client(cluster.url('hq'));
    await seeding.connect();
    await seedSales(seeding, plan, log);
    await seeding.end();
    log(`  seeded in ${((performance.now() - seedStarted) / 1000).toFixed(0)} s`);
    const day = seedDay(plan, 40);
    const timings: number[] = [];
    for (let run = 0; run <= Math.max(RUNS, 5); run++) {
      const started = performance.now();
      const result = await headOfficeReport(database.office, { from: day, to: day, silentAfterMinutes: 60 });
      const ms = performance.now() - started;
      if (run === 0) log(`  report for ${day}: ${result.byStationDay.length} station rows, ${result.byShop.reduce((total, shop) => total + shop.salesCount, 0).toLocaleString('en')} sales`);
      else timings.push(ms);
    }
    report = summarize(timings);
  }

  const ingest = summarize(rates);
  const catchUp = summarize(catchUps);
  log('\nHead office (median of the runs, min – max)');
  log(line('ingest (sales/s, lines + tenders)', 'sales/s', ingest, `≥ ${GOALS.ingestPerSecond.toLocaleString('en')}/s`, ingest.median >= GOALS.ingestPerSecond));
  log(line(`catch-up (7 days, ${CATCH_UP_SALES.toLocaleString('en')} sales)`, 's', catchUp, `≤ ${GOALS.catchUpSeconds} s`, catchUp.median <= GOALS.catchUpSeconds, 1));
  const cpu = summarize(cpuPerThousand);
  const headOfficeCpu = summarize(headOfficeCpuPerThousand);
  const ceiling = (seconds: number) => Math.round(2000 / seconds).toLocaleString('en');
  log(`  CPU per 1,000 sales, everything (service + PostgreSQL + the simulated stations): ${cpu.median.toFixed(2)} s (min ${cpu.min.toFixed(2)} – max ${cpu.max.toFixed(2)}): about ${ceiling(cpu.median)} sales/s on two idle cores`);
  log(
    `  CPU per 1,000 sales, the head office alone (service + PostgreSQL): ${headOfficeCpu.median.toFixed(2)} s (min ${headOfficeCpu.min.toFixed(2)} – max ${headOfficeCpu.max.toFixed(2)}):` +
      ` about ${ceiling(headOfficeCpu.median)} sales/s with two idle cores of its own (estimates from CPU time, not measurements)`,
  );
  if (report) log(line(`daily report (${(REPORT_SALES / 1e6).toLocaleString('en')} M sales)`, 'ms', report, `≤ ${GOALS.reportMs} ms`, report.median <= GOALS.reportMs, 1));
  else log('daily report: skipped (--skip-report)');
  await database.close();
} catch (error) {
  console.error(`benchmark failed: ${error instanceof Error ? error.stack : String(error)}`);
  process.exitCode = 1;
} finally {
  clearTimeout(deadline);
  cleanUp();
}
