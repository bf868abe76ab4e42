/** Test support for the station child processes (split-sale-station.ts, qr-sale-station.ts): calls through a contract's dispatcher, and polling. */
import type { Result } from '../../common/ipc/result.ts';
import type { Dispatch } from '../ipc/dispatcher.ts';

/** Calls `method`; a refusal throws with the station's message. */
export async function call<T>(dispatch: Dispatch, method: string, input: unknown): Promise<T> {
  const result = (await dispatch(method, input)) as Result<T>;
  if (!result.ok) throw new Error(`${method}: ${result.error.message}`);
  return result.value;
}

export async function until(condition: () => boolean): Promise<void> {
  while (!condition()) await new Promise((done) => setTimeout(done, 10));
}
