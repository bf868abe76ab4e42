/**
 * The host's link to a parent process when it runs as one's child: a Node child process with an
 * IPC channel (process.send) or an Electron utilityProcess (process.parentPort). It tells the
 * parent where it listens, and reports when the parent goes away or asks it to stop.
 *
 * Host → parent: { type: 'listening', host, port, wallet? } once listening (wallet: where the wallet
 * platform listens, { host, port }, when it runs), or { type: 'failed', message }.
 * Parent → host: { type: 'stop' } asks for a clean shutdown (so does SIGTERM, or an IPC disconnect).
 * Parent → host: { type: 'ping' }, answered { type: 'pong' } at once from the event loop: the
 * station's liveness probe (main/host/host-supervisor.ts), which kills a host that stops answering.
 * Parent → host: { type: 'stats' } asks for the ledger's commit counters and the process's CPU time,
 * answered { type: 'stats', ledger, cpuMicros } (the benchmarks read how many requests share a
 * commit and an fsync, and what each costs the host in CPU).
 */
import type { CommitStats } from './ledger/unit-of-work.ts';

export type HostToParentMessage =
  | { readonly type: 'listening'; readonly host: string; readonly port: number; readonly wallet?: { readonly host: string; readonly port: number } }
  | { readonly type: 'failed'; readonly message: string }
  | { readonly type: 'stats'; readonly ledger: CommitStats; readonly cpuMicros: number };

/** The part of Electron's process.parentPort used here (the host never imports electron). */
interface UtilityParentPort {
  postMessage(message: unknown): void;
  on(event: 'message', listener: (event: { data: unknown }) => void): unknown;
}

export interface ParentLink {
  send(message: HostToParentMessage): Promise<void>;
  /** Calls `stop` when the parent disconnects or sends { type: 'stop' }. */
  onStopRequested(stop: (reason: string) => void): void;
  /** Answers each { type: 'stats' } with the ledger's counters and this process's CPU time (user + system). */
  onStatsRequested(stats: () => CommitStats): void;
}

function isRequest(message: unknown, type: 'stop' | 'ping' | 'stats'): boolean {
  return typeof message === 'object' && message !== null && (message as { type?: unknown }).type === type;
}

function statsMessage(proc: NodeJS.Process, stats: () => CommitStats): HostToParentMessage {
  const cpu = proc.cpuUsage();
  return { type: 'stats', ledger: stats(), cpuMicros: cpu.user + cpu.system };
}

const PONG = { type: 'pong' } as const;

/** The link to the parent, or undefined when the host was started on its own (from a shell). */
export function connectToParent(proc: NodeJS.Process = process): ParentLink | undefined {
  const parentPort = (proc as NodeJS.Process & { parentPort?: UtilityParentPort | null }).parentPort;
  if (parentPort) {
    parentPort.on('message', (event) => {
      if (isRequest(event.data, 'ping')) parentPort.postMessage(PONG);
    });
    return {
      send: async (message) => parentPort.postMessage(message),
      onStopRequested(stop) {
        parentPort.on('message', (event) => {
          if (isRequest(event.data, 'stop')) stop('parent asked to stop');
        });
      },
      onStatsRequested(stats) {
        parentPort.on('message', (event) => {
          if (isRequest(event.data, 'stats')) parentPort.postMessage(statsMessage(proc, stats));
        });
      },
    };
  }
  const send = proc.send?.bind(proc);
  if (send === undefined) return undefined;
  proc.on('message', (message) => {
    // The parent gone mid-answer is not the host's problem: 'disconnect' stops it.
    if (isRequest(message, 'ping')) send(PONG, undefined, {}, () => undefined);
  });
  return {
    // Resolves once the message is handed to the channel (or the channel is already gone).
    send: (message) => new Promise((resolve) => send(message, undefined, {}, () => resolve())),
    onStopRequested(stop) {
      proc.once('disconnect', () => stop('parent disconnected'));
      proc.on('message', (message) => {
        if (isRequest(message, 'stop')) stop('parent asked to stop');
      });
    },
    onStatsRequested(stats) {
      proc.on('message', (message) => {
        if (isRequest(message, 'stats')) send(statsMessage(proc, stats), undefined, {}, () => undefined);
      });
    },
  };
}
