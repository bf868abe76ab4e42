/** PIN pad models by USB VID/PID. VID 0x1209 (pid.codes) with our own PIDs marks the virtual device. */
export interface PinPadModel {
  readonly name: string;
  readonly vendorId: number;
  readonly productId: number;
}

export const VIRTUAL_PIN_PAD: PinPadModel = { name: 'Virtual PIN pad (CDC-ACM)', vendorId: 0x1209, productId: 0x7a02 };

export const KNOWN_PIN_PADS: readonly PinPadModel[] = [VIRTUAL_PIN_PAD];
