/**
 * The receipt printer as the station runs it: status heartbeat into the device status, receipts
 * refused or cut short reported as issues, never resent on their own, and reprinted on request.
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { ReceiptIssue } from '../../common/devices.ts';
import { money } from '../../common/money.ts';
import { receiptText, type ReceiptModel } from '../../common/receipt/model.ts';
import { VirtualUsbPrinter } from '../../peripherals/printer/virtual-printer.ts';
import type { ApprovedSale } from '../checkout/ports.ts';
import { DeviceRole } from './device-role.ts';
import { createPrinterDevice, PRINTER_HEARTBEAT_MS, printerAlerts, type PrinterDevices } from './printer-device.ts';

const SALE: ApprovedSale = {
  paymentId: 'pay-1',
  lines: [{ product: { sku: 'COF-001', name: { 'zh-CN': '咖啡', en: 'Coffee' }, price: money(1500, 'CNY'), vatRateBp: 1300, category: 'drinks', active: true }, quantity: 1, total: money(1500, 'CNY') }],
  total: money(1500, 'CNY'),
  maskedPan: '621234******1232',
  scheme: 'unionpay',
  approvalCode: 'A1B2C3',
  rrn: '632510000123',
  stan: '000123',
  responseCode: '00',
  timestamp: new Date('2026-11-21T02:16:16Z'),
};

let role: DeviceRole | undefined;
afterEach(async () => {
  vi.useRealTimers();
  role?.stop();
  await role?.managed.stop();
  role = undefined;
});

async function connectedPrinter() {
  const virtualPrinter = new VirtualUsbPrinter();
  const devices: PrinterDevices = createPrinterDevice({
    settings: { locale: 'en', merchantName: { 'zh-CN': '店', en: 'Shop' }, merchantId: '898310048160001', terminalId: 'POS00001', profile: { widthMm: 80, cjk: 'gb18030' } },
    virtualPrinter,
    cjkOf: () => 'none',
  });
  role = new DeviceRole('printer', devices.printer, virtualPrinter);
  role.useVirtual();
  await vi.waitFor(() => expect(devices.printer.machine.state).toBe('ready'));
  const issues: ReceiptIssue[] = [];
  const previews: { paymentId: string; receipt: ReceiptModel }[] = [];
  devices.onReceiptIssue((issue) => issues.push(issue));
  devices.onReceiptPrinted((paymentId, receipt) => previews.push({ paymentId, receipt }));
  const paper: string[] = [];
  virtualPrinter.onReceipt((printed) => paper.push(printed.endedBy));
  return { devices, virtualPrinter, issues, previews, paper };
}

describe('printer alerts', () => {
  it('shows paper out, near end (only while there is paper), cover open and errors', () => {
    const ok = { online: true, paperEnd: false, paperNearEnd: false, coverOpen: false, error: false };
    expect(printerAlerts(ok)).toEqual([]);
    expect(printerAlerts({ ...ok, paperNearEnd: true })).toEqual(['paper_near_end']);
    expect(printerAlerts({ ...ok, online: false, paperEnd: true, paperNearEnd: true })).toEqual(['paper_out']);
    expect(printerAlerts({ ...ok, online: false, coverOpen: true, error: true })).toEqual(['cover_open', 'printer_error']);
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

  it('refuses a receipt while the paper is out, reports it as a reprintable issue, and prints none of it', async () => {
    const { devices, virtualPrinter, issues, paper } = await connectedPrinter();
    virtualPrinter.setPaperOut(true);
    await expect(devices.receipts.printSale(SALE)).rejects.toThrow('receipt not printed: paper_out');
    expect(issues).toEqual([{ paymentId: 'pay-1', issue: 'paper_out', reprintable: true }]);
    virtualPrinter.setPaperOut(false);
    expect(paper).toEqual([]);
    expect(await devices.reprint('pay-1')).toEqual({ printed: true });
    expect(paper).toEqual(['cut']);
  });

  it('reports a receipt cut short by an unplug as may be incomplete, never resends it, and reprints it marked as a reprint', async () => {
    const { devices, virtualPrinter, issues, previews, paper } = await connectedPrinter();
    virtualPrinter.unplugDuringNextJob();
    await expect(devices.receipts.printSale(SALE)).rejects.toThrow('may_be_incomplete');
    expect(issues).toEqual([{ paymentId: 'pay-1', issue: 'may_be_incomplete', reprintable: true }]);
    await vi.waitFor(() => expect(devices.printer.status()).toMatchObject({ state: 'disconnected', detail: 'unplugged' }));
    expect(paper).toEqual(['unplug']);

    virtualPrinter.plug();
    await vi.waitFor(() => expect(devices.printer.machine.state).toBe('ready'));
    expect(paper).toEqual(['unplug']);
    expect(previews).toEqual([]);

    expect(await devices.reprint('pay-1')).toEqual({ printed: true });
    expect(paper).toEqual(['unplug', 'cut']);
    expect(previews.map((preview) => preview.paymentId)).toEqual(['pay-1']);
    expect(receiptText(previews[0]?.receipt as ReceiptModel)).toContain('*** REPRINT ***');
  });

  it('reports a receipt for a printer that is not connected as unavailable', async () => {
    const { devices, virtualPrinter, issues } = await connectedPrinter();
    virtualPrinter.unplug();
    await vi.waitFor(() => expect(devices.printer.machine.state).toBe('disconnected'));
    expect(await devices.reprint('pay-1')).toBeUndefined();
    await expect(devices.receipts.printSale(SALE)).rejects.toThrow('printer_unavailable');
    expect(issues).toEqual([{ paymentId: 'pay-1', issue: 'printer_unavailable', reprintable: true }]);
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
