/**
 * Serves one contract over any transport. Every call is checked the same way, whether it came over
 * Electron IPC or the station server's WebSocket: the method must be in the contract, the input must
 * match its schema, and the handler's output is parsed by its schema too (so a field the contract
 * does not declare, a full PAN say, is stripped rather than sent). Errors come back as Results.
 */
import type { z } from 'zod';
import type { Contract, MethodName } from '../../common/ipc/define-contract.ts';
import { fail, ok, type IpcError, type IpcErrorCode, type Result } from '../../common/ipc/result.ts';

export type Handlers<C extends Contract> = {
  readonly [M in MethodName<C>]: (input: z.output<C['methods'][M]['input']>) => Promise<z.input<C['methods'][M]['output']>> | z.input<C['methods'][M]['output']>;
};

/** Thrown by a handler to refuse a call with a specific, expected error code. */
export class IpcRejection extends Error {
  override readonly name = 'IpcRejection';
  readonly code: IpcErrorCode;

  constructor(code: IpcErrorCode, message: string) {
    super(message);
    this.code = code;
  }
}

export type Dispatch = (method: unknown, input: unknown) => Promise<Result<unknown>>;

/** Reads an error a handler threw as an expected refusal (a domain error), or answers undefined. */
export type ErrorMapper = (error: unknown) => IpcError | undefined;

export function createDispatcher<C extends Contract>(contract: C, handlers: Handlers<C>, onInternalError: (method: string, error: unknown) => void, mapError: ErrorMapper = () => undefined): Dispatch {
  return async (method, input) => {
    if (typeof method !== 'string' || !Object.hasOwn(contract.methods, method)) {
      return fail('unknown_method', `${contract.name} has no method ${JSON.stringify(String(method)).slice(0, 80)}`);
    }
    const spec = contract.methods[method] as Contract['methods'][string];
    const parsed = spec.input.safeParse(input);
    if (!parsed.success) {
      const problems = parsed.error.issues.map((issue) => `${issue.path.join('.') || 'input'}: ${issue.message}`).join('; ');
      return fail('invalid_input', `${method}: ${problems}`);
    }
    try {
      const handler = handlers[method as MethodName<C>] as (value: unknown) => unknown;
      return ok(spec.output.parse(await handler(parsed.data)));
    } catch (error) {
      if (error instanceof IpcRejection) return fail(error.code, error.message);
      const mapped = mapError(error);
      if (mapped) return fail(mapped.code, mapped.message);
      onInternalError(method, error);
      return fail('internal', `${method} failed inside the station; see the station log`);
    }
  };
}
