/**
 * The IPC layer's reading of the domain's errors: each becomes a typed Result with a code the UI
 * acts on and the domain's own message. Domain code throws its own errors (SaleError, an illegal
 * move of a state machine) and never knows this mapping exists.
 */
import { IllegalTransitionError } from '../../common/fsm.ts';
import type { IpcError } from '../../common/ipc/result.ts';
import { SaleError } from '../sales/sale-error.ts';

export function domainErrorToIpc(error: unknown): IpcError | undefined {
  if (error instanceof SaleError) return { code: error.code, message: error.message };
  if (error instanceof IllegalTransitionError) return { code: 'rejected', message: error.message };
  return undefined;
}
