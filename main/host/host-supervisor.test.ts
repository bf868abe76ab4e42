/**
 * The bundled host's supervisor: restarts after any exit but its own stop, with a growing delay,
 * always on the port the first start got; and the same against a real host process killed with
 * SIGKILL. No assertion depends on how long anything takes: delays are recorded, not waited for.
 */
import { mkdtempSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { HOST_ENTRY } from '../test-support/station-rig.ts';
import { startChildProcessHost } from './child-process-host.ts';
import type { HostExit, HostProcess } from './host-process-messages.ts';
import { RESTART_BASE_MS, STABLE_AFTER_MS, superviseHost, type SupervisedHost } from './host-supervisor.ts';

/** A host process the test ends by hand. */
function fakeHost(port: number, pid: number): HostProcess & { exit(exit: HostExit): void; stopped: boolean } {
  let exit!: (value: HostExit) => void;
  const exited = new Promise<HostExit>((resolve) => (exit = resolve));
  const host = {
    host: '127.0.0.1',
    port,
    pid,
    exited,
    stopped: false,
    exit,
    async stop() {
      host.stopped = true;
      exit({ code: 0, signal: null });
      await exited;
    },
  };
  return host;
}

function rig(outcomes: readonly ('ok' | Error)[] = [], clock = { now: 0 }) {
  const launched: { port: number; host?: ReturnType<typeof fakeHost> }[] = [];
  const delays: number[] = [];
  const due: (() => void)[] = [];
  const log: string[] = [];
  let next = 0;
  const supervisor = superviseHost({
    port: 0,
    log: (line) => log.push(line),
    start: async (port) => {
      const outcome = launched.length === 0 ? 'ok' : (outcomes[next++] ?? 'ok');
      if (outcome instanceof Error) {
        launched.push({ port });
        throw outcome;
      }
      const host = fakeHost(port === 0 ? 41000 : port, 100 + launched.length);
      launched.push({ port, host });
      return host;
    },
    now: () => clock.now,
    schedule: (restart, delayMs) => {
      delays.push(delayMs);
      due.push(restart);
      return () => due.splice(due.indexOf(restart), 1);
    },
  });
  const runDue = () => due.shift()?.();
  return { supervisor, launched, delays, due, log, runDue };
}

describe('host supervisor', () => {
  it('restarts a host that exited, on the port the first start got, logs why, and says when it is back', async () => {
    const { supervisor: starting, launched, delays, log, runDue } = rig();
    const supervisor = await starting;
    const restarted = vi.fn();
    supervisor.onRestarted(restarted);
    expect(supervisor).toMatchObject({ host: '127.0.0.1', port: 41000, pid: 100 });

    launched[0]?.host?.exit({ code: null, signal: 'SIGKILL' });
    await vi.waitUntil(() => delays.length === 1);
    expect(supervisor.pid).toBeUndefined();
    expect(log).toContain(`bundled host exited (killed by SIGKILL); restarting it in ${RESTART_BASE_MS} ms on 127.0.0.1:41000`);
    runDue();
    await vi.waitUntil(() => restarted.mock.calls.length === 1);
    expect(launched.map((run) => run.port)).toEqual([0, 41000]);
    expect(supervisor).toMatchObject({ port: 41000, pid: 101, restarts: 1 });
    expect(log).toContain('bundled host restarted (pid 101), listening on 127.0.0.1:41000');
    await supervisor.stop();
  });

  it('backs off while the host keeps failing, and keeps trying', async () => {
    const { supervisor: starting, launched, delays, log, runDue } = rig([new Error('EADDRINUSE'), new Error('EADDRINUSE'), 'ok']);
    const supervisor = await starting;
    launched[0]?.host?.exit({ code: 1, signal: null });
    for (let attempt = 1; attempt <= 3; attempt++) {
      await vi.waitUntil(() => delays.length === attempt);
      runDue();
    }
    await vi.waitUntil(() => supervisor.restarts === 1);
    expect(delays).toEqual([RESTART_BASE_MS, RESTART_BASE_MS * 2, RESTART_BASE_MS * 4]);
    expect(log.filter((line) => line.includes('did not come back: EADDRINUSE'))).toHaveLength(2);
    await supervisor.stop();
  });

  it('restarts quickly again once a run has lasted a minute', async () => {
    const clock = { now: 0 };
    const { supervisor: starting, launched, delays, runDue } = rig([new Error('EADDRINUSE'), 'ok'], clock);
    const supervisor = await starting;
    launched[0]?.host?.exit({ code: 1, signal: null });
    await vi.waitUntil(() => delays.length === 1);
    runDue();
    await vi.waitUntil(() => delays.length === 2);
    runDue();
    await vi.waitUntil(() => supervisor.restarts === 1);
    clock.now += STABLE_AFTER_MS;
    launched.at(-1)?.host?.exit({ code: 1, signal: null });
    await vi.waitUntil(() => delays.length === 3);
    expect(delays).toEqual([RESTART_BASE_MS, RESTART_BASE_MS * 2, RESTART_BASE_MS]);
    await supervisor.stop();
  });

  it('does not restart a host it stopped, nor one that exits while a restart is pending', async () => {
    const { supervisor: starting, launched, delays, due } = rig();
    const supervisor = await starting;
    launched[0]?.host?.exit({ code: 1, signal: null });
    await vi.waitUntil(() => delays.length === 1);
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

describe('host supervisor with the real host process', () => {
  let supervisor: SupervisedHost | undefined;
  afterEach(async () => supervisor?.stop());

  it('restarts a host killed with SIGKILL on the same port, where the station can connect again', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'supervised-host-'));
    const log: string[] = [];
    supervisor = await superviseHost({ port: 0, log: (line) => log.push(line), start: (port) => startChildProcessHost({ entry: HOST_ENTRY, dataDir, port, log: (line) => log.push(line) }) });
    const { port } = supervisor;
    const first = supervisor.pid as number;
    const back = new Promise<void>((resolve) => supervisor?.onRestarted(resolve));

    process.kill(first, 'SIGKILL');
    await back;
    expect(supervisor.pid).not.toBe(first);
    expect(supervisor.port).toBe(port);
    expect(log).toContainEqual(expect.stringMatching(/^bundled host exited \(killed by SIGKILL\); restarting it in \d+ ms/));
    await new Promise<void>((resolve, reject) => {
      const socket = connect({ host: '127.0.0.1', port }, () => {
        socket.destroy();
        resolve();
      });
      socket.on('error', reject);
    });
  });
});
