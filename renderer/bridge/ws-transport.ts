/**
 * A ContractTransport over one WebSocket, for the browser target where no preload exists.
 *
 * Frames are JSON text. The client sends `invoke` frames and matches `result` frames by id; the
 * server pushes every `event` of the contract and the client hands each to the listeners subscribed
 * for it. Listeners live here, not on the server, so they survive a reconnect without a resubscribe.
 */
import type { ContractTransport, Unsubscribe } from '../../common/ipc/define-contract.ts';
import { fail, IPC_ERROR_CODES, type Result } from '../../common/ipc/result.ts';

/** The part of the DOM WebSocket this transport uses, so tests can hand in a fake. */
export interface SocketLike {
  send(data: string): void;
  onopen: ((event: Event) => void) | null;
  onmessage: ((event: MessageEvent) => void) | null;
  onclose: ((event: CloseEvent) => void) | null;
}

export interface WsTransportOptions {
  readonly url: string;
  readonly openSocket: (url: string) => SocketLike;
  /** Runs `retry` after `delayMs`; injectable so tests drive reconnects without timers. */
  readonly schedule?: (retry: () => void, delayMs: number) => void;
}

/** First reconnect delay; doubles after each failed attempt up to the cap. */
export const RECONNECT_INITIAL_DELAY_MS = 500;
/** A station restart should be picked up within this long, without hammering a dead server. */
export const RECONNECT_MAX_DELAY_MS = 10_000;

type ConnectionState = 'connecting' | 'open' | 'waiting';

interface Outstanding {
  readonly frame: string;
  readonly resolve: (result: Result<unknown>) => void;
}

export function createWsTransport(options: WsTransportOptions): ContractTransport {
  const schedule = options.schedule ?? ((retry, delayMs) => void setTimeout(retry, delayMs));
  const listeners = new Map<string, Set<(payload: unknown) => void>>();
  // Every invoke not yet answered, in send order; `unsent` holds the ids still waiting for the socket to open.
  const outstanding = new Map<number, Outstanding>();
  const unsent: number[] = [];
  let nextId = 1;
  let socket: SocketLike | undefined;
  let state: ConnectionState = 'connecting';
  let reconnectDelay = RECONNECT_INITIAL_DELAY_MS;

  function connect(): void {
    state = 'connecting';
    const current = options.openSocket(options.url);
    socket = current;
    current.onopen = () => {
      state = 'open';
      reconnectDelay = RECONNECT_INITIAL_DELAY_MS;
      for (const id of unsent.splice(0)) {
        const entry = outstanding.get(id);
        if (entry) current.send(entry.frame);
      }
    };
    current.onmessage = (event) => handleFrame(event.data);
    // A failed connection fires error, then close: close alone carries the cleanup.
    current.onclose = () => {
      socket = undefined;
      failOutstanding('The connection to the station closed');
      state = 'waiting';
      const delay = reconnectDelay;
      reconnectDelay = Math.min(reconnectDelay * 2, RECONNECT_MAX_DELAY_MS);
      schedule(connect, delay);
    };
  }

  function failOutstanding(message: string): void {
    const entries = [...outstanding.values()];
    outstanding.clear();
    unsent.length = 0;
    for (const entry of entries) entry.resolve(fail('unavailable', message));
  }

  function handleFrame(data: unknown): void {
    const frame = parseFrame(data);
    if (!frame) return;
    if (frame.type === 'result') {
      const entry = outstanding.get(frame.id);
      if (!entry) return;
      outstanding.delete(frame.id);
      entry.resolve(isResult(frame.result) ? frame.result : fail('internal', 'The station sent a malformed result'));
      return;
    }
    for (const listener of [...(listeners.get(frame.event) ?? [])]) {
      try {
        listener(frame.payload);
      } catch (error) {
        // One broken listener must not starve the others of the event.
        console.error(`listener for "${frame.event}" threw`, error);
      }
    }
  }

  connect();

  return {
    invoke(method, input) {
      // Between attempts there is no socket to wait for: answer now rather than leave the cashier hanging.
      if (state === 'waiting') {
        return Promise.resolve(fail('unavailable', 'Not connected to the station; reconnecting'));
      }
      const id = nextId++;
      const frame = JSON.stringify({ type: 'invoke', id, method, input });
      return new Promise<Result<unknown>>((resolve) => {
        outstanding.set(id, { frame, resolve });
        if (state === 'open' && socket) socket.send(frame);
        else unsent.push(id);
      });
    },
    subscribe(event, listener): Unsubscribe {
      let set = listeners.get(event);
      if (!set) {
        set = new Set();
        listeners.set(event, set);
      }
      set.add(listener);
      return () => {
        set.delete(listener);
      };
    },
  };
}

type ServerFrame =
  | { readonly type: 'result'; readonly id: number; readonly result: unknown }
  | { readonly type: 'event'; readonly event: string; readonly payload: unknown };

/** Accepts only well-formed frames; anything else is dropped with a warning rather than thrown into the socket loop. */
function parseFrame(data: unknown): ServerFrame | undefined {
  if (typeof data !== 'string') {
    console.warn('station socket: ignoring a non-text frame');
    return undefined;
  }
  let frame: unknown;
  try {
    frame = JSON.parse(data);
  } catch {
    console.warn('station socket: ignoring a frame that is not JSON');
    return undefined;
  }
  if (isRecord(frame)) {
    if (frame.type === 'result' && typeof frame.id === 'number') {
      return { type: 'result', id: frame.id, result: frame.result };
    }
    if (frame.type === 'event' && typeof frame.event === 'string') {
      return { type: 'event', event: frame.event, payload: frame.payload };
    }
  }
  console.warn('station socket: ignoring an unrecognised frame');
  return undefined;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null;
}

/** The UI translates error codes, so a code outside the shared list is as malformed as a missing one. */
function isResult(value: unknown): value is Result<unknown> {
  if (!isRecord(value)) return false;
  if (value.ok === true) return 'value' in value;
  const error = value.error;
  return (
    value.ok === false &&
    isRecord(error) &&
    typeof error.message === 'string' &&
    (IPC_ERROR_CODES as readonly unknown[]).includes(error.code)
  );
}
