/**
 * The receipt printer as the station runs it: status heartbeat into the device status, receipts
 * refused or cut short reported as issues, never resent on their own, reprinted on request, and the
 * cash drawer on its kick-out connector.
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { PrintedDocument, ReceiptIssue } from '../../common/devices.ts';
import { receiptText, type ReceiptModel } from '../../common/receipt/model.ts';
import { buildSaleReceipt } from '../../peripherals/printer/receipt-builder.ts';
import { SAMPLE_CARD_SALE } from '../../peripherals/printer/sample-receipts.ts';
import { VirtualUsbPrinter } from '../../peripherals/printer/virtual-printer.ts';
import { DeviceRole } from './device-role.ts';
import { createPrinterDevice, PRINTER_HEARTBEAT_MS, printerAlerts, type PrinterDevices } from './printer-device.ts';

const SALE: PrintedDocument = { kind: 'sale', saleId: 'sale-1' };
const build = (reprint = false) => (profile: Parameters<typeof buildSaleReceipt>[1]) => buildSaleReceipt({ ...SAMPLE_CARD_SALE, locale: 'en' }, profile, { reprint });

let role: DeviceRole | undefined;
afterEach(async () => {
  vi.useRealTimers();
  role?.stop();
  await role?.managed.stop();
  role = undefined;
});

async function connectedPrinter(options: { drawerLeftOpenMs?: number } = {}) {
  const virtualPrinter = new VirtualUsbPrinter();
  const devices: PrinterDevices = createPrinterDevice({
    settings: { profile: { widthMm: 80, cjk: 'gb18030' }, ...options },
    virtualPrinter,
    cjkOf: () => 'none',
  });
  role = new DeviceRole('printer', devices.printer, virtualPrinter);
  role.useVirtual();
  await vi.waitFor(() => expect(devices.printer.machine.state).toBe('ready'));
  const issues: ReceiptIssue[] = [];
  const previews: { document: PrintedDocument; receipt: ReceiptModel }[] = [];
  devices.onReceiptIssue((issue) => issues.push(issue));
  devices.onReceiptPrinted((document, receipt) => previews.push({ document, receipt }));
  const paper: string[] = [];
  virtualPrinter.onReceipt((printed) => paper.push(printed.endedBy));
  return { devices, virtualPrinter, issues, previews, paper };
}

describe('printer alerts', () => {
  it('shows paper out, near end (only while there is paper), cover open, errors and the drawer', () => {
    const ok = { online: true, paperEnd: false, paperNearEnd: false, coverOpen: false, error: false, drawerOpen: false };
    expect(printerAlerts(ok)).toEqual([]);
    expect(printerAlerts({ ...ok, paperNearEnd: true })).toEqual(['paper_near_end']);
    expect(printerAlerts({ ...ok, online: false, paperEnd: true, paperNearEnd: true })).toEqual(['paper_out']);
    expect(printerAlerts({ ...ok, online: false, coverOpen: true, error: true })).toEqual(['cover_open', 'printer_error']);
    expect(printerAlerts({ ...ok, drawerOpen: true })).toEqual(['drawer_open']);
    expect(printerAlerts({ ...ok, drawerOpen: true }, true)).toEqual(['drawer_left_open']);
  });
});

describe('receipt printer device', () => {
  it(`puts the paper and cover on the device status at each heartbeat (every ${PRINTER_HEARTBEAT_MS} ms)`, async () => {
    vi.useFakeTimers();
    const { devices, virtualPrinter } = await connectedPrinter();
    virtualPrinter.setPaperNearEnd(true);
    await vi.advanceTimersByTimeAsync(PRINTER_HEARTBEAT_MS);
    expect(devices.printer.status()).toMatchObject({ state: 'ready', alerts: ['paper_near_end'] });
    virtualPrinter.setPaperOut(true);
    virtualPrinter.setCoverOpen(true);
    await vi.advanceTimersByTimeAsync(PRINTER_HEARTBEAT_MS);
    expect(devices.printer.status().alerts).toEqual(['paper_out', 'cover_open']);
    virtualPrinter.setPaperOut(false);
    virtualPrinter.setPaperNearEnd(false);
    virtualPrinter.setCoverOpen(false);
    devices.checkStatusNow();
    await vi.advanceTimersByTimeAsync(0);
    expect(devices.printer.status().alerts).toBeUndefined();
  });

  it('refuses a receipt while the paper is out, reports the issue, and prints none of it', async () => {
    const { devices, virtualPrinter, issues, paper } = await connectedPrinter();
    virtualPrinter.setPaperOut(true);
    expect(await devices.print(SALE, build())).toEqual({ printed: false, issue: 'paper_out' });
    expect(issues).toEqual([{ document: SALE, issue: 'paper_out' }]);
    virtualPrinter.setPaperOut(false);
    expect(paper).toEqual([]);
    expect(await devices.print(SALE, build(true))).toEqual({ printed: true });
    expect(paper).toEqual(['cut']);
  });

  it('reports a receipt cut short by an unplug as may be incomplete, never resends it; a reprint is marked as one', async () => {
    const { devices, virtualPrinter, issues, previews, paper } = await connectedPrinter();
    virtualPrinter.unplugDuringNextJob();
    expect(await devices.print(SALE, build())).toEqual({ printed: false, issue: 'may_be_incomplete' });
    expect(issues).toEqual([{ document: SALE, issue: 'may_be_incomplete' }]);
    await vi.waitFor(() => expect(devices.printer.status()).toMatchObject({ state: 'disconnected', detail: 'unplugged' }));
    expect(paper).toEqual(['unplug']);

    virtualPrinter.plug();
    await vi.waitFor(() => expect(devices.printer.machine.state).toBe('ready'));
    expect(paper).toEqual(['unplug']);
    expect(previews).toEqual([]);

    expect(await devices.print(SALE, build(true))).toEqual({ printed: true });
    expect(paper).toEqual(['unplug', 'cut']);
    expect(previews.map((preview) => preview.document)).toEqual([SALE]);
    expect(receiptText(previews[0]?.receipt as ReceiptModel)).toContain('*** REPRINT ***');
  });

  it('reports a receipt for a printer that is not connected as unavailable', async () => {
    const { devices, virtualPrinter, issues } = await connectedPrinter();
    virtualPrinter.unplug();
    await vi.waitFor(() => expect(devices.printer.machine.state).toBe('disconnected'));
    expect(await devices.print(SALE, build())).toEqual({ printed: false, issue: 'printer_unavailable' });
    expect(issues).toEqual([{ document: SALE, issue: 'printer_unavailable' }]);
  });

  it('pulses the drawer (ESC p) through the printer; its switch shows on the status until it is shut, and "left open" after a while', async () => {
    const { devices, virtualPrinter } = await connectedPrinter({ drawerLeftOpenMs: 0 });
    expect(await devices.kickDrawer()).toEqual({ printed: true });
    expect(virtualPrinter.condition.drawerOpen).toBe(true);
    await vi.waitFor(() => expect(devices.printer.status().alerts).toEqual(['drawer_left_open']));
    virtualPrinter.closeDrawer();
    await vi.waitFor(() => expect(devices.printer.status().alerts).toBeUndefined());
    virtualPrinter.setPaperOut(true);
    // ESC p rides the print stream: a printer that cannot print cannot open the drawer either.
    expect(await devices.kickDrawer()).toEqual({ printed: false, issue: 'paper_out' });
  });

  it('goes to fault, naming the udev rule, when the printer cannot be opened for lack of permission', async () => {
    const { devices, virtualPrinter } = await connectedPrinter();
    virtualPrinter.open = () => Promise.reject(new Error('LIBUSB_ERROR_ACCESS'));
    virtualPrinter.unplug();
    virtualPrinter.plug();
    await vi.waitFor(() => expect(devices.printer.machine.state).toBe('fault'));
    expect(devices.printer.status().detail).toMatch(/70-pos-station\.rules/);
  });
});
