/**
 * An IPC contract is data: each method has a name and runtime schemas for its input and output,
 * and each push event a schema for its payload. The main side validates against it, the preload
 * and the browser bridge derive their named methods from it, and both sides type against it.
 */
import type { z } from 'zod';
import type { Result } from './result.ts';

export interface MethodSpec {
  readonly input: z.ZodType;
  readonly output: z.ZodType;
}

export interface Contract {
  /** Channel prefix, e.g. "pos" gives channels "pos:startPayment". */
  readonly name: string;
  readonly methods: Readonly<Record<string, MethodSpec>>;
  readonly events: Readonly<Record<string, z.ZodType>>;
}

export function defineContract<const C extends Contract>(contract: C): C {
  return contract;
}

export type MethodName<C extends Contract> = keyof C['methods'] & string;
export type EventName<C extends Contract> = keyof C['events'] & string;
export type MethodInput<C extends Contract, M extends MethodName<C>> = z.input<C['methods'][M]['input']>;
export type MethodOutput<C extends Contract, M extends MethodName<C>> = z.output<C['methods'][M]['output']>;
export type EventPayload<C extends Contract, E extends EventName<C>> = z.output<C['events'][E]>;

/** "paymentProgress" → "onPaymentProgress": the listener method the API exposes for an event. */
export type ListenerName<E extends string> = `on${Capitalize<E>}`;

export type Unsubscribe = () => void;

/** What window.pos (or window.posSimulator) looks like to the renderer. */
export type ApiOf<C extends Contract> = {
  readonly [M in MethodName<C>]: (input: MethodInput<C, M>) => Promise<Result<MethodOutput<C, M>>>;
} & {
  readonly [E in EventName<C> as ListenerName<E>]: (listener: (payload: EventPayload<C, E>) => void) => Unsubscribe;
};

/** The two things any transport (Electron IPC, WebSocket) must provide to carry a contract. */
export interface ContractTransport {
  invoke(method: string, input: unknown): Promise<Result<unknown>>;
  subscribe(event: string, listener: (payload: unknown) => void): Unsubscribe;
}

export function channelOf(contract: Contract, method: string): string {
  return `${contract.name}:${method}`;
}

export function eventChannelOf(contract: Contract, event: string): string {
  return `${contract.name}:event:${event}`;
}

export function listenerNameOf(event: string): string {
  return `on${event.charAt(0).toUpperCase()}${event.slice(1)}`;
}

/**
 * Builds the named API from a contract over a transport. Only the contract's own methods exist on
 * the result; there is no generic invoke to reach anything else.
 */
export function createApi<C extends Contract>(contract: C, transport: ContractTransport): ApiOf<C> {
  const api: Record<string, unknown> = {};
  for (const method of Object.keys(contract.methods)) {
    api[method] = (input: unknown) => transport.invoke(method, input);
  }
  for (const event of Object.keys(contract.events)) {
    api[listenerNameOf(event)] = (listener: (payload: unknown) => void) => {
      if (typeof listener !== 'function') throw new TypeError(`${listenerNameOf(event)} needs a function`);
      return transport.subscribe(event, listener);
    };
  }
  return Object.freeze(api) as ApiOf<C>;
}
