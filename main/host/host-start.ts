/**
 * What running the bundled host looks like in either shell, once the process is forked: its output
 * goes to the station log line by line; the start succeeds when it says it listens, fails when it
 * exits first (with its own reason when it gave one) or stays silent too long; a liveness probe
 * asks it over its message channel whether its event loop still turns; and a stop asks it to shut
 * down cleanly, then kills it if it has not within STOP_GRACE_MS, so the station's own stop never
 * hangs on a host that is stopped (SIGSTOP), deadlocked or spinning.
 */
import { describeExit, HOST_PING, HOST_START_TIMEOUT_MS, hostFailure, isHostListening, isHostPong, type HostExit, type HostProcess } from './host-process-messages.ts';

/** How long a stop waits for the host to shut down cleanly before it kills it (SIGKILL). */
export const STOP_GRACE_MS = 5_000;

/** Copies a host output stream into the station log as "[host] …" lines. */
export function relayHostOutput(stream: NodeJS.ReadableStream | null, log: (line: string) => void): void {
  stream?.on('error', (error) => log(`[host] output stream: ${error.message}`));
  stream?.on('data', (chunk: Buffer) => {
    for (const line of chunk.toString().split('\n')) if (line.trim()) log(`[host] ${line}`);
  });
}

/** A forked host process, not yet known to listen: what each shell supplies. */
export interface StartingHost {
  /** Where the process's messages arrive: a ChildProcess or a UtilityProcess. */
  readonly channel: {
    on(event: 'message', listener: (message: unknown) => void): unknown;
    off(event: 'message', listener: (message: unknown) => void): unknown;
  };
  /** Sends the process a message (a liveness ping). */
  post(message: unknown): void;
  readonly pid: number | undefined;
  readonly exited: Promise<HostExit>;
  /** Asks the process to shut down cleanly (SIGTERM; a utilityProcess's kill()). */
  terminate(): void;
  /** Ends the process at once (SIGKILL), whatever state it is in. */
  kill(): void;
  readonly log: (line: string) => void;
}

/** Probe, kill and a stop that escalates: the same for both shells. */
function controls(starting: StartingHost): Pick<HostProcess, 'probe' | 'kill' | 'stop'> {
  const { channel, exited, log, pid } = starting;
  let ended = false;
  const answers = new Set<() => void>();
  const onMessage = (message: unknown) => {
    if (!isHostPong(message)) return;
    for (const answered of answers) answered();
    answers.clear();
  };
  channel.on('message', onMessage);
  void exited.then(() => {
    ended = true;
    channel.off('message', onMessage);
  });
  const kill = () => {
    if (!ended) starting.kill();
  };
  let stopping: Promise<void> | undefined;
  return {
    // Any answer proves the process's event loop turned after the ping was sent; a process gone never answers.
    probe: () =>
      new Promise<void>((resolve) => {
        if (ended) return;
        answers.add(resolve);
        starting.post(HOST_PING);
      }),
    kill,
    stop: () =>
      (stopping ??= (async () => {
        if (ended) return;
        starting.terminate();
        const escalation = setTimeout(() => {
          log(`bundled host (pid ${pid ?? '?'}) did not stop within ${STOP_GRACE_MS / 1000} s of being asked to: killing it (SIGKILL)`);
          kill();
        }, STOP_GRACE_MS);
        await exited;
        clearTimeout(escalation);
      })()),
  };
}

export function whenListening(starting: StartingHost): Promise<HostProcess> {
  const { channel, exited } = starting;
  const { probe, kill, stop } = controls(starting);
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
      resolve({ host: message.host, port: message.port, ...(message.wallet === undefined ? {} : { wallet: message.wallet }), pid: starting.pid, exited, probe, kill, stop });
    };
    channel.on('message', onMessage);
    // Once listening, the promise is settled and a later exit is the supervisor's business.
    void exited.then((exit) => {
      clearTimeout(timer);
      reject(new Error(`the bundled host exited during start-up (${describeExit(exit)})${failure ? `: ${failure}` : '; see the [host] lines above'}`));
    });
  });
}
