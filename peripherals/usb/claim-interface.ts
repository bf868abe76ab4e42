/**
 * The claim sequence every driver follows: open, select configuration 1, free the interface from a
 * kernel driver on Linux (usblp, usbhid, cdc_acm), claim it. An access error names the fix.
 */
import type { MinimalUsbDevice, UsbInterfaceInfo } from './minimal-usb-device.ts';

export class UsbAccessError extends Error {
  override readonly name = 'UsbAccessError';
}

export async function claimFirstInterface(device: MinimalUsbDevice, matches: (iface: UsbInterfaceInfo) => boolean): Promise<UsbInterfaceInfo> {
  try {
    if (!device.opened) await device.open();
    if (!device.configuration) await device.selectConfiguration(1);
  } catch (error) {
    throw explainAccessError(device, error);
  }
  const iface = device.configuration?.interfaces.find(matches);
  if (!iface) throw new Error(`${device.productName ?? 'USB device'}: no matching interface`);
  if (device.detachKernelDriver) {
    try {
      await device.detachKernelDriver(iface.interfaceNumber);
    } catch {
      // No kernel driver was bound to this interface: nothing to detach.
    }
  }
  try {
    await device.claimInterface(iface.interfaceNumber);
  } catch (error) {
    throw explainAccessError(device, error);
  }
  return iface;
}

function hex4(value: number): string {
  return value.toString(16).padStart(4, '0');
}

function explainAccessError(device: MinimalUsbDevice, error: unknown): Error {
  const text = error instanceof Error ? error.message : String(error);
  if (!/access|permission|EACCES/i.test(text)) return error instanceof Error ? error : new Error(text);
  return new UsbAccessError(
    `No permission to open USB device ${hex4(device.vendorId)}:${hex4(device.productId)}. ` +
      `Install the station's udev rules (docs/peripherals.md): sudo cp packaging/udev/70-pos-station.rules /etc/udev/rules.d/ ` +
      `&& sudo udevadm control --reload && sudo udevadm trigger, then replug the device. Cause: ${text}`,
  );
}
