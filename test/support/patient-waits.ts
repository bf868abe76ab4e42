/**
 * Vitest setup file: every wait that polls gets a deadline a loaded machine cannot miss.
 *
 * Vitest ends vi.waitFor and vi.waitUntil after 1 s unless the call says otherwise (expect.poll's
 * default is set in vitest.config.ts). On CI's two shared cores a device status, a socket's close or
 * a child process's answer can take longer than that, or than the few seconds a test asked for,
 * with nothing wrong, and the test would fail without a fault in the code. No test here needs a wait
 * to fail early, so no wait fails before PATIENT_WAIT_MS (test/support/patience.ts); a wait that
 * names a longer timeout keeps it. Waiting on the event itself (test/support/until.ts) is better
 * still where the code offers one.
 */
import { vi } from 'vitest';
import { PATIENT_WAIT_MS } from './patience.ts';

type WaitOptions = Parameters<typeof vi.waitFor>[1];

function patient(options: WaitOptions): Exclude<WaitOptions, number | undefined> {
  const given = typeof options === 'number' ? { timeout: options } : (options ?? {});
  return { ...given, timeout: Math.max(given.timeout ?? 0, PATIENT_WAIT_MS) };
}

const { waitFor, waitUntil } = vi;
vi.waitFor = <T>(callback: () => T | Promise<T>, options?: WaitOptions) => waitFor(callback, patient(options));
vi.waitUntil = <T>(callback: () => T | Promise<T>, options?: WaitOptions) => waitUntil(callback, patient(options));
