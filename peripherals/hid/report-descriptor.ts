/**
 * Just enough of a HID report descriptor (HID 1.11 §6.2.2) to say what a device is: the usage page
 * of each top-level application collection. A HID POS barcode scanner declares the Bar Code Scanner
 * page (0x8C); a magstripe reader 0x8E or a vendor page; a keyboard the Generic Desktop page.
 * The usage page alone is not proof (some keyboards put their configuration channel on 0x8C), so the
 * station still matches scanners by VID/PID and uses this to refuse a device that is not one.
 */
import type { MinimalUsbDevice } from '../usb/minimal-usb-device.ts';

const GET_DESCRIPTOR = 0x06;
const REPORT_DESCRIPTOR_VALUE = 0x2200;
/** Report descriptors of input devices are a few hundred bytes; this is ample. */
const MAX_REPORT_DESCRIPTOR = 4096;

const TYPE_MAIN = 0;
const TYPE_GLOBAL = 1;
const TYPE_LOCAL = 2;
const TAG_COLLECTION = 0x0a;
const TAG_END_COLLECTION = 0x0c;
const TAG_USAGE_PAGE = 0x00;
const TAG_USAGE = 0x00;
const COLLECTION_APPLICATION = 0x01;
const LONG_ITEM = 0xfe;

export class MalformedDescriptorError extends Error {
  override readonly name = 'MalformedDescriptorError';
}

/** The usage page of every top-level application collection, in order. */
export function applicationUsagePages(descriptor: Uint8Array): number[] {
  const pages: number[] = [];
  let usagePage = 0;
  let usage: number | undefined;
  let depth = 0;
  let at = 0;
  while (at < descriptor.length) {
    const prefix = descriptor[at] as number;
    if (prefix === LONG_ITEM) {
      const size = descriptor[at + 1];
      if (size === undefined) throw new MalformedDescriptorError('long item without its size');
      at += 3 + size;
      continue;
    }
    const size = [0, 1, 2, 4][prefix & 0x03] as number;
    if (at + 1 + size > descriptor.length) throw new MalformedDescriptorError(`item at byte ${at} runs past the end of the descriptor`);
    let data = 0;
    for (let index = size; index >= 1; index--) data = data * 256 + (descriptor[at + index] as number);
    const type = (prefix >> 2) & 0x03;
    const tag = prefix >> 4;
    if (type === TYPE_GLOBAL && tag === TAG_USAGE_PAGE) usagePage = data;
    else if (type === TYPE_LOCAL && tag === TAG_USAGE) usage = data;
    else if (type === TYPE_MAIN) {
      if (tag === TAG_COLLECTION) {
        // A 4-byte usage carries its own page in the high 16 bits (HID 1.11 §6.2.2.8).
        if (depth === 0 && data === COLLECTION_APPLICATION) pages.push(usage !== undefined && usage > 0xffff ? usage >>> 16 : usagePage);
        depth += 1;
      } else if (tag === TAG_END_COLLECTION) {
        depth = Math.max(0, depth - 1);
      }
      usage = undefined;
    }
    at += 1 + size;
  }
  return pages;
}

/** Asks the device for the report descriptor of one of its HID interfaces (standard GET_DESCRIPTOR, type 0x22). */
export async function readReportDescriptor(device: MinimalUsbDevice, interfaceNumber: number): Promise<Uint8Array> {
  const result = await device.controlTransferIn(
    { requestType: 'standard', recipient: 'interface', request: GET_DESCRIPTOR, value: REPORT_DESCRIPTOR_VALUE, index: interfaceNumber },
    MAX_REPORT_DESCRIPTOR,
  );
  if (result.status !== 'ok' || !result.data) throw new Error(`the device refused its HID report descriptor (${result.status})`);
  return new Uint8Array(result.data.buffer, result.data.byteOffset, result.data.byteLength);
}
