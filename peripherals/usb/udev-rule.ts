/**
 * The udev rules that let the station (an ordinary user) open its USB devices on Linux, one line per
 * model plus one for every printer-class device. packaging/udev/70-pos-station.rules is made of
 * these lines, and a test keeps it so; an access error prints the line its device needs.
 */
export const UDEV_RULES_FILE = 'packaging/udev/70-pos-station.rules';

/** GROUP for distributions that grant device access by group; TAG uaccess for the logged-in seat user. */
const ACCESS = 'MODE="0660", GROUP="plugdev", TAG+="uaccess"';

export function udevRuleForModel(device: { readonly vendorId: number; readonly productId: number }): string {
  const hex4 = (value: number) => value.toString(16).padStart(4, '0');
  return `SUBSYSTEM=="usb", ENV{DEVTYPE}=="usb_device", ATTR{idVendor}=="${hex4(device.vendorId)}", ATTR{idProduct}=="${hex4(device.productId)}", ${ACCESS}`;
}

/** Any device with a printer-class (7/1) interface; udev's usb_id lists interfaces as ":ccsspp:". */
export const UDEV_RULE_PRINTER_CLASS = `SUBSYSTEM=="usb", ENV{DEVTYPE}=="usb_device", ENV{ID_USB_INTERFACES}=="*:0701??:*", ${ACCESS}`;

/** Any device with a smart-card (CCID) interface, class 0B subclass 00. */
export const UDEV_RULE_SMART_CARD_CLASS = `SUBSYSTEM=="usb", ENV{DEVTYPE}=="usb_device", ENV{ID_USB_INTERFACES}=="*:0b00??:*", ${ACCESS}`;
