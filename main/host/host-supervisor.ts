/**
 * Keeps the bundled host running. When its process exits for any reason but the station's own
 * stop (a crash, kill -9, an out-of-memory kill), the supervisor logs why and starts it again after
 * a growing delay, until it listens again. The restarted host opens the same ledger and listens on
 * the same port where it can, so the station's acquirer link reconnects to it as it would to any
 * host that came back; the supervisor then tells the station (onRestarted, with the address) so the
 * link signs on and the store-and-forward queue goes out at once, not at the link's next retry.
 *
 * A host that is alive but answers nothing (stopped with SIGSTOP, deadlocked, spinning) never
 * exits, so the supervisor also probes it: a ping over its process channel every
 * LIVENESS.intervalMs; after LIVENESS.misses unanswered in a row it kills the process (SIGKILL),
 * and that exit restarts it like any other. The probe asks the host process itself, not the
 * acquirer link's echo: a link can be down for reasons of its own (TLS trust, the station's side),
 * and killing a healthy host for those would only add restarts.
 *
 * If the port was taken meanwhile, the restart fails with EADDRINUSE:
 * - With acquirer.port 0 (the default) the port was an ephemeral one, which an outgoing connection
 *   of any program may get. Nobody but the station's own link knows it, so the next restart takes
 *   any free port, and onRestarted hands the new address to the station, which re-points its link.
 * - With a fixed acquirer.port the administrator chose that port (a firewall rule, a tool pointed
 *   at it), so the supervisor keeps trying it with the same backoff (growing to one try every
 *   RESTART_MAX_MS), and says clearly once why: giving up would leave the counter without card
 *   payments until someone restarts the station. A port outside the ephemeral range, which
 *   outgoing connections never take, is only ever taken by another server.
 *
 * The first start is not retried: a host that cannot start at all is a configuration problem, and
 * the station refuses to start with the host's own message rather than loop.
 */
import { backoffDelay } from '../acquirer/backoff.ts';
import { describeExit, type HostProcess, type RunningHost } from './host-process-messages.ts';

/** First restart delay; it doubles with each exit in a row, up to RESTART_MAX_MS. */
export const RESTART_BASE_MS = 500;
export const RESTART_MAX_MS = 30_000;
/** A host that ran this long before it exited counts as healthy: its next restart is quick again. */
export const STABLE_AFTER_MS = 60_000;

export interface LivenessPolicy {
  /** How often the running host is pinged. */
  readonly intervalMs: number;
  /** Pings in a row left unanswered after which the host is killed (so: silent for intervalMs × misses). */
  readonly misses: number;
}

/** A host silent for 20 s is stuck: far longer than a loaded machine delays the answer to a ping. */
export const LIVENESS: LivenessPolicy = { intervalMs: 5_000, misses: 4 };

/** The restart failed because the port is taken (the host's own "listen EADDRINUSE …" reason). */
function portInUse(error: unknown): boolean {
  return error instanceof Error && /\bEADDRINUSE\b/.test(error.message);
}

export interface HostSupervisorOptions {
  /**
   * Starts one run of the host on `port`, everything else (data folder, link security, …) bound by
   * the caller, so a restart is the same start on the same port.
   */
  readonly start: (port: number) => Promise<HostProcess>;
  /**
   * The port of the first start (0: any free one). Every restart asks for the port the host last
   * listened on; with 0, a restart refused with EADDRINUSE is followed by one on any free port.
   */
  readonly port: number;
  readonly log: (line: string) => void;
  /** Runs `restart` after `delayMs` and returns how to cancel it; injectable so tests drive restarts without waiting. */
  readonly schedule?: (restart: () => void, delayMs: number) => () => void;
  /** The clock that says how long a run lasted; tests set it. */
  readonly now?: () => number;
  /** How often to ping the host and after how many silent pings to kill it; LIVENESS unless a test says otherwise. */
  readonly liveness?: LivenessPolicy;
}

/** Where the host listens. */
export interface HostAddress {
  readonly host: string;
  readonly port: number;
}

export interface SupervisedHost extends RunningHost {
  /** Where the host listens now (a restart may have moved it to another port: see onRestarted). */
  readonly port: number;
  /** The running host process's id; undefined between an exit and the restart. */
  readonly pid: number | undefined;
  /** Restarts so far. */
  readonly restarts: number;
  /** Called each time a restarted host listens again, with where it listens (the same address, unless its port was taken). */
  onRestarted(listener: (address: HostAddress) => void): () => void;
  /** Stops the host and the supervision: no restart follows this exit. */
  stop(): Promise<void>;
}

function defaultSchedule(restart: () => void, delayMs: number): () => void {
  const timer = setTimeout(restart, delayMs);
  return () => clearTimeout(timer);
}

export async function superviseHost(options: HostSupervisorOptions): Promise<SupervisedHost> {
  const { start, log } = options;
  const schedule = options.schedule ?? defaultSchedule;
  const now = options.now ?? Date.now;
  const liveness = options.liveness ?? LIVENESS;
  const listeners = new Set<(address: HostAddress) => void>();
  // The port is the station's own business only when it was picked by the system (acquirer.port 0).
  const movable = options.port === 0;

  const first = await start(options.port);
  const { host } = first;
  let { port } = first;
  /** The next restart takes any free port: the last one was taken by another program. */
  let moveNext = false;
  let current: HostProcess | undefined = first;
  let startedAt = now();
  let exitsInARow = 0;
  let restarts = 0;
  let stopping = false;
  let cancelRestart: (() => void) | undefined;
  let restarting: Promise<void> | undefined;
  let portInUseExplained = false;
  log(`bundled host started (pid ${first.pid ?? '?'}), listening on ${host}:${port}`);

  // The check runs after the event loop's I/O phase (setImmediate), so an answer that arrived while
  // this process itself was starved of CPU is counted before the host is judged silent.
  const watchLiveness = (running: HostProcess) => {
    let answered = true;
    let missed = 0;
    const check = () => {
      if (stopping || current !== running) return;
      missed = answered ? 0 : missed + 1;
      if (missed >= liveness.misses) {
        clearInterval(timer);
        log(`bundled host (pid ${running.pid ?? '?'}) is running but has not answered ${missed} liveness checks in a row (${(missed * liveness.intervalMs) / 1000} s): killing it (SIGKILL) so that it is restarted`);
        running.kill();
        return;
      }
      answered = false;
      void running.probe().then(() => (answered = true));
    };
    const timer = setInterval(() => setImmediate(check), liveness.intervalMs);
    void running.exited.then(() => clearInterval(timer));
  };

  const watch = (running: HostProcess) => {
    watchLiveness(running);
    void running.exited.then((exit) => {
      if (stopping || current !== running) return;
      current = undefined;
      if (now() - startedAt >= STABLE_AFTER_MS) exitsInARow = 0;
      restartLater(`exited (${describeExit(exit)})`);
    });
  };

  const restartLater = (why: string) => {
    exitsInARow += 1;
    const delayMs = backoffDelay(exitsInARow - 1, RESTART_BASE_MS, RESTART_MAX_MS);
    log(`bundled host ${why}; restarting it in ${delayMs} ms on ${moveNext ? `${host}, any free port` : `${host}:${port}`}`);
    cancelRestart = schedule(() => {
      cancelRestart = undefined;
      restarting = restart().finally(() => {
        restarting = undefined;
      });
    }, delayMs);
  };

  /** Why a restart failed, for the log; a port taken meanwhile is explained once per run of failures. */
  const whyNotBack = (error: unknown): string => {
    if (!portInUse(error)) return `did not come back: ${error instanceof Error ? error.message : String(error)}`;
    if (movable) {
      moveNext = true;
      return `cannot listen again: ${host}:${port} is in use by another program (EADDRINUSE), so it moves to another port and the acquirer link follows`;
    }
    if (!portInUseExplained) {
      portInUseExplained = true;
      log(
        `bundled host: acquirer.port in station.json fixes it at ${port}, so the station keeps trying that port, less and less often, up to every ${RESTART_MAX_MS / 1000} s, until it is free; ` +
          "find the program that listens on it, or choose a port no other server uses (acquirer.port 0 lets the station pick one, and move if it is ever taken)",
      );
    }
    return `cannot listen again: ${host}:${port} is in use by another program (EADDRINUSE)`;
  };

  const restart = async () => {
    let started: HostProcess;
    try {
      started = await start(moveNext ? 0 : port);
    } catch (error) {
      if (!stopping) restartLater(whyNotBack(error));
      return;
    }
    if (stopping) {
      await started.stop();
      return;
    }
    const movedFrom = started.port === port ? undefined : port;
    current = started;
    port = started.port;
    moveNext = false;
    startedAt = now();
    restarts += 1;
    portInUseExplained = false;
    log(`bundled host restarted (pid ${started.pid ?? '?'}), listening on ${started.host}:${started.port}${movedFrom === undefined ? '' : ` (moved from port ${movedFrom})`}`);
    watch(started);
    for (const listener of listeners) listener({ host: started.host, port: started.port });
  };

  watch(first);
  return {
    host,
    get port() {
      return port;
    },
    // A restarted host's wallet platform may listen on another port: read it after onRestarted.
    get wallet() {
      return (current ?? first).wallet;
    },
    get pid() {
      return current?.pid;
    },
    get restarts() {
      return restarts;
    },
    onRestarted(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    async stop() {
      stopping = true;
      cancelRestart?.();
      // A host that does not stop when asked is killed after a grace period (host-start.ts): this never hangs.
      await current?.stop();
      // A restart under way finishes starting, then sees `stopping` and stops what it started.
      await restarting;
    },
  };
}

