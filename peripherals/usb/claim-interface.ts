/**
 * The claim sequence every driver follows: open, select configuration 1, free the interface from a
 * kernel driver on Linux (usblp, usbhid, cdc_acm), claim it. An access error names the fix.
 */
import type { MinimalUsbDevice, UsbInterfaceInfo } from './minimal-usb-device.ts';
import { UDEV_RULE_PRINTER_CLASS, UDEV_RULE_SMART_CARD_CLASS, UDEV_RULES_FILE, udevRuleForModel } from './udev-rule.ts';
import { USB_CLASS_PRINTER } from '../printer/usb-printer-class.ts';
import { USB_CLASS_SMART_CARD } from '../ccid/ccid-messages.ts';

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

/** The udev line that grants access to this device: the class line for a printer or a smart-card reader, else its model's. */
function ruleFor(device: MinimalUsbDevice): string {
  const hasClass = (interfaceClass: number) => device.configuration?.interfaces.some((iface) => iface.alternate.interfaceClass === interfaceClass) ?? false;
  if (hasClass(USB_CLASS_PRINTER)) return UDEV_RULE_PRINTER_CLASS;
  if (hasClass(USB_CLASS_SMART_CARD)) return UDEV_RULE_SMART_CARD_CLASS;
  return udevRuleForModel(device);
}

function explainAccessError(device: MinimalUsbDevice, error: unknown): Error {
  const text = error instanceof Error ? error.message : String(error);
  if (!/access|permission|EACCES/i.test(text)) return error instanceof Error ? error : new Error(text);
  return new UsbAccessError(
    `No permission to open USB device ${hex4(device.vendorId)}:${hex4(device.productId)}. ` +
      `The station's udev rules are missing or lack this device (docs/peripherals.md). The deb and rpm install them; ` +
      `from a source checkout: sudo cp ${UDEV_RULES_FILE} /etc/udev/rules.d/ ` +
      `&& sudo udevadm control --reload && sudo udevadm trigger, then replug the device. ` +
      `If they lack it, put the rule for this device in a file of your own, e.g. /etc/udev/rules.d/71-pos-station-local.rules: ${ruleFor(device)}. Cause: ${text}`,
  );
}
