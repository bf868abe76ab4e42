/**
 * Runs a PIN request on whichever PIN pad is attached, marking it busy meanwhile. A cashier's cancel
 * is passed to the pad, which answers "cancelled", so the pad and the sale end in the same state.
 */
import type { ManagedDevice } from '../../peripherals/devices/managed-device.ts';
import type { PinPadDriver } from '../../peripherals/pin-pad/pin-pad-driver.ts';
import type { PinPadPort } from '../checkout/ports.ts';

export interface PinPadSession {
  readonly driver: PinPadDriver;
  run(): Promise<void>;
  close(): Promise<void>;
}

export function pinPadPort(pinPad: ManagedDevice<PinPadSession>, digitsSource?: (listener: (count: number) => void) => () => void): PinPadPort {
  return {
    requestPin(request, signal) {
      return pinPad.withJob(async ({ driver }) => {
        const onAbort = () => {
          driver.cancelPin().catch(() => {
            // The pad is gone or not answering: requestPin fails on its own timeout or unplug.
          });
        };
        signal.addEventListener('abort', onAbort);
        try {
          return await driver.requestPin(request);
        } finally {
          signal.removeEventListener('abort', onAbort);
        }
      });
    },
    onPinDigits: (listener) => digitsSource?.(listener) ?? (() => undefined),
  };
}
