/**
 * What the station can drive over USB, from the built-in model lists and the station config: the
 * match rules the USB watcher uses, and per device the details its driver needs (a card reader's
 * protocol, a scanner's mode, a printer's font). A config entry with the VID/PID of a built-in model replaces it.
 */
import { KNOWN_CARD_READERS, type CardReaderModel } from '../../peripherals/card-reader/known-readers.ts';
import { KNOWN_PIN_PADS, type PinPadModel } from '../../peripherals/pin-pad/known-pin-pads.ts';
import { GENERIC_USB_PRINTER, KNOWN_PRINTERS, type PrinterModel } from '../../peripherals/printer/known-printers.ts';
import { KNOWN_SCANNERS, type ScannerModel } from '../../peripherals/scanner/known-scanners.ts';
import type { CjkSupport } from '../../peripherals/printer/printer-text.ts';
import { USB_CLASS_PRINTER } from '../../peripherals/printer/usb-printer-class.ts';
import { USB_CLASS_SMART_CARD } from '../../peripherals/ccid/ccid-messages.ts';
import type { UsbMatchRule } from '../../peripherals/usb/device-match.ts';
import { parseUsbId, type DevicesConfig } from '../config/device-config.ts';

interface UsbIds {
  readonly vendorId: number;
  readonly productId: number;
}

export interface UsbCatalog {
  readonly rules: readonly UsbMatchRule[];
  cardReaderModel(device: UsbIds): CardReaderModel | undefined;
  scannerModel(device: UsbIds): ScannerModel | undefined;
  printerCjk(device: UsbIds): CjkSupport;
}

export function createUsbCatalog(usb: DevicesConfig['usb']): UsbCatalog {
  const cardReaders = merge(
    KNOWN_CARD_READERS,
    usb.cardReaders.map(({ usbId, ...model }): CardReaderModel => ({ ...model, ...parseUsbId(usbId) })),
  );
  const pinPads = merge<PinPadModel>(
    KNOWN_PIN_PADS,
    usb.pinPads.map(({ usbId, name }) => ({ name, ...parseUsbId(usbId) })),
  );
  const printers = merge<PrinterModel>(
    KNOWN_PRINTERS,
    usb.printers.map(({ usbId, ...model }) => ({ ...model, ...parseUsbId(usbId) })),
  );
  const scanners = merge(
    KNOWN_SCANNERS,
    usb.scanners.map(({ usbId, ...model }): ScannerModel => ({ ...model, ...parseUsbId(usbId) })),
  );
  const find = <M extends UsbIds>(models: readonly M[], device: UsbIds) => models.find((model) => model.vendorId === device.vendorId && model.productId === device.productId);
  return {
    rules: [
      ...cardReaders.map((model) => ({ kind: 'cardReader' as const, name: model.name, vendorId: model.vendorId, productId: model.productId })),
      ...pinPads.map((model) => ({ kind: 'pinPad' as const, name: model.name, vendorId: model.vendorId, productId: model.productId })),
      ...printers.map((model) => ({ kind: 'printer' as const, name: model.name, vendorId: model.vendorId, productId: model.productId })),
      ...scanners.map((model) => ({ kind: 'scanner' as const, name: model.name, vendorId: model.vendorId, productId: model.productId })),
      { kind: 'printer', name: GENERIC_USB_PRINTER.name, interfaceClass: USB_CLASS_PRINTER },
      // Any CCID reader speaks the smart-card class protocol, as any class-7 printer speaks the printer's.
      { kind: 'chipReader', name: 'USB smart-card reader (CCID)', interfaceClass: USB_CLASS_SMART_CARD },
    ],
    cardReaderModel: (device) => find(cardReaders, device),
    scannerModel: (device) => find(scanners, device),
    printerCjk: (device) => find(printers, device)?.cjk ?? GENERIC_USB_PRINTER.cjk,
  };
}

/** The configured models first, then the built-in ones they do not replace. */
function merge<M extends UsbIds>(builtIn: readonly M[], configured: readonly M[]): M[] {
  return [...configured, ...builtIn.filter((model) => !configured.some((entry) => entry.vendorId === model.vendorId && entry.productId === model.productId))];
}
