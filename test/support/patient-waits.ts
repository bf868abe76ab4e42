/**
 * Vitest setup file: every wait that polls gets a deadline a loaded machine cannot miss.
 *
 * Vitest ends vi.waitFor and vi.waitUntil after 1 s unless the call says otherwise (expect.poll's
 * default is set in vitest.config.ts). On CI's two shared cores a device status, a socket's close or
 * a child process's answer can take longer than that with nothing wrong, so a test would fail
 * without a fault in the code. A wait that names its own timeout keeps it; one that does not gets
 * PATIENT_WAIT_MS (test/support/patience.ts). Waiting on the event itself (test/support/until.ts) is
 * better still where the code offers one.
 */
import { vi } from 'vitest';
import { PATIENT_WAIT_MS } from './patience.ts';

type WaitOptions = Parameters<typeof vi.waitFor>[1];

function patient(options: WaitOptions): Exclude<WaitOptions, number | undefined> {
  if (typeof options === 'number') return { timeout: options };
  return { timeout: PATIENT_WAIT_MS, ...options };
}

const { waitFor, waitUntil } = vi;
vi.waitFor = <T>(callback: () => T | Promise<T>, options?: WaitOptions) => waitFor(callback, patient(options));
vi.waitUntil = <T>(callback: () => T | Promise<T>, options?: WaitOptions) => waitUntil(callback, patient(options));
