/**
 * Starts the bundled acquirer/issuer host as a child process (the browser target's counterpart of
 * Electron's utilityProcess). It is a separate process on purpose: the station reaches it only over
 * TCP, as it would reach a real acquirer.
 */
import { fork, type Serializable } from 'node:child_process';
import type { HostExit, HostProcess } from './host-process-messages.ts';
import { relayHostOutput, whenListening } from './host-start.ts';
import { bundledHostLinkArgs, type BundledHostLink } from './bundled-host-link.ts';

export interface ChildHostOptions {
  readonly entry: string;
  readonly dataDir: string;
  readonly port: number;
  readonly log: (line: string) => void;
  /** A host config other than the bundled one (tests: a shorter duplicate window, a response delay). */
  readonly configPath?: string;
  /** TLS and the station to enrol, or plain TCP: always said, so no caller forgets its station's credentials. */
  readonly link: BundledHostLink;
}

/** A host run as a child process; `pid` is set (tests stall it with SIGSTOP or crash it with SIGKILL). */
export interface ChildProcessHost extends HostProcess {
  readonly pid: number;
}

export async function startChildProcessHost(options: ChildHostOptions): Promise<ChildProcessHost> {
  const args = ['--port', String(options.port), '--data', options.dataDir, ...(options.configPath === undefined ? [] : ['--config', options.configPath]), ...bundledHostLinkArgs(options.link)];
  const child = fork(options.entry, args, { stdio: ['ignore', 'pipe', 'pipe', 'ipc'] });
  relayHostOutput(child.stdout, options.log);
  relayHostOutput(child.stderr, options.log);
  // 'exit', or 'error' when the process could not be started at all: either ends this run.
  const exited = new Promise<HostExit>((resolve) => {
    child.once('exit', (code, signal) => resolve({ code, signal }));
    child.on('error', (error) => {
      options.log(`bundled host process: ${error.message}`);
      if (child.pid === undefined) resolve({ code: null, signal: null });
    });
  });
  const host = await whenListening({
    channel: child,
    // A channel closing under the message is the process going away: its exit follows.
    post: (message) => {
      if (child.connected) child.send(message as Serializable, () => undefined);
    },
    pid: child.pid,
    exited,
    terminate: () => child.kill('SIGTERM'),
    kill: () => child.kill('SIGKILL'),
    log: options.log,
  });
  return { ...host, pid: child.pid ?? -1 };
}
