import { EventEmitter } from 'node:events';
import { describe, expect, it, vi } from 'vitest';
import { connectToParent } from './parent-link.ts';

/** Stands in for Electron's process.parentPort, whose 'message' events wrap the data. */
class FakeParentPort extends EventEmitter {
  readonly posted: unknown[] = [];
  postMessage(message: unknown): void {
    this.posted.push(message);
  }
}

const cpuUsage = () => ({ user: 1_000, system: 500 });

/** A child process's `process`, with the IPC channel's send. */
function childProcessParent() {
  const sent: unknown[] = [];
  const proc = Object.assign(new EventEmitter(), {
    cpuUsage,
    send(message: unknown, _handle: unknown, _options: unknown, done: () => void) {
      sent.push(message);
      done();
      return true;
    },
  }) as unknown as NodeJS.Process;
  return { proc, sent };
}

describe('connectToParent', () => {
  it('is undefined when the host was started from a shell', () => {
    expect(connectToParent(new EventEmitter() as unknown as NodeJS.Process)).toBeUndefined();
  });

  it('talks to an Electron utilityProcess parent through parentPort', async () => {
    const parentPort = new FakeParentPort();
    const link = connectToParent(Object.assign(new EventEmitter(), { parentPort, cpuUsage }) as unknown as NodeJS.Process)!;
    await link.send({ type: 'listening', host: '127.0.0.1', port: 4321 });
    expect(parentPort.posted).toEqual([{ type: 'listening', host: '127.0.0.1', port: 4321 }]);

    const stop = vi.fn();
    link.onStopRequested(stop);
    parentPort.emit('message', { data: { type: 'hello' } });
    expect(stop).not.toHaveBeenCalled();
    parentPort.emit('message', { data: { type: 'stop' } });
    expect(stop).toHaveBeenCalledWith('parent asked to stop');

    link.onStatsRequested(() => ({ units: 3, commits: 2, fsyncs: 1 }));
    parentPort.emit('message', { data: { type: 'stats' } });
    expect(parentPort.posted.at(-1)).toEqual({ type: 'stats', ledger: { units: 3, commits: 2, fsyncs: 1 }, cpuMicros: 1500 });
  });

  it("answers the station's liveness ping through either kind of parent", () => {
    const parentPort = new FakeParentPort();
    connectToParent(Object.assign(new EventEmitter(), { parentPort }) as unknown as NodeJS.Process);
    parentPort.emit('message', { data: { type: 'ping' } });
    expect(parentPort.posted).toEqual([{ type: 'pong' }]);

    const { proc, sent } = childProcessParent();
    connectToParent(proc);
    const channel = proc as unknown as EventEmitter;
    channel.emit('message', { type: 'hello' });
    channel.emit('message', { type: 'ping' });
    expect(sent).toEqual([{ type: 'pong' }]);
  });

  it('talks to a child_process parent through process.send, and stops on disconnect', async () => {
    const { proc, sent } = childProcessParent();
    const link = connectToParent(proc)!;
    await link.send({ type: 'failed', message: 'bad config' });
    expect(sent).toEqual([{ type: 'failed', message: 'bad config' }]);

    link.onStatsRequested(() => ({ units: 1, commits: 1, fsyncs: 1 }));
    (proc as unknown as EventEmitter).emit('message', { type: 'stats' });
    expect(sent.at(-1)).toEqual({ type: 'stats', ledger: { units: 1, commits: 1, fsyncs: 1 }, cpuMicros: 1500 });

    const stop = vi.fn();
    link.onStopRequested(stop);
    proc.emit('disconnect');
    expect(stop).toHaveBeenCalledWith('parent disconnected');
  });
});
