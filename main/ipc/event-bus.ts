/**
 * Push events of one contract. Payloads are parsed by the contract's event schema before any
 * transport sees them, so what reaches a window is exactly what the contract declares.
 */
import type { Contract, EventName, EventPayload } from '../../common/ipc/define-contract.ts';

export type EventSink = (event: string, payload: unknown) => void;

export class EventBus<C extends Contract> {
  readonly #contract: C;
  readonly #sinks = new Set<EventSink>();

  constructor(contract: C) {
    this.#contract = contract;
  }

  emit<E extends EventName<C>>(event: E, payload: EventPayload<C, E>): void {
    const schema = this.#contract.events[event];
    if (!schema) throw new Error(`${this.#contract.name} has no event ${event}`);
    const checked = schema.parse(payload);
    for (const sink of this.#sinks) sink(event, checked);
  }

  /** A transport (a window, a WebSocket) starts receiving every event of the contract. */
  connect(sink: EventSink): () => void {
    this.#sinks.add(sink);
    return () => this.#sinks.delete(sink);
  }
}
