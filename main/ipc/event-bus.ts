/**
 * Push events of one contract. Payloads are parsed by the contract's event schema before any
 * transport sees them, so what reaches a window is exactly what the contract declares.
 *
 * Some events describe state (a device's status, the current payment's step, the PIN pad's
 * screen). For those the bus keeps the latest payload per key and replays it to a window that
 * connects later — a reloaded window or a reconnected WebSocket sees the present, not a blank.
 */
import type { Contract, EventName, EventPayload } from '../../common/ipc/define-contract.ts';

export type EventSink = (event: string, payload: unknown) => void;

/**
 * For a state-like event: the key its latest payload is kept under, or undefined when the payload
 * ends that state (a finished payment), so nothing of it is replayed any more.
 */
export type ReplayKeys<C extends Contract> = { readonly [E in EventName<C>]?: (payload: EventPayload<C, E>) => string | undefined };

export class EventBus<C extends Contract> {
  readonly #contract: C;
  readonly #replayKeys: ReplayKeys<C>;
  readonly #latest = new Map<string, { event: string; payload: unknown }>();
  readonly #sinks = new Set<EventSink>();

  constructor(contract: C, replayKeys: ReplayKeys<C> = {}) {
    this.#contract = contract;
    this.#replayKeys = replayKeys;
  }

  emit<E extends EventName<C>>(event: E, payload: EventPayload<C, E>): void {
    const schema = this.#contract.events[event];
    if (!schema) throw new Error(`${this.#contract.name} has no event ${event}`);
    const checked = schema.parse(payload);
    const replayKey = this.#replayKeys[event];
    if (replayKey) this.#remember(event, replayKey(payload), checked);
    for (const sink of this.#sinks) sink(event, checked);
  }

  #remember(event: string, key: string | undefined, payload: unknown): void {
    if (key !== undefined) {
      this.#latest.set(`${event}:${key}`, { event, payload });
      return;
    }
    for (const stored of [...this.#latest.keys()]) if (stored.startsWith(`${event}:`)) this.#latest.delete(stored);
  }

  /** A transport (a window, a WebSocket) starts receiving every event of the contract, current state first. */
  connect(sink: EventSink): () => void {
    for (const { event, payload } of this.#latest.values()) sink(event, payload);
    this.#sinks.add(sink);
    return () => this.#sinks.delete(sink);
  }
}
