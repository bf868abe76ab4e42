/**
 * Runs a PIN request on whichever PIN pad is attached, marking it busy meanwhile. A cashier's cancel
 * is passed to the pad, which answers "cancelled", so the pad and the sale end in the same state.
 * The PIN of a card the pad's own head read is asked for without a PAN: the pad holds it.
 */
import type { ManagedDevice } from '../../peripherals/devices/managed-device.ts';
import type { PinPadDriver, PinResult } from '../../peripherals/pin-pad/pin-pad-driver.ts';
import type { PinPadPort } from '../checkout/ports.ts';

export interface PinPadSession {
  readonly driver: PinPadDriver;
  run(): Promise<void>;
  close(): Promise<void>;
}

export function pinPadPort(pinPad: ManagedDevice<PinPadSession>, digitsSource?: (listener: (count: number) => void) => () => void): PinPadPort {
  const cancellable = (signal: AbortSignal, request: (driver: PinPadDriver) => Promise<PinResult>) =>
    pinPad.withJob(async ({ driver }) => {
      const onAbort = () => {
        driver.cancelPin().catch(() => {
          // The pad is gone or not answering: the request fails on its own timeout or unplug.
        });
      };
      signal.addEventListener('abort', onAbort);
      try {
        return await request(driver);
      } finally {
        signal.removeEventListener('abort', onAbort);
      }
    });
  return {
    requestPin: (request, signal) => cancellable(signal, (driver) => driver.requestPin(request)),
    requestPinForReadCard: (request, signal) => cancellable(signal, (driver) => driver.requestPinForReadCard(request)),
    async releaseReadCard() {
      // A pad that does not hear it forgets the card after its hold time, or at the next swipe.
      await pinPad.withJob(({ driver }) => driver.endCard()).catch(() => undefined);
    },
    onPinDigits: (listener) => digitsSource?.(listener) ?? (() => undefined),
  };
}
