/** What the bundled host process tells the station once it listens (bank/bank-host.ts sends it). */
export interface HostListening {
  readonly type: 'listening';
  readonly host: string;
  readonly port: number;
}

export function isHostListening(message: unknown): message is HostListening {
  if (typeof message !== 'object' || message === null) return false;
  const { type, host, port } = message as Record<string, unknown>;
  return type === 'listening' && typeof host === 'string' && typeof port === 'number' && Number.isInteger(port);
}

/** How long the station waits for its bundled host to start listening. */
export const HOST_START_TIMEOUT_MS = 15_000;

export interface RunningHost {
  readonly host: string;
  readonly port: number;
  stop(): Promise<void>;
}
