/** The claim sequence and its access error, and packaging/udev/70-pos-station.rules: same lines, every built-in model covered. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { KNOWN_CARD_READERS, VIRTUAL_CARD_READER, VIRTUAL_KEYBOARD_CARD_READER } from '../card-reader/known-readers.ts';
import { KNOWN_PIN_PADS, VIRTUAL_PIN_PAD } from '../pin-pad/known-pin-pads.ts';
import { KNOWN_PRINTERS, VIRTUAL_PRINTER } from '../printer/known-printers.ts';
import { KNOWN_SCANNERS, VIRTUAL_HID_POS_SCANNER, VIRTUAL_KEYBOARD_SCANNER } from '../scanner/known-scanners.ts';
import { VirtualCardReader } from '../card-reader/virtual-card-reader.ts';
import { VirtualUsbPrinter } from '../printer/virtual-printer.ts';
import { claimFirstInterface, UsbAccessError } from './claim-interface.ts';
import { UDEV_RULE_PRINTER_CLASS, UDEV_RULE_SMART_CARD_CLASS, UDEV_RULES_FILE, udevRuleForModel } from './udev-rule.ts';

const rules = readFileSync(join(import.meta.dirname, '..', '..', UDEV_RULES_FILE), 'utf8')
  .split('\n')
  .filter((line) => line.trim() !== '' && !line.startsWith('#'));

/** Virtual devices never appear on a USB bus, so they need no rule. */
const VIRTUAL = new Set<object>([VIRTUAL_CARD_READER, VIRTUAL_KEYBOARD_CARD_READER, VIRTUAL_PIN_PAD, VIRTUAL_PRINTER, VIRTUAL_HID_POS_SCANNER, VIRTUAL_KEYBOARD_SCANNER]);

/** A device that refuses to open the way libusb does without permission. */
function refusing<D extends VirtualCardReader | VirtualUsbPrinter>(device: D): D {
  device.open = () => Promise.reject(new Error('LIBUSB_ERROR_ACCESS: Access denied (insufficient permissions)'));
  return device;
}

describe('udev rules', () => {
  it('has a line for every built-in model, one for the printer class and one for the smart-card class, and nothing else', () => {
    const models = [...KNOWN_CARD_READERS, ...KNOWN_PIN_PADS, ...KNOWN_PRINTERS, ...KNOWN_SCANNERS].filter((model) => !VIRTUAL.has(model));
    expect(new Set(rules)).toEqual(new Set([UDEV_RULE_PRINTER_CLASS, UDEV_RULE_SMART_CARD_CLASS, ...models.map(udevRuleForModel)]));
  });

  it('is named by the access error, which gives the exact line the refused device needs', async () => {
    const error = await claimFirstInterface(refusing(new VirtualCardReader()), () => true).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(UsbAccessError);
    const message = (error as Error).message;
    expect(message).toContain(`sudo cp ${UDEV_RULES_FILE} /etc/udev/rules.d/`);
    expect(message).toContain(udevRuleForModel({ vendorId: 0x1209, productId: 0x7a01 }));
    expect(message).toContain('Cause: LIBUSB_ERROR_ACCESS');
  });

  it('points a printer at the printer-class line', async () => {
    const error = await claimFirstInterface(refusing(new VirtualUsbPrinter()), () => true).catch((caught: unknown) => caught);
    expect((error as Error).message).toContain(UDEV_RULE_PRINTER_CLASS);
  });
});

describe('claim sequence', () => {
  it('detaches the kernel driver from the interface before claiming it', async () => {
    const reader = new VirtualCardReader();
    const calls: string[] = [];
    const claim = reader.claimInterface.bind(reader);
    reader.claimInterface = async (number) => {
      calls.push(`claim ${number}`);
      await claim(number);
    };
    const device = Object.assign(reader, {
      detachKernelDriver: async (number: number) => {
        calls.push(`detach ${number}`);
        // Nothing bound is what libusb reports as LIBUSB_ERROR_NOT_FOUND: the claim goes on.
        throw new Error('LIBUSB_ERROR_NOT_FOUND');
      },
    });
    await claimFirstInterface(device, (iface) => iface.alternate.interfaceClass === 3);
    expect(calls).toEqual(['detach 0', 'claim 0']);
  });
});
