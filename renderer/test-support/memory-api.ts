/**
 * A fake platform API for component tests: the real createApi over an in-memory transport. Method
 * handlers answer like the station would; every call is recorded; `emit` pushes an event.
 */
import {
  createApi,
  type ApiOf,
  type Contract,
  type ContractTransport,
  type EventName,
  type EventPayload,
  type MethodInput,
  type MethodName,
  type MethodOutput,
} from '../../common/ipc/define-contract.ts';
import { fail, type Result } from '../../common/ipc/result.ts';

export type Handlers<C extends Contract> = {
  [M in MethodName<C>]?: (input: MethodInput<C, M>) => Result<MethodOutput<C, M>> | Promise<Result<MethodOutput<C, M>>>;
};

export interface MemoryApi<C extends Contract> {
  readonly api: ApiOf<C>;
  readonly calls: { method: string; input: unknown }[];
  callsTo(method: MethodName<C>): unknown[];
  emit<E extends EventName<C>>(event: E, payload: EventPayload<C, E>): void;
  listenerCount(event: EventName<C>): number;
}

export function createMemoryApi<C extends Contract>(contract: C, handlers: Handlers<C>): MemoryApi<C> {
  const calls: { method: string; input: unknown }[] = [];
  const listeners = new Map<string, Set<(payload: unknown) => void>>();
  const lookup = handlers as Record<string, ((input: unknown) => Result<unknown> | Promise<Result<unknown>>) | undefined>;

  const transport: ContractTransport = {
    async invoke(method, input) {
      calls.push({ method, input });
      const handler = lookup[method];
      return handler ? handler(input) : fail('unknown_method', `no fake handler for ${method}`);
    },
    subscribe(event, listener) {
      const set = listeners.get(event) ?? new Set();
      listeners.set(event, set);
      set.add(listener);
      return () => set.delete(listener);
    },
  };

  return {
    api: createApi(contract, transport),
    calls,
    callsTo: (method) => calls.filter((call) => call.method === method).map((call) => call.input),
    emit(event, payload) {
      for (const listener of listeners.get(event) ?? []) listener(payload);
    },
    listenerCount: (event) => listeners.get(event)?.size ?? 0,
  };
}
