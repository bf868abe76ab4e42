/**
 * USB Printer Class (interface class 7) requests, per the USB Device Class Definition for Printing
 * Devices 1.1. Interface subclass 1 is "printer"; protocol 1 is OUT-only, 2 bidirectional.
 */
import type { UsbControlSetup } from '../usb/minimal-usb-device.ts';

export const USB_CLASS_PRINTER = 7;
export const USB_SUBCLASS_PRINTER = 1;
export const USB_PROTOCOL_UNIDIRECTIONAL = 1;
export const USB_PROTOCOL_BIDIRECTIONAL = 2;

/** Class-specific bRequest values (bmRequestType 0xA1: device-to-host, class, interface). */
export const PRINTER_REQUEST = {
  GET_DEVICE_ID: 0,
  GET_PORT_STATUS: 1,
  SOFT_RESET: 2,
} as const;

/** GET_PORT_STATUS bits: the Centronics status lines. */
export const PORT_STATUS = {
  PAPER_EMPTY: 0x20,
  SELECTED: 0x10,
  NOT_ERROR: 0x08,
} as const;

/** IEEE 1284 device IDs can be long; 1 KiB covers every printer we know. */
export const DEVICE_ID_MAX_LENGTH = 1024;

/** GET_DEVICE_ID: wValue is the configuration index, wIndex the interface (high byte) and alternate setting (low byte). */
export function getDeviceIdSetup(interfaceNumber: number, alternateSetting: number, configurationIndex = 0): UsbControlSetup {
  return {
    requestType: 'class',
    recipient: 'interface',
    request: PRINTER_REQUEST.GET_DEVICE_ID,
    value: configurationIndex,
    index: (interfaceNumber << 8) | alternateSetting,
  };
}

/** GET_PORT_STATUS: wIndex is the interface number; the answer is one byte. */
export function getPortStatusSetup(interfaceNumber: number): UsbControlSetup {
  return { requestType: 'class', recipient: 'interface', request: PRINTER_REQUEST.GET_PORT_STATUS, value: 0, index: interfaceNumber };
}

export interface PrinterDeviceId {
  readonly manufacturer?: string;
  readonly model?: string;
  readonly commandSet?: string;
  /** Every key of the ID as sent, for whatever else the printer says about itself. */
  readonly fields: Readonly<Record<string, string>>;
}

/** Encodes an IEEE 1284 device ID: a 2-byte big-endian length that counts itself, then "KEY:value;" pairs. */
export function encodeDeviceId(fields: Readonly<Record<string, string>>): Uint8Array {
  const text = Object.entries(fields)
    .map(([key, value]) => `${key}:${value};`)
    .join('');
  const body = Buffer.from(text, 'latin1');
  const out = new Uint8Array(2 + body.length);
  out[0] = (out.length >> 8) & 0xff;
  out[1] = out.length & 0xff;
  out.set(body, 2);
  return out;
}

/** Long key names mean the same as the short ones (IEEE 1284 allows both). */
const KEY_ALIASES: Readonly<Record<string, 'manufacturer' | 'model' | 'commandSet'>> = {
  MFG: 'manufacturer',
  MANUFACTURER: 'manufacturer',
  MDL: 'model',
  MODEL: 'model',
  CMD: 'commandSet',
  'COMMAND SET': 'commandSet',
};

/**
 * Parses a GET_DEVICE_ID answer. The length prefix is skipped rather than trusted: some printers
 * send it little-endian or count only the text, and the transfer already ends where the ID does.
 */
export function parseDeviceId(answer: Uint8Array): PrinterDeviceId | undefined {
  if (answer.length < 2) return undefined;
  const text = Buffer.from(answer.subarray(2)).toString('latin1').replace(/\0+$/, '');
  const fields: Record<string, string> = {};
  const known: { manufacturer?: string; model?: string; commandSet?: string } = {};
  for (const pair of text.split(';')) {
    const colon = pair.indexOf(':');
    if (colon <= 0) continue;
    const key = pair.slice(0, colon).trim();
    const value = pair.slice(colon + 1).trim();
    fields[key] = value;
    const alias = KEY_ALIASES[key.toUpperCase()];
    if (alias) known[alias] = value;
  }
  return { ...known, fields };
}
