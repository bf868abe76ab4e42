import { afterEach, describe, expect, it, vi } from 'vitest';
import { receiptText } from '../../common/receipt/model.ts';
import { VirtualCardReader } from '../card-reader/virtual-card-reader.ts';
import type { MinimalUsbDevice, UsbConfigurationInfo } from '../usb/minimal-usb-device.ts';
import { DEFAULT_STATUS_TIMEOUT_MS, DEFAULT_TRANSFER_TIMEOUT_MS, PrinterDriver } from './printer-driver.ts';
import { buildSaleReceipt } from './receipt-builder.ts';
import { SAMPLE_CARD_SALE } from './sample-receipts.ts';
import { USB_PROTOCOL_UNIDIRECTIONAL } from './usb-printer-class.ts';
import { PRINTER_BULK_OUT, VirtualUsbPrinter, type PrintedReceipt } from './virtual-printer.ts';

/** A job of three chunks: a 48-byte-wide raster of 250 rows (12 000 bytes), then a cut. */
function bigJob(): Uint8Array {
  const rows = 250;
  const header = [0x1b, 0x40, 0x1d, 0x76, 0x30, 0, 48, 0, rows & 0xff, rows >> 8];
  return Uint8Array.from([...header, ...new Uint8Array(48 * rows).fill(0x55), 0x1d, 0x56, 0x00]);
}

async function connected(device: MinimalUsbDevice = new VirtualUsbPrinter()): Promise<PrinterDriver> {
  const driver = new PrinterDriver(device);
  const opened = await driver.open();
  expect(opened.ok).toBe(true);
  return driver;
}

function collect(printer: VirtualUsbPrinter): PrintedReceipt[] {
  const receipts: PrintedReceipt[] = [];
  printer.onReceipt((receipt) => receipts.push(receipt));
  return receipts;
}

/** The same printer as an OUT-only (unidirectional) model: status only through GET_PORT_STATUS. */
function outOnly(printer: VirtualUsbPrinter): MinimalUsbDevice {
  const configuration: UsbConfigurationInfo = {
    ...printer.configuration,
    interfaces: printer.configuration.interfaces.map((iface) => ({
      ...iface,
      alternate: { ...iface.alternate, interfaceProtocol: USB_PROTOCOL_UNIDIRECTIONAL, endpoints: iface.alternate.endpoints.filter((endpoint) => endpoint.direction === 'out') },
    })),
  };
  return {
    vendorId: printer.vendorId,
    productId: printer.productId,
    productName: printer.productName,
    get opened() {
      return printer.opened;
    },
    configuration,
    open: () => printer.open(),
    close: () => printer.close(),
    selectConfiguration: (value) => printer.selectConfiguration(value),
    claimInterface: (number) => printer.claimInterface(number),
    releaseInterface: (number) => printer.releaseInterface(number),
    transferIn: (endpoint, length, timeout) => printer.transferIn(endpoint, length, timeout),
    transferOut: (endpoint, data, timeout) => printer.transferOut(endpoint, data, timeout),
    controlTransferIn: (setup, length) => printer.controlTransferIn(setup, length),
    controlTransferOut: (setup, data) => printer.controlTransferOut(setup, data),
  };
}

afterEach(() => {
  vi.useRealTimers();
});

describe('PrinterDriver.open', () => {
  it('claims the printer interface and identifies the model with GET_DEVICE_ID', async () => {
    const printer = new VirtualUsbPrinter();
    const detach = vi.fn(async () => undefined);
    const device = Object.assign(printer, { detachKernelDriver: detach });
    const opened = await new PrinterDriver(device).open();
    expect(opened).toEqual({
      ok: true,
      info: {
        vendorId: 0x1209,
        productId: printer.productId,
        productName: printer.productName,
        interfaceNumber: 0,
        bidirectional: true,
        deviceId: expect.objectContaining({ manufacturer: 'POS Station', model: 'Virtual TP-80', commandSet: 'ESCPOS' }),
      },
    });
    expect(detach).toHaveBeenCalledWith(0);
  });

  it('refuses a device without a printer-class interface', async () => {
    expect(await new PrinterDriver(new VirtualCardReader()).open()).toMatchObject({ ok: false, reason: 'no_printer_interface' });
  });

  it('reports an unplugged device as disconnected', async () => {
    const printer = new VirtualUsbPrinter();
    printer.unplug();
    expect(await new PrinterDriver(printer).open()).toMatchObject({ ok: false, reason: 'disconnected' });
  });
});

describe('PrinterDriver.print', () => {
  it('prints a sale receipt that the printer decodes', async () => {
    const printer = new VirtualUsbPrinter();
    const receipts = collect(printer);
    const driver = await connected(printer);
    const job = await buildSaleReceipt(SAMPLE_CARD_SALE, { widthMm: 80, cjk: 'gb18030' });
    expect(await driver.print(job)).toEqual({ ok: true, bytesSent: job.length });
    expect(receipts).toHaveLength(1);
    expect(receiptText(receipts[0]!.model)).toContain('拿铁咖啡');
    expect(receipts[0]!.model.items).toContainEqual({ kind: 'qr', data: 'POS00001-000123', align: 'center' });
  });

  it('sends a job in chunks of whole packets, at most 4 KiB, each with an explicit timeout', async () => {
    const printer = new VirtualUsbPrinter();
    const receipts = collect(printer);
    const driver = await connected(printer);
    const transferOut = vi.spyOn(printer, 'transferOut');
    const job = bigJob();
    expect(await driver.print(job)).toEqual({ ok: true, bytesSent: job.length });
    const jobChunks = transferOut.mock.calls.filter(([, data]) => data.length > 3);
    expect(jobChunks.map(([, data]) => data.length)).toEqual([4096, 4096, job.length - 2 * 4096]);
    expect(transferOut.mock.calls.every(([endpoint, , timeout]) => endpoint === PRINTER_BULK_OUT && timeout !== undefined)).toBe(true);
    expect(jobChunks.every(([, , timeout]) => timeout === DEFAULT_TRANSFER_TIMEOUT_MS)).toBe(true);
    expect(receipts.map((receipt) => receiptText(receipt.model))).toEqual(['[image 384x250]\n[cut]']);
  });

  it('refuses a job while the paper is out, sending none of it', async () => {
    const printer = new VirtualUsbPrinter();
    const receipts = collect(printer);
    const driver = await connected(printer);
    printer.setPaperOut(true);
    const transferOut = vi.spyOn(printer, 'transferOut');
    expect(await driver.print(bigJob())).toMatchObject({ ok: false, reason: 'paper_out' });
    expect(transferOut.mock.calls.every(([, data]) => data.length === 3 && data[0] === 0x10 && data[1] === 0x04)).toBe(true);
    printer.setPaperOut(false);
    expect(receipts).toEqual([]);
  });

  it('refuses a job while the cover is open', async () => {
    const printer = new VirtualUsbPrinter();
    const driver = await connected(printer);
    printer.setCoverOpen(true);
    expect(await driver.print(bigJob())).toMatchObject({ ok: false, reason: 'cover_open' });
  });

  it('prints when the paper is only near its end', async () => {
    const printer = new VirtualUsbPrinter();
    const driver = await connected(printer);
    printer.setPaperNearEnd(true);
    expect(await driver.print(bigJob())).toMatchObject({ ok: true });
  });

  it('reports a job cut short by an unplug as may_be_incomplete and never resends it', async () => {
    const printer = new VirtualUsbPrinter();
    const receipts = collect(printer);
    const driver = await connected(printer);
    const transferOut = vi.spyOn(printer, 'transferOut');
    transferOut.mockImplementation(async (endpoint, data, timeout) => {
      const result = await VirtualUsbPrinter.prototype.transferOut.call(printer, endpoint, data, timeout);
      if (data.length === 4096) printer.unplug(); // the cable comes out after the first chunk
      return result;
    });
    const job = bigJob();
    const result = await driver.print(job);
    expect(result).toMatchObject({ ok: false, reason: 'may_be_incomplete', cause: 'disconnected', bytesSent: 4096 });
    const callsAtFailure = transferOut.mock.calls.length;
    expect(receipts.map((receipt) => receipt.endedBy)).toEqual(['unplug']);
    printer.plug();
    expect(transferOut.mock.calls.length).toBe(callsAtFailure);
  });

  it('unplugs itself part-way through the next job when armed: status requests do not count, the job does', async () => {
    const printer = new VirtualUsbPrinter();
    const receipts = collect(printer);
    const driver = await connected(printer);
    printer.unplugDuringNextJob(5000);
    expect(printer.unplugArmed).toBe(true);
    expect(await driver.queryStatus()).toMatchObject({ ok: true });
    const result = await driver.print(bigJob());
    // The first 4096-byte chunk went through; the printer dropped off during the second.
    expect(result).toMatchObject({ ok: false, reason: 'may_be_incomplete', cause: 'disconnected', bytesSent: 4096 });
    expect(printer.attached).toBe(false);
    expect(printer.unplugArmed).toBe(false);
    expect(receipts.map((receipt) => receipt.endedBy)).toEqual(['unplug']);
    printer.plug();
    const again = await connected(printer);
    expect(await again.print(bigJob())).toMatchObject({ ok: true });
    expect(receipts.map((receipt) => receipt.endedBy)).toEqual(['unplug', 'cut']);
  });

  it('refuses with not_open before open', async () => {
    expect(await new PrinterDriver(new VirtualUsbPrinter()).print(Uint8Array.of(0x0a))).toMatchObject({ ok: false, reason: 'not_open' });
  });
});

describe('PrinterDriver.queryStatus', () => {
  it('reads paper, cover and error state with DLE EOT', async () => {
    const printer = new VirtualUsbPrinter();
    const driver = await connected(printer);
    expect(await driver.queryStatus()).toEqual({
      ok: true,
      source: 'dle_eot',
      status: { online: true, paperEnd: false, paperNearEnd: false, coverOpen: false, error: false, drawerOpen: false },
    });
    printer.setPaperNearEnd(true);
    expect(await driver.queryStatus()).toMatchObject({ ok: true, status: { online: true, paperNearEnd: true, paperEnd: false } });
    printer.setPaperOut(true);
    expect(await driver.queryStatus()).toMatchObject({ ok: true, status: { online: false, paperEnd: true } });
    printer.setPaperOut(false);
    printer.setCoverOpen(true);
    expect(await driver.queryStatus()).toMatchObject({ ok: true, status: { online: false, coverOpen: true, paperEnd: false } });
  });

  it('falls back to GET_PORT_STATUS on an OUT-only printer, and still refuses without paper', async () => {
    const printer = new VirtualUsbPrinter();
    const driver = await connected(outOnly(printer));
    expect(await driver.queryStatus()).toMatchObject({ ok: true, source: 'port_status', status: { online: true, paperEnd: false } });
    printer.setPaperOut(true);
    expect(await driver.queryStatus()).toMatchObject({ ok: true, source: 'port_status', status: { online: false, paperEnd: true } });
    expect(await driver.print(bigJob())).toMatchObject({ ok: false, reason: 'paper_out' });
  });

  it('reports a printer that does not answer as a timeout, and refuses to print blind', async () => {
    vi.useFakeTimers();
    const printer = new VirtualUsbPrinter();
    const driver = await connected(printer);
    // A printer that swallows DLE EOT: its answer never comes
    vi.spyOn(printer, 'transferOut').mockResolvedValue({ status: 'ok', bytesWritten: 3 });
    const status = driver.queryStatus();
    await vi.advanceTimersByTimeAsync(DEFAULT_STATUS_TIMEOUT_MS);
    expect(await status).toMatchObject({ ok: false, reason: 'timeout' });
    const print = driver.print(bigJob());
    await vi.advanceTimersByTimeAsync(DEFAULT_STATUS_TIMEOUT_MS);
    expect(await print).toMatchObject({ ok: false, reason: 'status_unavailable' });
  });

  it('reports an unplugged printer as disconnected', async () => {
    const printer = new VirtualUsbPrinter();
    const driver = await connected(printer);
    printer.unplug();
    expect(await driver.queryStatus()).toMatchObject({ ok: false, reason: 'disconnected' });
  });

  it('keeps a status query from interleaving with a job', async () => {
    const printer = new VirtualUsbPrinter();
    const receipts = collect(printer);
    const driver = await connected(printer);
    const [printed, status] = await Promise.all([driver.print(bigJob()), driver.queryStatus()]);
    expect(printed.ok).toBe(true);
    expect(status).toMatchObject({ ok: true, status: { online: true } });
    expect(receipts).toHaveLength(1);
  });
});
