/**
 * A card read by a real reader must never meet the virtual PIN pad: its PIN would be typed on a
 * screen and encrypted under a published test key. In auto mode each role falls back to its virtual
 * twin on its own, so a real reader with no real PIN pad is possible; the PIN request is refused then.
 */
import type { DeviceKind } from '../../common/devices.ts';
import type { PinPadPort } from '../checkout/ports.ts';

export class VirtualPinPadRefusedError extends Error {
  override readonly name = 'VirtualPinPadRefusedError';
}

export function refuseRealCardsOnVirtualPinPad(port: PinPadPort, devices: { usesVirtual(kind: DeviceKind): boolean }, reader: 'cardReader' | 'chipReader' = 'cardReader'): PinPadPort {
  return {
    ...port,
    requestPin(request, signal) {
      if (devices.usesVirtual('pinPad') && !devices.usesVirtual(reader)) {
        return Promise.reject(new VirtualPinPadRefusedError('a card from a real card reader needs a real PIN pad; connect one (the virtual PIN pad takes test cards only)'));
      }
      return port.requestPin(request, signal);
    },
  };
}
