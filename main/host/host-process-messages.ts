/**
 * The bundled host as the station sees it, whatever runs it: what its process tells the station at
 * start and answers to a liveness ping (bank/parent-link.ts sends both), and what the station holds
 * once it runs.
 */
import type { BundledHostLink } from './bundled-host-link.ts';

export interface HostListening {
  readonly type: 'listening';
  readonly host: string;
  readonly port: number;
  /** Where the host's wallet platform listens (HTTP, docs/wallet-api.md), when it runs one. */
  readonly wallet?: HostEndpoint;
}

export interface HostEndpoint {
  readonly host: string;
  readonly port: number;
}

function isEndpoint(value: unknown): value is HostEndpoint {
  if (typeof value !== 'object' || value === null) return false;
  const { host, port } = value as Record<string, unknown>;
  return typeof host === 'string' && typeof port === 'number' && Number.isInteger(port);
}

export function isHostListening(message: unknown): message is HostListening {
  if (!isEndpoint(message)) return false;
  const { type, wallet } = message as unknown as Record<string, unknown>;
  return type === 'listening' && (wallet === undefined || isEndpoint(wallet));
}

/** Why the host could not start, when it could say so before exiting (a port in use, a bad config). */
export function hostFailure(message: unknown): string | undefined {
  if (typeof message !== 'object' || message === null) return undefined;
  const { type, message: text } = message as Record<string, unknown>;
  return type === 'failed' && typeof text === 'string' ? text : undefined;
}

/** Station → host: "is your event loop turning?" The host answers { type: 'pong' } from it. */
export const HOST_PING = { type: 'ping' } as const;

export function isHostPong(message: unknown): boolean {
  return typeof message === 'object' && message !== null && (message as { type?: unknown }).type === 'pong';
}

/** How long the station waits for its bundled host to start listening. */
export const HOST_START_TIMEOUT_MS = 15_000;

export interface RunningHost {
  readonly host: string;
  readonly port: number;
  /** The wallet platform's endpoint, when the bundled host runs one. */
  readonly wallet?: HostEndpoint;
  stop(): Promise<void>;
}

/** How a host process ended: its exit code, or the signal that ended it. */
export interface HostExit {
  readonly code: number | null;
  readonly signal: string | null;
}

export function describeExit(exit: HostExit): string {
  return exit.signal !== null ? `killed by ${exit.signal}` : `exit code ${exit.code ?? 'unknown'}`;
}

/**
 * One run of the bundled host in its own process: a Node child process (main/host/child-process-host.ts)
 * or an Electron utilityProcess (main/electron/utility-process-host.ts). The supervisor
 * (host-supervisor.ts) sees only this, so both shells get the same restarts.
 */
export interface HostProcess extends RunningHost {
  readonly pid: number | undefined;
  /** Settles once the process has exited, however that happened (stop(), a crash, kill -9). */
  readonly exited: Promise<HostExit>;
  /** Resolves when the process answers a liveness ping; never, while it is stopped or stuck. */
  probe(): Promise<void>;
  /** Ends the process at once (SIGKILL): for one that is alive but answers nothing. */
  kill(): void;
  /** Asks the process to shut down cleanly; kills it if it has not within a grace period. */
  stop(): Promise<void>;
}

/**
 * Starts one host process on `port` (0: any free port) with the link `link` says (TLS and the station
 * to enrol, or plain TCP); rejects when it does not come up listening.
 */
export type HostLauncher = (options: { readonly dataDir: string; readonly port: number; readonly link: BundledHostLink }) => Promise<HostProcess>;
