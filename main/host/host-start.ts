/**
 * What starting the bundled host looks like in either shell, once the process is forked: its output
 * goes to the station log line by line, and the start succeeds when it says it listens, fails when
 * it exits first (with its own reason when it gave one) or stays silent too long.
 */
import { describeExit, HOST_START_TIMEOUT_MS, hostFailure, isHostListening, type HostExit, type HostProcess } from './host-process-messages.ts';

/** Copies a host output stream into the station log as "[host] …" lines. */
export function relayHostOutput(stream: NodeJS.ReadableStream | null, log: (line: string) => void): void {
  stream?.on('error', (error) => log(`[host] output stream: ${error.message}`));
  stream?.on('data', (chunk: Buffer) => {
    for (const line of chunk.toString().split('\n')) if (line.trim()) log(`[host] ${line}`);
  });
}

/** A forked host process, not yet known to listen. */
export interface StartingHost {
  /** Where the process's messages arrive: a ChildProcess or a UtilityProcess. */
  readonly channel: {
    on(event: 'message', listener: (message: unknown) => void): unknown;
    off(event: 'message', listener: (message: unknown) => void): unknown;
  };
  readonly pid: number | undefined;
  readonly exited: Promise<HostExit>;
  stop(): Promise<void>;
}

export function whenListening(starting: StartingHost): Promise<HostProcess> {
  const { channel, exited, stop } = starting;
  return new Promise((resolve, reject) => {
    let failure: string | undefined;
    const timer = setTimeout(() => {
      void stop();
      reject(new Error(`the bundled host did not start listening within ${HOST_START_TIMEOUT_MS / 1000} s`));
    }, HOST_START_TIMEOUT_MS);
    const onMessage = (message: unknown) => {
      failure ??= hostFailure(message);
      if (!isHostListening(message)) return;
      clearTimeout(timer);
      channel.off('message', onMessage);
      resolve({ host: message.host, port: message.port, ...(message.wallet === undefined ? {} : { wallet: message.wallet }), pid: starting.pid, exited, stop });
    };
    channel.on('message', onMessage);
    // Once listening, the promise is settled and a later exit is the supervisor's business.
    void exited.then((exit) => {
      clearTimeout(timer);
      reject(new Error(`the bundled host exited during start-up (${describeExit(exit)})${failure ? `: ${failure}` : '; see the [host] lines above'}`));
    });
  });
}
