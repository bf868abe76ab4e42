/**
 * kill -9 mid-batch, of the uploader and of PostgreSQL, and of the product's station mid-sale and
 * mid-upload: afterwards every station's outbox (the station's: its journal) and the head office
 * agree row by row (nothing lost, nothing doubled), and so do the rollups.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { startPrivateCluster, type PrivateCluster } from '../../hq/postgres/private-cluster.ts';
import { HeadOfficeClient } from '../../main/head-office/head-office-client.ts';
import { credentialPath } from '../../main/head-office/station-head-office.ts';
import { Uploader } from '../../main/head-office/uploader.ts';
import { compareJournalWithHeadOffice, compareWithHeadOffice, removeStationOutboxes, rollupsMatchSales, startHeadOfficeRig, stationOutbox, type HeadOfficeRig } from './head-office-rig.ts';

const CHILD = join(import.meta.dirname, 'upload-child.ts');
const STATION_CHILD = join(import.meta.dirname, 'station-child.ts');
const cleanups: (() => Promise<void> | void)[] = [];
afterAll(async () => {
  for (const cleanup of cleanups.reverse()) await cleanup();
  removeStationOutboxes();
});

interface Child {
  readonly process: ChildProcess;
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null; output: string }>;
}

function uploaderProcess(outboxPath: string, url: string, credential: object): Child {
  return childProcess(CHILD, { OUTBOX_PATH: outboxPath, HQ_URL: url, HQ_CREDENTIAL: JSON.stringify(credential), BATCH_SIZE: '20' });
}

/** The product's station selling cash sales (station-child.ts); SALES unset: until killed. */
function stationProcess(dataDir: string, url: string, sales?: number): Child {
  return childProcess(STATION_CHILD, { DATA_DIR: dataDir, HQ_URL: url, ...(sales === undefined ? {} : { SALES: String(sales) }) });
}

function childProcess(entry: string, env: Record<string, string>): Child {
  const child = spawn(process.execPath, [entry], { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  return { process: child, exited: new Promise((resolve) => child.once('exit', (code, signal) => resolve({ code, signal, output }))) };
}

// Real processes are started, killed and recovered here: generous limits, so a loaded CI machine is slow, not red.
describe('kill -9 mid-batch', { timeout: 120_000 }, () => {
  it('of the uploader: nothing lost or doubled', async () => {
    let killNext: ((stationId: string) => void) | undefined;
    const rig: HeadOfficeRig = await startHeadOfficeRig({ ingestHooks: { beforeCommit: async (stationId) => killNext?.(stationId) } });
    cleanups.push(() => rig.close());
    const stations = ['K1', 'K2'];
    const outboxes = new Map(stations.map((id, index) => [id, stationOutbox(id, 100 + index)]));
    const credentials = new Map(await Promise.all(stations.map(async (id) => [id, await rig.enrol(id)] as const)));
    for (const box of outboxes.values()) box.sell(60);

    for (const stationId of stations) {
      const box = outboxes.get(stationId)!;
      // 1. Killed while the head office holds the batch's rows but has not committed: its answer finds nobody.
      const first = uploaderProcess(box.path, rig.server.origin, credentials.get(stationId)!);
      let batches = 0;
      killNext = (id) => {
        if (id === stationId && ++batches === 2) first.process.kill('SIGKILL');
      };
      expect((await first.exited).signal).toBe('SIGKILL');
      killNext = undefined;
      // 2. The station sells on; killed again as soon as it has made some progress, mid-request.
      box.sell(20);
      const second = uploaderProcess(box.path, rig.server.origin, credentials.get(stationId)!);
      second.process.stdout?.on('data', (chunk: Buffer) => {
        if (/BACKLOG \d+/.test(chunk.toString())) setTimeout(() => second.process.kill('SIGKILL'), 15);
      });
      const secondExit = await second.exited;
      // 3. A last run drains the outbox.
      box.sell(5);
      const third = uploaderProcess(box.path, rig.server.origin, credentials.get(stationId)!);
      const thirdExit = await third.exited;
      expect(thirdExit.output, `first: killed; second: ${secondExit.signal ?? secondExit.code}`).toMatch(/DRAINED/);
    }
    for (const [stationId, box] of outboxes) {
      expect(await compareWithHeadOffice(rig.db, stationId, box.db)).toEqual({ events: box.outbox.lastSeq() });
      expect(await rollupsMatchSales(rig.db, stationId)).toBe(true);
    }
  });

  it('of PostgreSQL: nothing lost or doubled once it is back', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'hq-crash-pg-'));
    let cluster: PrivateCluster = startPrivateCluster({ dir, fsync: false });
    cleanups.push(() => {
      cluster.stop();
      rmSync(dir, { recursive: true, force: true });
    });
    const killPostgres = () => {
      const pid = cluster.pid();
      if (!pid) return;
      // The whole server, as an OOM killer or a crash would take it: postmaster and backends at once.
      const children = spawnSync('ps', ['-o', 'pid=', '--ppid', String(pid)], { encoding: 'utf8' }).stdout.split('\n').map(Number).filter(Boolean);
      for (const victim of [pid, ...children]) {
        try {
          process.kill(victim, 'SIGKILL');
        } catch {
          // already gone
        }
      }
    };
    let batches = 0;
    let killed = 0;
    const rig = await startHeadOfficeRig({
      serverUrl: cluster.url(),
      ingestHooks: {
        beforeCommit: async () => {
          if (++batches === 3) {
            killPostgres();
            killed += 1;
          }
        },
      },
    });
    cleanups.push(() => rig.close());
    const stations = ['P1', 'P2', 'P3'];
    const outboxes = stations.map((id, index) => ({ id, box: stationOutbox(id, 200 + index) }));
    const uploaders = await Promise.all(
      outboxes.map(async ({ id, box }) => {
        box.sell(80);
        return new Uploader({ outbox: box.outbox, client: new HeadOfficeClient({ url: rig.server.origin, credential: await rig.enrol(id) }), batchSize: 25, retryBaseMs: 20, retryMaxMs: 200 });
      }),
    );
    const retrying = Promise.all(uploaders.map((uploader) => new Promise<void>((resolve) => uploader.onStatus((status) => status.state === 'retrying' && resolve()))));
    for (const uploader of uploaders) uploader.start();
    // Every uploader finds the head office failing while PostgreSQL is gone; then it comes back (crash recovery).
    await retrying;
    expect(killed).toBe(1);
    cluster = startPrivateCluster({ dir, fsync: false });
    // A second crash at no chosen moment, while batches are streaming in.
    for (const { box } of outboxes) box.sell(40);
    for (const uploader of uploaders) uploader.notify();
    await new Promise((resolve) => setTimeout(resolve, 30));
    killPostgres();
    await new Promise((resolve) => setTimeout(resolve, 300));
    cluster = startPrivateCluster({ dir, fsync: false });
    await Promise.all(uploaders.map((uploader) => uploader.drained()));
    await Promise.all(uploaders.map((uploader) => uploader.stop()));
    for (const { id, box } of outboxes) {
      expect(await compareWithHeadOffice(rig.db, id, box.db)).toEqual({ events: box.outbox.lastSeq() });
      expect(await rollupsMatchSales(rig.db, id)).toBe(true);
    }
  });

  it('of the station, mid-sale and mid-upload: its journal and the head office agree row by row', async () => {
    let killNext: ((stationId: string) => void) | undefined;
    const rig = await startHeadOfficeRig({ ingestHooks: { beforeCommit: async (stationId) => killNext?.(stationId) } });
    cleanups.push(() => rig.close());
    const stationId = 'SH09-01';
    const dataDir = mkdtempSync(join(tmpdir(), 'hq-crash-station-'));
    cleanups.push(() => rmSync(dataDir, { recursive: true, force: true }));
    mkdirSync(join(dataDir, 'keys'), { recursive: true });
    writeFileSync(credentialPath(dataDir), JSON.stringify(await rig.enrol(stationId)), { mode: 0o600 });

    // 1. Killed while the head office holds one of its batches uncommitted: the answer finds nobody.
    const first = stationProcess(dataDir, rig.server.origin);
    let batches = 0;
    killNext = (id) => {
      if (id === stationId && ++batches === 3) first.process.kill('SIGKILL');
    };
    expect((await first.exited).signal).toBe('SIGKILL');
    killNext = undefined;
    // 2. Killed at moments nobody chose, while it sells (a sale, a void or a refund may be mid-transaction).
    for (const delayMs of [0, 7, 23]) {
      const next = stationProcess(dataDir, rig.server.origin);
      let sold = 0;
      let armed = false;
      next.process.stdout?.on('data', (chunk: Buffer) => {
        sold += chunk.toString().match(/SOLD \d+/g)?.length ?? 0;
        if (sold < 4 || armed) return;
        armed = true;
        setTimeout(() => next.process.kill('SIGKILL'), delayMs);
      });
      const exit = await next.exited;
      expect(exit.signal, exit.output).toBe('SIGKILL');
    }
    // 3. A last run sells a few more and waits until the head office holds everything.
    const last = stationProcess(dataDir, rig.server.origin, 6);
    const lastExit = await last.exited;
    expect(lastExit.output).toMatch(/DRAINED/);

    const compared = await compareJournalWithHeadOffice(rig.db, stationId, join(dataDir, 'journal.sqlite'));
    expect(compared.sales).toBeGreaterThanOrEqual(6);
    expect(compared.refundedMinor).toBeGreaterThan(0);
  });
});
