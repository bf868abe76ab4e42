import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { receiptText } from '../../common/receipt/model.ts';
import { UsbDisconnectedError } from '../usb/minimal-usb-device.ts';
import { statusRequest } from './realtime-status.ts';
import { getDeviceIdSetup, getPortStatusSetup, parseDeviceId, PORT_STATUS, PRINTER_REQUEST, USB_CLASS_PRINTER } from './usb-printer-class.ts';
import { PRINTER_BULK_IN, PRINTER_BULK_OUT, VirtualUsbPrinter, type PrintedReceipt } from './virtual-printer.ts';

const ascii = (text: string): Uint8Array => Buffer.from(text, 'latin1');
const CUT = Uint8Array.of(0x1d, 0x56, 0x01);

async function claimed(options = {}): Promise<{ printer: VirtualUsbPrinter; receipts: PrintedReceipt[] }> {
  const printer = new VirtualUsbPrinter(options);
  const receipts: PrintedReceipt[] = [];
  printer.onReceipt((receipt) => receipts.push(receipt));
  await printer.open();
  await printer.claimInterface(0);
  return { printer, receipts };
}

async function readByte(printer: VirtualUsbPrinter): Promise<number | undefined> {
  const result = await printer.transferIn(PRINTER_BULK_IN, 64, 100);
  return result.data?.getUint8(0);
}

beforeEach(() => {
  vi.useFakeTimers();
});

afterEach(() => {
  vi.useRealTimers();
});

describe('VirtualUsbPrinter as a USB device', () => {
  it('presents one printer-class interface with bulk OUT and bulk IN, under pid.codes', () => {
    const printer = new VirtualUsbPrinter();
    expect(printer.vendorId).toBe(0x1209);
    expect(printer.configuration.interfaces).toHaveLength(1);
    const alternate = printer.configuration.interfaces[0]?.alternate;
    expect(alternate?.interfaceClass).toBe(USB_CLASS_PRINTER);
    expect(alternate?.endpoints.map((endpoint) => [endpoint.direction, endpoint.type, endpoint.endpointNumber])).toEqual([
      ['out', 'bulk', PRINTER_BULK_OUT],
      ['in', 'bulk', PRINTER_BULK_IN],
    ]);
  });

  it('answers GET_DEVICE_ID with a length-prefixed IEEE 1284 ID, cut to the requested length', async () => {
    const { printer } = await claimed();
    const full = await printer.controlTransferIn(getDeviceIdSetup(0, 0), 1024);
    const bytes = new Uint8Array(full.data?.buffer ?? new ArrayBuffer(0));
    expect(bytes[0]! * 256 + bytes[1]!).toBe(bytes.length);
    expect(parseDeviceId(bytes)).toMatchObject({ commandSet: 'ESCPOS', manufacturer: 'POS Station' });
    expect((await printer.controlTransferIn(getDeviceIdSetup(0, 0), 2)).data?.byteLength).toBe(2);
  });

  it('stalls a GET_DEVICE_ID for another interface', async () => {
    const { printer } = await claimed();
    expect((await printer.controlTransferIn(getDeviceIdSetup(1, 0), 1024)).status).toBe('stall');
  });

  it('reports the Centronics lines in GET_PORT_STATUS', async () => {
    const { printer } = await claimed();
    const portStatus = async (): Promise<number | undefined> => (await printer.controlTransferIn(getPortStatusSetup(0), 1)).data?.getUint8(0);
    expect(await portStatus()).toBe(PORT_STATUS.SELECTED | PORT_STATUS.NOT_ERROR);
    printer.setPaperOut(true);
    expect(await portStatus()).toBe(PORT_STATUS.SELECTED | PORT_STATUS.PAPER_EMPTY);
    printer.setPaperOut(false);
    printer.setCoverOpen(true);
    expect(await portStatus()).toBe(PORT_STATUS.SELECTED);
  });
});

describe('VirtualUsbPrinter printing', () => {
  it('decodes what it receives and hands over a receipt at every cut, with its raw bytes', async () => {
    const { printer, receipts } = await claimed();
    const first = Buffer.concat([ascii('\x1b@Hello\n'), CUT]);
    await printer.transferOut(PRINTER_BULK_OUT, first.subarray(0, 4));
    await printer.transferOut(PRINTER_BULK_OUT, first.subarray(4));
    await printer.transferOut(PRINTER_BULK_OUT, Buffer.concat([ascii('Second\n'), CUT]));
    expect(receipts.map((receipt) => [receiptText(receipt.model), receipt.endedBy])).toEqual([
      ['Hello\n[partial cut]', 'cut'],
      ['Second\n[partial cut]', 'cut'],
    ]);
    expect(Buffer.from(receipts[0]!.raw)).toEqual(first);
  });

  it('decodes GB18030 without FS & when it powers up in double-byte mode', async () => {
    const { printer, receipts } = await claimed({ doubleByteAtInit: true });
    await printer.transferOut(PRINTER_BULK_OUT, Buffer.concat([Buffer.from([0xc4, 0xe3, 0xba, 0xc3, 0x0a]), CUT]));
    expect(receiptText(receipts[0]!.model)).toBe('你好\n[partial cut]');
  });

  it('holds what arrives while out of paper and prints it when paper is loaded', async () => {
    const { printer, receipts } = await claimed();
    printer.setPaperOut(true);
    await printer.transferOut(PRINTER_BULK_OUT, Buffer.concat([ascii('Held\n'), CUT]));
    expect(receipts).toEqual([]);
    printer.setPaperOut(false);
    expect(receipts.map((receipt) => receiptText(receipt.model))).toEqual(['Held\n[partial cut]']);
  });

  it('holds printing while the cover is open', async () => {
    const { printer, receipts } = await claimed();
    printer.setCoverOpen(true);
    await printer.transferOut(PRINTER_BULK_OUT, Buffer.concat([ascii('x\n'), CUT]));
    expect(receipts).toEqual([]);
    printer.setCoverOpen(false);
    expect(receipts).toHaveLength(1);
  });

  it('forgets its buffers on SOFT_RESET', async () => {
    const { printer, receipts } = await claimed();
    await printer.transferOut(PRINTER_BULK_OUT, ascii('half a recei'));
    const reset = await printer.controlTransferOut({ requestType: 'class', recipient: 'interface', request: PRINTER_REQUEST.SOFT_RESET, value: 0, index: 0 });
    expect(reset.status).toBe('ok');
    await printer.transferOut(PRINTER_BULK_OUT, Buffer.concat([ascii('fresh\n'), CUT]));
    expect(receiptText(receipts[0]!.model)).toBe('fresh\n[partial cut]');
  });
});

describe('VirtualUsbPrinter real-time status', () => {
  it('answers DLE EOT 1–4 on bulk IN', async () => {
    const { printer } = await claimed();
    const answers: (number | undefined)[] = [];
    for (const kind of [1, 2, 3, 4] as const) {
      await printer.transferOut(PRINTER_BULK_OUT, statusRequest(kind));
      answers.push(await readByte(printer));
    }
    expect(answers).toEqual([0x12, 0x12, 0x12, 0x12]);
  });

  it('answers while offline, with the paper-end bits set', async () => {
    const { printer } = await claimed();
    printer.setPaperOut(true);
    await printer.transferOut(PRINTER_BULK_OUT, statusRequest(4));
    expect(await readByte(printer)).toBe(0x7e);
  });

  it('reports near end and cover open', async () => {
    const { printer } = await claimed();
    printer.setPaperNearEnd(true);
    await printer.transferOut(PRINTER_BULK_OUT, statusRequest(4));
    expect(await readByte(printer)).toBe(0x1e);
    printer.setCoverOpen(true);
    await printer.transferOut(PRINTER_BULK_OUT, statusRequest(2));
    expect(await readByte(printer)).toBe(0x16);
  });

  it('sees a request split across two transfers', async () => {
    const { printer } = await claimed();
    await printer.transferOut(PRINTER_BULK_OUT, Uint8Array.of(0x41, 0x10));
    await printer.transferOut(PRINTER_BULK_OUT, Uint8Array.of(0x04, 0x01));
    expect(await readByte(printer)).toBe(0x12);
  });

  it('times out a read when nothing was asked', async () => {
    const { printer } = await claimed();
    const read = printer.transferIn(PRINTER_BULK_IN, 64, 500);
    const failed = expect(read).rejects.toThrow(/timeout/);
    await vi.advanceTimersByTimeAsync(500);
    await failed;
  });
});

describe('VirtualUsbPrinter unplugged', () => {
  it('fails a waiting read and every later transfer with UsbDisconnectedError', async () => {
    const { printer } = await claimed();
    const waiting = printer.transferIn(PRINTER_BULK_IN, 64, 1000);
    printer.unplug();
    await expect(waiting).rejects.toBeInstanceOf(UsbDisconnectedError);
    expect(printer.attached).toBe(false);
    await expect(printer.transferOut(PRINTER_BULK_OUT, ascii('x'))).rejects.toBeInstanceOf(UsbDisconnectedError);
    await expect(printer.open()).rejects.toBeInstanceOf(UsbDisconnectedError);
  });

  it('hands over the receipt the unplug cut short, and starts afresh when plugged back', async () => {
    const { printer, receipts } = await claimed();
    await printer.transferOut(PRINTER_BULK_OUT, ascii('\x1b@\x1bE\x01Half\nprinted'));
    printer.unplug();
    expect(receipts.map((receipt) => [receiptText(receipt.model), receipt.endedBy])).toEqual([['Half\nprinted', 'unplug']]);
    printer.plug();
    expect(printer.attached).toBe(true);
    await printer.open();
    await printer.claimInterface(0);
    await printer.transferOut(PRINTER_BULK_OUT, Buffer.concat([ascii('Next\n'), CUT]));
    // Power-on state: the bold from before the unplug is gone
    const line = receipts[1]?.model.items[0];
    expect(line).toMatchObject({ kind: 'line', runs: [{ text: 'Next', bold: false }] });
  });
});
