/**
 * The host under benchmark, in its own process (bank/bank-host.ts), so it has a core to itself and
 * the client the other. Its stdout (one line per message) goes to /dev/null: the host still formats
 * and writes every line, as it would in service.
 */
import { fork, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';
import type { HostToParentMessage } from '../bank/parent-link.ts';

const ENTRY = fileURLToPath(new URL('../bank/bank-host.ts', import.meta.url));

export interface HostProcess {
  readonly port: number;
  readonly child: ChildProcess;
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
  if (message.type !== 'listening') throw new Error(`bank host failed to start: ${message.message}`);
  const exited = once(child, 'exit');
  return {
    port: message.port,
    child,
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
