/**
 * The host under benchmark, in its own process (bank/bank-host.ts), so it has a core to itself and
 * the client the other. Its stdout (one line per message) goes to /dev/null: the host still formats
 * and writes every line, as it would in service.
 */
import { fork, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';
import type { CommitStats } from '../bank/ledger/unit-of-work.ts';
import type { HostToParentMessage } from '../bank/parent-link.ts';

const ENTRY = fileURLToPath(new URL('../bank/bank-host.ts', import.meta.url));

/** The host's counters at one moment (bank/parent-link.ts 'stats'). */
export interface HostStats {
  readonly ledger: CommitStats;
  /** The host process's CPU time so far, user + system. */
  readonly cpuMicros: number;
}

export interface HostProcess {
  readonly port: number;
  /** The wallet platform's port, when the config runs one. */
  readonly walletPort?: number;
  readonly child: ChildProcess;
  /** Asks the host for its ledger counters and CPU time. */
  stats(): Promise<HostStats>;
  /** kill -9: no shutdown, no flush; what the ledger holds is what was durable. */
  kill9(): Promise<void>;
  /** SIGTERM: a clean stop (writes a CPU profile when one was asked for). */
  stop(): Promise<void>;
}

export interface HostProcessOptions {
  readonly deckPath: string;
  readonly configPath: string;
  readonly dataDir: string;
  /** When set, the host runs with --cpu-prof and writes its profile here on a clean stop. */
  readonly cpuProfileDir?: string;
  /** Plain TCP (--plain) instead of the default TLS 1.3 with client certificates. */
  readonly plain?: boolean;
}

export async function startHostProcess(options: HostProcessOptions): Promise<HostProcess> {
  const execArgv = options.cpuProfileDir === undefined ? [] : ['--cpu-prof', `--cpu-prof-dir=${options.cpuProfileDir}`];
  const child = fork(ENTRY, ['--port', '0', '--deck', options.deckPath, '--config', options.configPath, '--data', options.dataDir, ...(options.plain ? ['--plain'] : [])], {
    execPath: process.execPath,
    execArgv,
    stdio: ['ignore', 'ignore', 'inherit', 'ipc'],
  });
  const [message] = (await once(child, 'message')) as [HostToParentMessage];
  if (message.type !== 'listening') throw new Error(`bank host failed to start: ${message.type === 'failed' ? message.message : JSON.stringify(message)}`);
  const exited = once(child, 'exit');
  return {
    port: message.port,
    ...(message.wallet === undefined ? {} : { walletPort: message.wallet.port }),
    child,
    async stats() {
      const answer = new Promise<HostStats>((resolve) => {
        const onMessage = (reply: HostToParentMessage) => {
          if (reply.type !== 'stats') return;
          child.off('message', onMessage);
          resolve({ ledger: reply.ledger, cpuMicros: reply.cpuMicros });
        };
        child.on('message', onMessage);
      });
      child.send({ type: 'stats' });
      return answer;
    },
    async kill9() {
      child.kill('SIGKILL');
      await exited;
    },
    async stop() {
      child.kill('SIGTERM');
      await exited;
    },
  };
}
