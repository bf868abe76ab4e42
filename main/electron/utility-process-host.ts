/**
 * Starts the bundled acquirer/issuer host in an Electron utilityProcess: its own process, reached
 * only over TCP. It is one HostProcess like the browser target's child process, so the station's
 * supervisor (main/host/host-supervisor.ts) restarts it the same way when it exits, and kills it the
 * same way when it stops answering.
 */
import { utilityProcess } from 'electron';
import type { HostExit, HostProcess } from '../host/host-process-messages.ts';
import { relayHostOutput, whenListening } from '../host/host-start.ts';
import { bundledHostLinkArgs, type BundledHostLink } from '../host/bundled-host-link.ts';

export interface UtilityHostOptions {
  readonly entry: string;
  readonly deckPath: string;
  readonly configPath: string;
  readonly dataDir: string;
  readonly port: number;
  readonly link: BundledHostLink;
  readonly log: (line: string) => void;
}

export function startUtilityProcessHost(options: UtilityHostOptions): Promise<HostProcess> {
  const child = utilityProcess.fork(
    options.entry,
    ['--port', String(options.port), '--data', options.dataDir, '--deck', options.deckPath, '--config', options.configPath, ...bundledHostLinkArgs(options.link)],
    { serviceName: 'POS acquirer host', stdio: 'pipe' },
  );
  relayHostOutput(child.stdout, options.log);
  relayHostOutput(child.stderr, options.log);
  // A utilityProcess reports an exit code only; a crash (a V8 fatal error, out of memory) is told on 'error' first.
  child.on('error', (type, location) => options.log(`bundled host process: ${type} at ${location}`));
  const exited = new Promise<HostExit>((resolve) => child.once('exit', (code) => resolve({ code, signal: null })));
  return whenListening({
    channel: child,
    post: (message) => child.postMessage(message),
    pid: child.pid,
    exited,
    // kill() is SIGTERM on POSIX; a utilityProcess has no SIGKILL of its own, so the station sends it (TerminateProcess on Windows).
    terminate: () => child.kill(),
    kill: () => {
      if (child.pid === undefined) return;
      try {
        process.kill(child.pid, 'SIGKILL');
      } catch {
        // Gone already: its exit is on its way.
      }
    },
    log: options.log,
  });
}
