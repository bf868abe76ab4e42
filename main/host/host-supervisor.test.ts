/**
 * The bundled host's supervisor: restarts after any exit but its own stop, with a growing delay,
 * always on the port the first start got; says clearly when that port was taken meanwhile and keeps
 * trying it at a bounded rate; kills a host that is alive but stops answering; and the same against
 * a real host process killed with SIGKILL, stopped with SIGSTOP, or deaf to SIGTERM.
 * No assertion depends on how long anything takes: delays are recorded, not waited for; liveness
 * checks and grace periods run on fake timers; every wait is on the event itself.
 */
import { mkdtempSync, readFileSync } from 'node:fs';
import { connect, createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { until } from '../../test/support/until.ts';
import { HOST_ENTRY, rigEnrolment, rigHostLink } from '../test-support/station-rig.ts';
import { startChildProcessHost } from './child-process-host.ts';
import type { HostExit, HostProcess } from './host-process-messages.ts';
import { STOP_GRACE_MS } from './host-start.ts';
import { RESTART_BASE_MS, RESTART_MAX_MS, STABLE_AFTER_MS, superviseHost, type HostAddress, type LivenessPolicy, type SupervisedHost } from './host-supervisor.ts';

/** A host process the test ends by hand, answering liveness pings while `answers` says so. */
function fakeHost(port: number, pid: number): HostProcess & { exit(exit: HostExit): void; answers: (ping: number) => boolean; stopped: boolean; killed: boolean } {
  let exit!: (value: HostExit) => void;
  const exited = new Promise<HostExit>((resolve) => (exit = resolve));
  let pings = 0;
  const host = {
    host: '127.0.0.1',
    port,
    pid,
    exited,
    stopped: false,
    killed: false,
    /** Whether the n-th ping (from 1) is answered. */
    answers: (_ping: number) => true,
    exit,
    probe: (): Promise<void> => (host.answers(++pings) ? Promise.resolve() : new Promise<void>(() => undefined)),
    kill() {
      host.killed = true;
      exit({ code: null, signal: 'SIGKILL' });
    },
    async stop() {
      host.stopped = true;
      exit({ code: 0, signal: null });
      await exited;
    },
  };
  return host;
}

const LIVENESS: LivenessPolicy = { intervalMs: 1_000, misses: 3 };
const IN_USE = new Error('the bundled host exited during start-up (exit code 1): listen EADDRINUSE: address already in use 127.0.0.1:41000');

/** A supervisor over fake hosts; `port` is acquirer.port (0: the system picks, and a fake host given 0 gets a new one). */
function rig(outcomes: readonly ('ok' | Error)[] = [], clock = { now: 0 }, port = 0) {
  const launched: { port: number; host?: ReturnType<typeof fakeHost> }[] = [];
  const delays: number[] = [];
  const due: (() => void)[] = [];
  const log: string[] = [];
  const listeners = new Set<() => void>();
  const changed = () => {
    for (const listener of [...listeners]) listener();
  };
  let next = 0;
  const supervisor = superviseHost({
    port,
    log: (line) => {
      log.push(line);
      changed();
    },
    start: async (port) => {
      const outcome = launched.length === 0 ? 'ok' : (outcomes[next++] ?? 'ok');
      if (outcome instanceof Error) {
        launched.push({ port });
        throw outcome;
      }
      const host = fakeHost(port !== 0 ? port : launched.length === 0 ? 41000 : 41000 + launched.length, 100 + launched.length);
      launched.push({ port, host });
      return host;
    },
    now: () => clock.now,
    schedule: (restart, delayMs) => {
      delays.push(delayMs);
      due.push(restart);
      changed();
      return () => due.splice(due.indexOf(restart), 1);
    },
    liveness: LIVENESS,
  });
  const runDue = () => due.shift()?.();
  /** Resolves once `check` passes, tried again at every log line and every scheduled restart. */
  const settled = (check: () => void) =>
    until(check, (listener) => {
      listeners.add(listener);
      return () => listeners.delete(listener);
    });
  return { supervisor, launched, delays, due, log, runDue, settled };
}

/** Lets `ticks` liveness intervals pass on the fake clock, with the check the last one scheduled (setImmediate, just after it). */
async function elapse(ticks: number): Promise<void> {
  await vi.advanceTimersByTimeAsync(LIVENESS.intervalMs * ticks);
  await vi.advanceTimersToNextTimerAsync();
}

afterEach(() => {
  vi.useRealTimers();
});

describe('host supervisor', () => {
  it('restarts a host that exited, on the port the first start got, logs why, and says when it is back', async () => {
    const { supervisor: starting, launched, delays, log, runDue, settled } = rig();
    const supervisor = await starting;
    const restarted = new Promise<HostAddress>((resolve) => supervisor.onRestarted(resolve));
    expect(supervisor).toMatchObject({ host: '127.0.0.1', port: 41000, pid: 100 });

    launched[0]?.host?.exit({ code: null, signal: 'SIGKILL' });
    await settled(() => expect(delays).toHaveLength(1));
    expect(supervisor.pid).toBeUndefined();
    expect(log).toContain(`bundled host exited (killed by SIGKILL); restarting it in ${RESTART_BASE_MS} ms on 127.0.0.1:41000`);
    runDue();
    await restarted;
    expect(launched.map((run) => run.port)).toEqual([0, 41000]);
    expect(supervisor).toMatchObject({ port: 41000, pid: 101, restarts: 1 });
    expect(log).toContain('bundled host restarted (pid 101), listening on 127.0.0.1:41000');
    await supervisor.stop();
  });

  it('backs off while the host keeps failing, and keeps trying', async () => {
    const { supervisor: starting, launched, delays, log, runDue, settled } = rig([new Error('bad config'), new Error('bad config'), 'ok']);
    const supervisor = await starting;
    launched[0]?.host?.exit({ code: 1, signal: null });
    for (let attempt = 1; attempt <= 3; attempt++) {
      await settled(() => expect(delays).toHaveLength(attempt));
      runDue();
    }
    await settled(() => expect(supervisor.restarts).toBe(1));
    expect(delays).toEqual([RESTART_BASE_MS, RESTART_BASE_MS * 2, RESTART_BASE_MS * 4]);
    expect(log.filter((line) => line.includes('did not come back: bad config'))).toHaveLength(2);
    await supervisor.stop();
  });

  it('with acquirer.port 0, moves a host whose port was taken meanwhile to any free port, and hands the station the new address', async () => {
    const { supervisor: starting, launched, delays, log, runDue, settled } = rig([IN_USE, 'ok']);
    const supervisor = await starting;
    const moved: HostAddress[] = [];
    supervisor.onRestarted((address) => moved.push(address));
    launched[0]?.host?.exit({ code: null, signal: 'SIGKILL' });
    for (let attempt = 1; attempt <= 2; attempt++) {
      await settled(() => expect(delays).toHaveLength(attempt));
      runDue();
    }
    await settled(() => expect(supervisor.restarts).toBe(1));
    // The same port first (the link knows it); once it is taken, any free one.
    expect(launched.map((run) => run.port)).toEqual([0, 41000, 0]);
    expect(log).toContain(`bundled host cannot listen again: 127.0.0.1:41000 is in use by another program (EADDRINUSE), so it moves to another port and the acquirer link follows; restarting it in ${RESTART_BASE_MS * 2} ms on 127.0.0.1, any free port`);
    expect(log).toContain('bundled host restarted (pid 102), listening on 127.0.0.1:41002 (moved from port 41000)');
    expect(moved).toEqual([{ host: '127.0.0.1', port: 41002 }]);
    expect(supervisor.port).toBe(41002);

    // From now on the host's port is the new one.
    launched.at(-1)?.host?.exit({ code: null, signal: 'SIGKILL' });
    await settled(() => expect(delays).toHaveLength(3));
    expect(log.at(-1)).toMatch(/restarting it in \d+ ms on 127\.0\.0\.1:41002$/);
    runDue();
    await settled(() => expect(supervisor.restarts).toBe(2));
    expect(launched.at(-1)?.port).toBe(41002);
    expect(moved).toEqual([{ host: '127.0.0.1', port: 41002 }, { host: '127.0.0.1', port: 41002 }]);
    await supervisor.stop();
  });

  it('with a fixed acquirer.port, says clearly once that it was taken meanwhile, retries it ever less often up to every 30 s, and is back once it is free', async () => {
    const taken = Array<Error>(9).fill(IN_USE);
    const { supervisor: starting, launched, delays, log, runDue, settled } = rig([...taken, 'ok'], { now: 0 }, 41000);
    const supervisor = await starting;
    launched[0]?.host?.exit({ code: null, signal: 'SIGKILL' });
    for (let attempt = 1; attempt <= taken.length + 1; attempt++) {
      await settled(() => expect(delays).toHaveLength(attempt));
      runDue();
    }
    await settled(() => expect(supervisor.restarts).toBe(1));
    expect(launched.map((run) => run.port)).toEqual(Array(taken.length + 2).fill(41000));
    expect(delays.at(-1)).toBe(RESTART_MAX_MS);
    expect(Math.max(...delays)).toBe(RESTART_MAX_MS);
    expect(log.filter((line) => line.startsWith('bundled host cannot listen again: 127.0.0.1:41000 is in use by another program (EADDRINUSE); restarting it in '))).toHaveLength(taken.length);
    expect(log.filter((line) => line.startsWith('bundled host: acquirer.port in station.json fixes it at 41000, so the station keeps trying that port, less and less often, up to every 30 s'))).toHaveLength(1);
    expect(log).toContain('bundled host restarted (pid 110), listening on 127.0.0.1:41000');
    await supervisor.stop();
  });

  it('restarts quickly again once a run has lasted a minute', async () => {
    const clock = { now: 0 };
    const { supervisor: starting, launched, delays, runDue, settled } = rig([new Error('bad config'), 'ok'], clock);
    const supervisor = await starting;
    launched[0]?.host?.exit({ code: 1, signal: null });
    await settled(() => expect(delays).toHaveLength(1));
    runDue();
    await settled(() => expect(delays).toHaveLength(2));
    runDue();
    await settled(() => expect(supervisor.restarts).toBe(1));
    clock.now += STABLE_AFTER_MS;
    launched.at(-1)?.host?.exit({ code: 1, signal: null });
    await settled(() => expect(delays).toHaveLength(3));
    expect(delays).toEqual([RESTART_BASE_MS, RESTART_BASE_MS * 2, RESTART_BASE_MS]);
    await supervisor.stop();
  });

  it('does not restart a host it stopped, nor one that exits while a restart is pending', async () => {
    const { supervisor: starting, launched, delays, due, settled } = rig();
    const supervisor = await starting;
    launched[0]?.host?.exit({ code: 1, signal: null });
    await settled(() => expect(delays).toHaveLength(1));
    await supervisor.stop();
    expect(due).toEqual([]);
    expect(launched).toHaveLength(1);
  });

  it('stops the host on stop, and nothing follows', async () => {
    const { supervisor: starting, launched, delays } = rig();
    const supervisor = await starting;
    await supervisor.stop();
    expect(launched[0]?.host?.stopped).toBe(true);
    await Promise.resolve();
    expect(delays).toEqual([]);
  });
});

describe('host supervisor: a host alive but silent', () => {
  it(`kills a host that leaves ${LIVENESS.misses} liveness pings in a row unanswered, and restarts it`, async () => {
    vi.useFakeTimers();
    const { supervisor: starting, launched, delays, log, runDue, settled } = rig();
    const supervisor = await starting;
    const stuck = launched[0]?.host as ReturnType<typeof fakeHost>;
    await elapse(5);
    expect(stuck.killed).toBe(false);

    stuck.answers = () => false;
    await elapse(LIVENESS.misses + 1);
    expect(stuck.killed).toBe(true);
    expect(log).toContain('bundled host (pid 100) is running but has not answered 3 liveness checks in a row (3 s): killing it (SIGKILL) so that it is restarted');
    await settled(() => expect(delays).toHaveLength(1));
    expect(log).toContain(`bundled host exited (killed by SIGKILL); restarting it in ${RESTART_BASE_MS} ms on 127.0.0.1:41000`);
    runDue();
    await settled(() => expect(supervisor.restarts).toBe(1));
    await supervisor.stop();
  });

  it('leaves alone a host that is slow to answer but never silent that many times in a row', async () => {
    vi.useFakeTimers();
    const { supervisor: starting, launched, delays } = rig();
    const supervisor = await starting;
    const slow = launched[0]?.host as ReturnType<typeof fakeHost>;
    slow.answers = (ping) => ping % LIVENESS.misses === 0;
    await elapse(60);
    expect(slow.killed).toBe(false);
    expect(delays).toEqual([]);
    await supervisor.stop();
  });

  it('stops probing once stopped', async () => {
    vi.useFakeTimers();
    const { supervisor: starting, launched } = rig();
    const supervisor = await starting;
    const host = launched[0]?.host as ReturnType<typeof fakeHost>;
    host.answers = () => false;
    await supervisor.stop();
    await elapse(10);
    expect(host.killed).toBe(false);
  });
});

describe('host supervisor with the real host process', () => {
  let supervisor: SupervisedHost | undefined;
  afterEach(async () => {
    vi.useRealTimers();
    await supervisor?.stop();
    supervisor = undefined;
  });

  /**
   * A supervised real host, its first process and its log; restarts run as soon as they are scheduled.
   * Over TLS, as the station runs it: the host enrols the station whose data directory holds its own.
   */
  async function supervised() {
    const stationDir = mkdtempSync(join(tmpdir(), 'supervised-host-'));
    const dataDir = join(stationDir, 'bank');
    const link = rigHostLink(stationDir);
    const log: string[] = [];
    const host = await superviseHost({
      port: 0,
      log: (line) => log.push(line),
      start: (port) => startChildProcessHost({ entry: HOST_ENTRY, dataDir, port, link, log: (line) => log.push(line) }),
      schedule: (restart) => (restart(), () => undefined),
      liveness: LIVENESS,
    });
    supervisor = host;
    const restarted = new Promise<HostAddress>((resolve) => host.onRestarted(resolve));
    /** The host's CA and server certificate, and the station's certificate it enrolled. */
    const credentials = () => ['pki/ca.pem', 'pki/host.pem'].map((file) => readFileSync(join(dataDir, file), 'utf8')).concat(readFileSync(join(rigEnrolment(stationDir).dir, 'station.crt'), 'utf8'));
    return { host, log, port: host.port, first: host.pid as number, restarted, credentials };
  }

  /** Listens on `port` as soon as the killed host's socket is gone. */
  async function listenOnceFree(port: number): Promise<Server> {
    for (;;) {
      const server = createServer((socket) => socket.destroy());
      const listening = await new Promise<boolean>((resolve, reject) => {
        server.once('error', (error: NodeJS.ErrnoException) => (error.code === 'EADDRINUSE' ? resolve(false) : reject(error)));
        server.listen(port, '127.0.0.1', () => resolve(true));
      });
      if (listening) return server;
      await new Promise((next) => setTimeout(next, 10));
    }
  }

  function reachable(port: number): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      const socket = connect({ host: '127.0.0.1', port }, () => {
        socket.destroy();
        resolve();
      });
      socket.on('error', reject);
    });
  }

  it('restarts a host killed with SIGKILL on the same port, where the station can connect again, with the CA and enrolment it made', async () => {
    const { host, log, port, first, restarted, credentials } = await supervised();
    const before = credentials();
    const madeAtFirstStart = log.filter((line) => line.includes('pki:')).length;
    expect(madeAtFirstStart).toBe(3);
    process.kill(first, 'SIGKILL');
    await restarted;
    expect(host.pid).not.toBe(first);
    expect(host.port).toBe(port);
    expect(log).toContainEqual(expect.stringMatching(/^bundled host exited \(killed by SIGKILL\); restarting it in \d+ ms/));
    // Nothing issued again: the same CA the station pins, the same server certificate, the same enrolment.
    expect(credentials()).toEqual(before);
    expect(log.filter((line) => line.includes('pki:'))).toHaveLength(madeAtFirstStart);
    await reachable(port);
  });

  it('moves a host whose port another program took while it was down to a free port, where the station can connect', async () => {
    const stationDir = mkdtempSync(join(tmpdir(), 'supervised-host-'));
    const dataDir = join(stationDir, 'bank');
    const link = rigHostLink(stationDir);
    const log: string[] = [];
    const due: (() => void)[] = [];
    const host = await superviseHost({
      port: 0,
      log: (line) => log.push(line),
      start: (port) => startChildProcessHost({ entry: HOST_ENTRY, dataDir, port, link, log: (line) => log.push(line) }),
      // Restarts wait for the test, so the port is surely taken before the first one.
      schedule: (restart) => (due.push(restart), () => undefined),
      liveness: LIVENESS,
    });
    supervisor = host;
    const { port } = host;
    const restarted = new Promise<HostAddress>((resolve) => host.onRestarted(resolve));
    process.kill(host.pid as number, 'SIGKILL');
    const taken = await listenOnceFree(port);
    try {
      await vi.waitFor(() => expect(due).toHaveLength(1));
      due.shift()?.();
      await vi.waitFor(() => expect(due).toHaveLength(1));
      expect(log).toContainEqual(expect.stringMatching(new RegExp(`^bundled host cannot listen again: 127\\.0\\.0\\.1:${port} is in use by another program \\(EADDRINUSE\\), so it moves to another port`)));
      due.shift()?.();
      const address = await restarted;
      expect(address.port).not.toBe(port);
      expect(host.port).toBe(address.port);
      await reachable(address.port);
    } finally {
      await new Promise((resolve) => taken.close(resolve));
    }
  });

  it('kills a host stopped with SIGSTOP once it leaves its liveness pings unanswered, and restarts it on the same port', async () => {
    vi.useFakeTimers();
    const { host, log, port, first: stalled, restarted } = await supervised();
    process.kill(stalled, 'SIGSTOP');
    await elapse(LIVENESS.misses + 1);
    await restarted;
    expect(log).toContain(`bundled host (pid ${stalled}) is running but has not answered 3 liveness checks in a row (3 s): killing it (SIGKILL) so that it is restarted`);
    expect(log).toContain(`bundled host exited (killed by SIGKILL); restarting it in ${RESTART_BASE_MS} ms on 127.0.0.1:${port}`);
    expect(host.pid).not.toBe(stalled);
    await reachable(port);
  });

  it('kills a host that does not stop when asked (stopped with SIGSTOP) after the grace period, so the station stop returns', async () => {
    vi.useFakeTimers();
    const { host, log, first: stalled } = await supervised();
    process.kill(stalled, 'SIGSTOP');

    const stopping = host.stop();
    await vi.advanceTimersByTimeAsync(STOP_GRACE_MS);
    await stopping;
    expect(log).toContain(`bundled host (pid ${stalled}) did not stop within ${STOP_GRACE_MS / 1000} s of being asked to: killing it (SIGKILL)`);
    expect(() => process.kill(stalled, 0)).toThrow(expect.objectContaining({ code: 'ESRCH' }));
  });
});
