/**
 * The Electron utilityProcess host is one HostProcess like the child-process host, so the station's
 * supervisor restarts it the same way. Electron is replaced by a double of utilityProcess (a process
 * the test makes listen, fail or exit), so this runs where the Electron binary does not.
 */
import { EventEmitter } from 'node:events';
import { PassThrough } from 'node:stream';
import { describe, expect, it, vi } from 'vitest';
import { until } from '../../test/support/until.ts';

class FakeUtilityProcess extends EventEmitter {
  readonly stdout = new PassThrough();
  readonly stderr = new PassThrough();
  readonly pid: number;
  killed = false;
  /** A process that ignores kill() (SIGTERM), as a stopped or stuck one does. */
  deaf = false;
  constructor(pid: number) {
    super();
    this.pid = pid;
  }
  kill(): boolean {
    this.killed = true;
    if (!this.deaf) queueMicrotask(() => this.emit('exit', 0));
    return true;
  }
  /** Answers the station's liveness ping as the host's parentPort link does. */
  postMessage(message: { type: string }): void {
    if (message.type === 'ping') queueMicrotask(() => this.emit('message', { type: 'pong' }));
  }
}

const forked: { args: string[]; process: FakeUtilityProcess }[] = [];
const forks = new EventEmitter();
vi.mock('electron', () => ({
  utilityProcess: {
    fork: (_entry: string, args: string[]) => {
      const process = new FakeUtilityProcess(500 + forked.length);
      forked.push({ args, process });
      forks.emit('fork');
      return process;
    },
  },
}));

const { startUtilityProcessHost } = await import('./utility-process-host.ts');
const { superviseHost } = await import('../host/host-supervisor.ts');
const { STOP_GRACE_MS } = await import('../host/host-start.ts');

const link = { transport: 'tls', terminalId: 'POS00001', stationTlsDir: '/data/acquirer-tls' } as const;
const options = { entry: 'bank-host.cjs', deckPath: 'deck.json', configPath: 'host.json', dataDir: '/data/bank', port: 0, link, log: () => undefined };
const last = () => forked.at(-1)?.process as FakeUtilityProcess;

describe('utilityProcess host', () => {
  it('is listening once the process says so, and reports its exit', async () => {
    const starting = startUtilityProcessHost(options);
    last().emit('message', { type: 'listening', host: '127.0.0.1', port: 45000 });
    const host = await starting;
    expect(host).toMatchObject({ host: '127.0.0.1', port: 45000, pid: last().pid });
    last().emit('exit', 9);
    expect(await host.exited).toEqual({ code: 9, signal: null });
  });

  it("fails with the host's own reason when it exits during start-up", async () => {
    const starting = startUtilityProcessHost(options);
    last().emit('message', { type: 'failed', message: 'listen EADDRINUSE 127.0.0.1:45000' });
    last().emit('exit', 1);
    await expect(starting).rejects.toThrow('the bundled host exited during start-up (exit code 1): listen EADDRINUSE 127.0.0.1:45000');
  });

  it('is restarted by the supervisor on the same port after it exits', async () => {
    const starting = superviseHost({ port: 0, log: () => undefined, start: (port) => startUtilityProcessHost({ ...options, port }), schedule: (restart) => (restart(), () => undefined) });
    last().emit('message', { type: 'listening', host: '127.0.0.1', port: 45001 });
    const supervisor = await starting;
    const first = last();
    first.emit('exit', 134);
    await until(
      () => expect(last()).not.toBe(first),
      (changed) => (forks.on('fork', changed), () => forks.off('fork', changed)),
    );
    expect(forked.at(-1)?.args.slice(0, 2)).toEqual(['--port', '45001']);
    // The same link settings: under TLS the restarted host finds its CA and the station's enrolment in place.
    expect(forked.at(-1)?.args.slice(-4)).toEqual(['--enrol-terminal', 'POS00001', '--enrol-dir', '/data/acquirer-tls']);
    const restarted = new Promise<unknown>((resolve) => supervisor.onRestarted(resolve));
    last().emit('message', { type: 'listening', host: '127.0.0.1', port: 45001 });
    await restarted;
    expect(supervisor.pid).toBe(last().pid);
    await supervisor.stop();
    expect(last().killed).toBe(true);
  });

  it('answers liveness probes over its message channel', async () => {
    const starting = startUtilityProcessHost(options);
    last().emit('message', { type: 'listening', host: '127.0.0.1', port: 45002 });
    const host = await starting;
    await host.probe();
    last().emit('exit', 0);
  });

  it('is killed (SIGKILL, sent by the station) when it does not stop within the grace period', async () => {
    vi.useFakeTimers();
    const log: string[] = [];
    const starting = startUtilityProcessHost({ ...options, log: (line) => log.push(line) });
    const stuck = last();
    stuck.emit('message', { type: 'listening', host: '127.0.0.1', port: 45003 });
    const host = await starting;
    stuck.deaf = true;
    const kill = vi.spyOn(process, 'kill').mockImplementation((pid, signal) => {
      if (pid === stuck.pid && signal === 'SIGKILL') queueMicrotask(() => stuck.emit('exit', 9));
      return true;
    });
    try {
      const stopping = host.stop();
      await vi.advanceTimersByTimeAsync(STOP_GRACE_MS);
      await stopping;
      expect(stuck.killed).toBe(true);
      expect(kill).toHaveBeenCalledWith(stuck.pid, 'SIGKILL');
      expect(log).toContain(`bundled host (pid ${stuck.pid}) did not stop within ${STOP_GRACE_MS / 1000} s of being asked to: killing it (SIGKILL)`);
    } finally {
      kill.mockRestore();
      vi.useRealTimers();
    }
  });
});
