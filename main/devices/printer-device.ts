/**
 * The receipt printer: a managed device whose session keeps a status heartbeat, and the receipt
 * port the checkout prints through.
 *
 * The heartbeat asks the printer for its status every PRINTER_HEARTBEAT_MS (DLE EOT, or
 * GET_PORT_STATUS on an OUT-only printer). It puts paper out, paper near end and cover open on the
 * device status, and it backs up hot-plug: a printer that answers "gone" ends its session as
 * unplugged even if no disconnect event came, and one that stops answering is re-opened.
 *
 * A receipt that does not print cleanly is reported as an issue the cashier sees: refused before
 * printing (paper out, cover open) or possibly incomplete (the printer failed part-way). It is never
 * resent on its own: the cashier decides, and asks for a reprint, which is marked as one.
 */
import type { DeviceAlert, ReceiptIssue, ReceiptIssueKind } from '../../common/devices.ts';
import type { ReceiptModel } from '../../common/receipt/model.ts';
import { ManagedDevice } from '../../peripherals/devices/managed-device.ts';
import { decodeEscPos } from '../../peripherals/printer/escpos-decoder.ts';
import { VIRTUAL_PRINTER } from '../../peripherals/printer/known-printers.ts';
import { PrinterDriver, type PrintResult } from '../../peripherals/printer/printer-driver.ts';
import type { CjkSupport } from '../../peripherals/printer/printer-text.ts';
import type { PrinterStatus } from '../../peripherals/printer/realtime-status.ts';
import { buildSaleReceipt, type PrinterProfile, type ReceiptLocale } from '../../peripherals/printer/receipt-builder.ts';
import type { VirtualUsbPrinter } from '../../peripherals/printer/virtual-printer.ts';
import { UsbAccessError } from '../../peripherals/usb/claim-interface.ts';
import { UsbDisconnectedError, type MinimalUsbDevice } from '../../peripherals/usb/minimal-usb-device.ts';
import type { ApprovedSale, ReceiptPort } from '../checkout/ports.ts';

/** How often a connected printer is asked for its status. */
export const PRINTER_HEARTBEAT_MS = 3000;
/** Status requests in a row a printer may leave unanswered before the station re-opens it. */
export const HEARTBEAT_MISSES_BEFORE_RECOVERY = 2;
/** How many of the session's sales are kept (in memory only) so their receipt can be printed again. */
export const REPRINTABLE_SALES = 20;

export interface PrinterSession {
  readonly driver: PrinterDriver;
  run(): Promise<void>;
  close(): Promise<void>;
  /** Asks for the status now rather than at the next heartbeat. */
  checkNow(): void;
}

export interface ReceiptSettings {
  readonly locale: ReceiptLocale;
  readonly merchantName: { readonly 'zh-CN': string; readonly en: string };
  readonly merchantId: string;
  readonly terminalId: string;
  /** The paper width, and the virtual printer's font; a USB printer's font comes from its model. */
  readonly profile: PrinterProfile;
}

export type ReceiptOutcome = { readonly printed: true } | { readonly printed: false; readonly issue: ReceiptIssueKind };

export interface PrinterDevices {
  readonly printer: ManagedDevice<PrinterSession>;
  readonly virtualPrinter: VirtualUsbPrinter;
  readonly receipts: ReceiptPort;
  /** Prints a kept sale's receipt again, marked as a reprint; undefined when the sale is not kept. */
  reprint(paymentId: string): Promise<ReceiptOutcome | undefined>;
  /** Asks the printer for its status now (the demo panel changed the paper or the cover). */
  checkStatusNow(): void;
  onReceiptPrinted(listener: (paymentId: string, receipt: ReceiptModel) => void): () => void;
  onReceiptIssue(listener: (issue: ReceiptIssue) => void): () => void;
}

export class ReceiptNotPrintedError extends Error {
  override readonly name = 'ReceiptNotPrintedError';
}

/** What the status panel shows of a printer's condition. Near end is moot once the paper is out. */
export function printerAlerts(status: PrinterStatus): DeviceAlert[] {
  const alerts: DeviceAlert[] = [];
  if (status.paperEnd) alerts.push('paper_out');
  else if (status.paperNearEnd) alerts.push('paper_near_end');
  if (status.coverOpen) alerts.push('cover_open');
  if (status.error) alerts.push('printer_error');
  return alerts;
}

function issueOf(result: Exclude<PrintResult, { ok: true }>): ReceiptIssueKind {
  switch (result.reason) {
    case 'may_be_incomplete':
      return 'may_be_incomplete';
    case 'paper_out':
      return 'paper_out';
    case 'cover_open':
      return 'cover_open';
    case 'offline':
      return 'printer_offline';
    default:
      return 'printer_unavailable';
  }
}

async function openPrinterSession(device: MinimalUsbDevice, onStatus: (status: PrinterStatus) => void): Promise<PrinterSession> {
  const driver = new PrinterDriver(device);
  const opened = await driver.open();
  if (!opened.ok) {
    if (opened.reason === 'access_denied') throw new UsbAccessError(opened.message);
    if (opened.reason === 'disconnected') throw new UsbDisconnectedError(opened.message);
    throw new Error(opened.message);
  }
  let stopped = false;
  let wake: (() => void) | undefined;
  return {
    driver,
    async run() {
      let misses = 0;
      while (!stopped) {
        const answer = await driver.queryStatus();
        if (stopped) return;
        if (answer.ok) {
          misses = 0;
          onStatus(answer.status);
        } else if (answer.reason === 'disconnected') {
          throw new UsbDisconnectedError(answer.message);
        } else if (answer.reason !== 'stall' && ++misses >= HEARTBEAT_MISSES_BEFORE_RECOVERY) {
          // A stall is an OUT-only printer that has no status to give; silence or errors are not.
          throw new Error(`the printer stopped answering status requests (${answer.message})`);
        }
        await new Promise<void>((resolve) => {
          const timer = setTimeout(resolve, PRINTER_HEARTBEAT_MS);
          wake = () => {
            clearTimeout(timer);
            resolve();
          };
        });
      }
    },
    async close() {
      stopped = true;
      wake?.();
      await driver.close();
    },
    checkNow: () => wake?.(),
  };
}

export function createPrinterDevice(options: { settings: ReceiptSettings; virtualPrinter: VirtualUsbPrinter; cjkOf: (device: MinimalUsbDevice) => CjkSupport }): PrinterDevices {
  const { settings, virtualPrinter } = options;
  const printer: ManagedDevice<PrinterSession> = new ManagedDevice<PrinterSession>({
    kind: 'printer',
    source: 'virtual',
    model: VIRTUAL_PRINTER.name,
    open: (device) => openPrinterSession(device, (status) => printer.setAlerts(printerAlerts(status))),
  });
  const printedListeners = new Set<(paymentId: string, receipt: ReceiptModel) => void>();
  const issueListeners = new Set<(issue: ReceiptIssue) => void>();
  const kept = new Map<string, ApprovedSale>();
  let printingFor: string | undefined;

  const printed = (paymentId: string, receipt: ReceiptModel) => {
    for (const listener of printedListeners) listener(paymentId, receipt);
  };
  // The virtual printer decodes what it was sent; its receipts become the UI's preview.
  virtualPrinter.onReceipt((receipt) => {
    if (printingFor !== undefined && receipt.endedBy === 'cut') printed(printingFor, receipt.model);
  });

  const profile = (): PrinterProfile => {
    const device = printer.device;
    return !device || device === virtualPrinter ? settings.profile : { widthMm: settings.profile.widthMm, cjk: options.cjkOf(device) };
  };

  async function print(sale: ApprovedSale, reprint: boolean): Promise<ReceiptOutcome> {
    const usesVirtual = printer.device === virtualPrinter;
    const bytes = await buildSaleReceipt(
      {
        locale: settings.locale,
        merchantName: settings.merchantName,
        merchantId: settings.merchantId,
        terminalId: settings.terminalId,
        lines: sale.lines.map((line) => ({ name: line.product.name, quantity: line.quantity, unitPrice: line.product.price, total: line.total })),
        total: sale.total,
        tender: { kind: 'card', maskedPan: sale.maskedPan, scheme: sale.scheme, approvalCode: sale.approvalCode, rrn: sale.rrn, stan: sale.stan, responseCode: sale.responseCode },
        timestamp: sale.timestamp,
        reference: sale.rrn,
      },
      profile(),
      { reprint },
    );
    let result: PrintResult;
    try {
      result = await printer.withJob(async ({ driver }) => {
        printingFor = sale.paymentId;
        try {
          return await driver.print(bytes);
        } finally {
          printingFor = undefined;
        }
      });
    } catch (error) {
      // Not connected, or busy with another job: nothing was sent.
      result = { ok: false, reason: 'not_open', message: error instanceof Error ? error.message : String(error) };
    }
    // A job is when paper runs out: let the status panel know now, not at the next heartbeat.
    printer.session?.checkNow();
    if (result.ok) {
      // A real printer shows its receipt on paper; the preview is decoded from what it was sent.
      if (!usesVirtual) printed(sale.paymentId, decodeEscPos(bytes));
      return { printed: true };
    }
    const issue = issueOf(result);
    for (const listener of issueListeners) listener({ paymentId: sale.paymentId, issue, reprintable: kept.has(sale.paymentId) });
    return { printed: false, issue };
  }

  return {
    printer,
    virtualPrinter,
    receipts: {
      async printSale(sale) {
        kept.set(sale.paymentId, sale);
        for (const old of [...kept.keys()].slice(0, Math.max(0, kept.size - REPRINTABLE_SALES))) kept.delete(old);
        const outcome = await print(sale, false);
        if (!outcome.printed) throw new ReceiptNotPrintedError(`receipt not printed: ${outcome.issue}`);
      },
    },
    async reprint(paymentId) {
      const sale = kept.get(paymentId);
      return sale ? print(sale, true) : undefined;
    },
    checkStatusNow: () => printer.session?.checkNow(),
    onReceiptPrinted(listener) {
      printedListeners.add(listener);
      return () => printedListeners.delete(listener);
    },
    onReceiptIssue(listener) {
      issueListeners.add(listener);
      return () => issueListeners.delete(listener);
    },
  };
}
