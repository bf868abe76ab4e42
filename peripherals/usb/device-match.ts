/**
 * Which role a USB device can fill, decided the way an IoT box does it: first by VID/PID against the
 * supported models (the known-*.ts lists plus the station config), then by a standard interface
 * class where the class says enough. The printer class (7) and the smart-card class (0x0B, CCID) do:
 * any class-7 printer speaks the printer class protocol, any CCID reader the CCID protocol. HID (3)
 * and CDC (2/10) cover keyboards, mice and modems too, so card readers and PIN pads are matched by
 * VID/PID only.
 */
import type { DeviceKind } from '../../common/devices.ts';
import type { UsbBusDevice } from './usb-bus.ts';

export type UsbMatchRule =
  | { readonly kind: DeviceKind; readonly name: string; readonly vendorId: number; readonly productId: number }
  | { readonly kind: DeviceKind; readonly name: string; readonly interfaceClass: number };

export interface UsbMatch {
  readonly kind: DeviceKind;
  /** The model name from the rule that matched; the status panel shows it. */
  readonly name: string;
  readonly by: 'id' | 'class';
}

export function matchUsbDevice(device: UsbBusDevice, rules: readonly UsbMatchRule[]): UsbMatch | undefined {
  // An exact model knows more than its class (report layout, font), so a VID/PID rule wins.
  for (const rule of rules) {
    if ('vendorId' in rule && rule.vendorId === device.vendorId && rule.productId === device.productId) return { kind: rule.kind, name: rule.name, by: 'id' };
  }
  const interfaces = device.configuration?.interfaces ?? [];
  for (const rule of rules) {
    if ('interfaceClass' in rule && interfaces.some((iface) => iface.alternate.interfaceClass === rule.interfaceClass)) {
      return { kind: rule.kind, name: device.productName ?? rule.name, by: 'class' };
    }
  }
  return undefined;
}

/** What the station remembers of a role's device after it went away. */
export interface RememberedDevice {
  readonly vendorId: number;
  readonly productId: number;
  readonly serialNumber?: string | null;
}

/**
 * The device to take for a role among the candidates on the bus: the one that left (same serial
 * number), else the same model (same VID/PID), else any device that fits the role.
 */
export function pickDevice(candidates: readonly UsbBusDevice[], previous: RememberedDevice | undefined): UsbBusDevice | undefined {
  if (!previous) return candidates[0];
  const serial = previous.serialNumber;
  return (
    (serial ? candidates.find((device) => device.serialNumber === serial) : undefined) ??
    candidates.find((device) => device.vendorId === previous.vendorId && device.productId === previous.productId) ??
    candidates[0]
  );
}
