/**
 * Every IPC call answers with a Result. Errors are data, not thrown strings: Electron's
 * ipcMain.handle strips everything but the message from a thrown Error.
 */
export const IPC_ERROR_CODES = ['invalid_input', 'forbidden', 'unknown_method', 'busy', 'not_found', 'rejected', 'unavailable', 'internal'] as const;
export type IpcErrorCode = (typeof IPC_ERROR_CODES)[number];

export interface IpcError {
  readonly code: IpcErrorCode;
  readonly message: string;
}

export type Result<T> = { readonly ok: true; readonly value: T } | { readonly ok: false; readonly error: IpcError };

export function ok<T>(value: T): Result<T> {
  return { ok: true, value };
}

export function fail(code: IpcErrorCode, message: string): { ok: false; error: IpcError } {
  return { ok: false, error: { code, message } };
}
