/**
 * Loads the `usb` package (v3, WebUSB API) only when the station looks for real hardware. The import
 * is dynamic so virtual mode, the tests and machines without the native binary never load libusb.
 */
import type { UsbBus } from './usb-bus.ts';

export class UsbUnavailableError extends Error {
  override readonly name = 'UsbUnavailableError';
}

export async function loadUsbBus(): Promise<UsbBus> {
  let module: typeof import('usb');
  try {
    module = await import('usb');
  } catch (error) {
    throw new UsbUnavailableError(`the usb package could not be loaded: ${error instanceof Error ? error.message : String(error)}`);
  }
  // usb v3's first event listener starts a device listing whose failure nothing catches: on a machine
  // without a USB bus (no /sys/bus/usb) that would end the process. Listing first finds out safely.
  try {
    await module.usb.getDevices();
  } catch (error) {
    throw new UsbUnavailableError(error instanceof Error ? error.message : String(error));
  }
  // usb v3's UsbDevice is a WebUSB USBDevice whose transfers also take a timeout: our device subset.
  // The one mismatch is nominal: the DOM typings want OUT data on an ArrayBuffer, while usb v3 copies
  // any ArrayBufferView it is given, which is what our drivers pass.
  return module.usb as unknown as UsbBus;
}
