/**
 * The slice of usb v3's WebUSB object (`usb` from the `usb` package, an EventTarget) the station
 * uses to find devices and follow hot-plug: getDevices() and 'connect'/'disconnect' events. Tests
 * give a fake with the same shape, so discovery runs without libusb or hardware.
 */
import type { MinimalUsbDevice } from './minimal-usb-device.ts';

/** A device as the bus lists it. usb v3 adds where it sits (bus and address), which names it uniquely while plugged in. */
export interface UsbBusDevice extends MinimalUsbDevice {
  readonly bus?: string;
  readonly address?: number;
}

export interface UsbConnectionEvent {
  readonly device: UsbBusDevice;
}

export type UsbBusEventType = 'connect' | 'disconnect';

export interface UsbBus {
  getDevices(): Promise<UsbBusDevice[]>;
  addEventListener(type: UsbBusEventType, listener: (event: UsbConnectionEvent) => void): void;
  removeEventListener(type: UsbBusEventType, listener: (event: UsbConnectionEvent) => void): void;
}

/**
 * Whether two listings name the same physical device. usb v3 hands out a new object per listing,
 * so identity is the bus position while plugged in, else the serial number with the VID/PID.
 */
export function sameUsbDevice(a: UsbBusDevice, b: UsbBusDevice): boolean {
  if (a === b) return true;
  if (a.bus !== undefined && a.address !== undefined) return a.bus === b.bus && a.address === b.address;
  return Boolean(a.serialNumber) && a.serialNumber === b.serialNumber && a.vendorId === b.vendorId && a.productId === b.productId;
}

/** "1209:7a03" */
export function usbIdText(device: { readonly vendorId: number; readonly productId: number }): string {
  const hex4 = (value: number) => value.toString(16).padStart(4, '0');
  return `${hex4(device.vendorId)}:${hex4(device.productId)}`;
}
