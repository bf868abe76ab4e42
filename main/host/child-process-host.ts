/**
 * Starts the bundled acquirer/issuer host as a child process (the browser target's counterpart of
 * Electron's utilityProcess). It is a separate process on purpose: the station reaches it only over
 * TCP, as it would reach a real acquirer.
 */
import { fork } from 'node:child_process';
import { HOST_START_TIMEOUT_MS, isHostListening, type RunningHost } from './host-process-messages.ts';

export interface ChildHostOptions {
  readonly entry: string;
  readonly dataDir: string;
  readonly port: number;
  readonly log: (line: string) => void;
  /** A host config other than the bundled one (tests: a shorter duplicate window, a response delay). */
  readonly configPath?: string;
}

export interface ChildProcessHost extends RunningHost {
  /** For tests that stall (SIGSTOP) or crash (SIGKILL) the host mid-authorization. */
  readonly pid: number;
}

export function startChildProcessHost(options: ChildHostOptions): Promise<ChildProcessHost> {
  const args = ['--port', String(options.port), '--data', options.dataDir, ...(options.configPath === undefined ? [] : ['--config', options.configPath])];
  const child = fork(options.entry, args, { stdio: ['ignore', 'pipe', 'pipe', 'ipc'] });
  const relay = (stream: NodeJS.ReadableStream | null) =>
    stream?.on('data', (chunk: Buffer) => {
      for (const line of chunk.toString().split('\n')) if (line.trim()) options.log(`[host] ${line}`);
    });
  relay(child.stdout);
  relay(child.stderr);

  const stop = () =>
    new Promise<void>((resolve) => {
      if (child.exitCode !== null || child.signalCode !== null) return resolve();
      child.once('exit', () => resolve());
      child.kill('SIGTERM');
    });

  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      void stop();
      reject(new Error(`the bundled host did not start listening within ${HOST_START_TIMEOUT_MS / 1000} s`));
    }, HOST_START_TIMEOUT_MS);
    child.once('exit', (code, signal) => {
      clearTimeout(timer);
      reject(new Error(`the bundled host exited during start-up (${signal ?? `code ${code}`}); see the [host] lines above`));
    });
    child.on('message', (message) => {
      if (!isHostListening(message)) return;
      clearTimeout(timer);
      child.removeAllListeners('exit');
      resolve({ host: message.host, port: message.port, pid: child.pid ?? -1, stop });
    });
  });
}
