/**
 * The receipt printer: a managed device whose session keeps a status heartbeat, what the checkout
 * prints through (receipts and reports, built by main/checkout/receipts.ts), and the cash drawer on
 * its kick-out connector.
 *
 * The heartbeat asks the printer for its status every PRINTER_HEARTBEAT_MS (DLE EOT, or
 * GET_PORT_STATUS on an OUT-only printer). It puts paper out, paper near end, cover open and the
 * drawer's switch (open; left open after DRAWER_LEFT_OPEN_MS) on the device status, and it backs up
 * hot-plug: a printer that answers "gone" ends its session as unplugged even if no disconnect event
 * came, and one that stops answering is re-opened.
 *
 * A receipt that does not print cleanly is reported as an issue the cashier sees: refused before
 * printing (paper out, cover open) or possibly incomplete (the printer failed part-way). It is never
 * resent on its own: the cashier decides, and asks for a reprint, which is marked as one.
 */
import type { DeviceAlert, PrintedDocument, ReceiptIssue, ReceiptIssueKind } from '../../common/devices.ts';
import type { ReceiptModel } from '../../common/receipt/model.ts';
import { ManagedDevice } from '../../peripherals/devices/managed-device.ts';
import { decodeEscPos } from '../../peripherals/printer/escpos-decoder.ts';
import { VIRTUAL_PRINTER } from '../../peripherals/printer/known-printers.ts';
import { PrinterDriver, type PrintResult } from '../../peripherals/printer/printer-driver.ts';
import type { CjkSupport } from '../../peripherals/printer/printer-text.ts';
import type { PrinterStatus } from '../../peripherals/printer/realtime-status.ts';
import type { PrinterProfile } from '../../peripherals/printer/receipt-builder.ts';
import { DRAWER_PULSE } from '../../peripherals/printer/receipt-writer.ts';
import type { VirtualUsbPrinter } from '../../peripherals/printer/virtual-printer.ts';
import { UsbAccessError } from '../../peripherals/usb/claim-interface.ts';
import { UsbDisconnectedError, type MinimalUsbDevice } from '../../peripherals/usb/minimal-usb-device.ts';

/** How often a connected printer is asked for its status. */
export const PRINTER_HEARTBEAT_MS = 3000;
/** Status requests in a row a printer may leave unanswered before the station re-opens it. */
export const HEARTBEAT_MISSES_BEFORE_RECOVERY = 2;

export interface PrinterSession {
  readonly driver: PrinterDriver;
  run(): Promise<void>;
  close(): Promise<void>;
  /** Asks for the status now rather than at the next heartbeat. */
  checkNow(): void;
}

export interface PrinterSettings {
  /** The paper width, and the virtual printer's font; a USB printer's font comes from its model. */
  readonly profile: PrinterProfile;
  /** How long the drawer may stand open before the station says it was left open. */
  readonly drawerLeftOpenMs?: number;
}

export type PrintOutcome = { readonly printed: true } | { readonly printed: false; readonly issue: ReceiptIssueKind };

export interface PrinterDevices {
  readonly printer: ManagedDevice<PrinterSession>;
  readonly virtualPrinter: VirtualUsbPrinter;
  /**
   * Prints a document built for the printer that will print it (its paper width and font). A job
   * that does not print cleanly is reported as a receipt issue, never resent on its own.
   */
  print(document: PrintedDocument, build: (profile: PrinterProfile) => Promise<Uint8Array>): Promise<PrintOutcome>;
  /** Pulses the cash drawer (ESC p) through the printer. */
  kickDrawer(): Promise<PrintOutcome>;
  /** Asks the printer for its status now (the demo panel changed the paper, the cover or the drawer). */
  checkStatusNow(): void;
  onReceiptPrinted(listener: (document: PrintedDocument, receipt: ReceiptModel) => void): () => void;
  onReceiptIssue(listener: (issue: ReceiptIssue) => void): () => void;
}

/** The drawer left open this long makes the status say so (a cashier walking away from an open till). */
export const DRAWER_LEFT_OPEN_MS = 30_000;

export function printerAlerts(status: PrinterStatus, drawerLeftOpen = false): DeviceAlert[] {
  const alerts: DeviceAlert[] = [];
  if (status.paperEnd) alerts.push('paper_out');
  else if (status.paperNearEnd) alerts.push('paper_near_end');
  if (status.coverOpen) alerts.push('cover_open');
  if (status.error) alerts.push('printer_error');
  if (status.drawerOpen) alerts.push(drawerLeftOpen ? 'drawer_left_open' : 'drawer_open');
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

export function createPrinterDevice(options: { settings: PrinterSettings; virtualPrinter: VirtualUsbPrinter; cjkOf: (device: MinimalUsbDevice) => CjkSupport; now?: () => number }): PrinterDevices {
  const { settings, virtualPrinter } = options;
  const now = options.now ?? Date.now;
  const leftOpenAfter = settings.drawerLeftOpenMs ?? DRAWER_LEFT_OPEN_MS;
  let drawerOpenSince: number | undefined;
  const onStatus = (status: PrinterStatus) => {
    drawerOpenSince = status.drawerOpen ? (drawerOpenSince ?? now()) : undefined;
    printer.setAlerts(printerAlerts(status, drawerOpenSince !== undefined && now() - drawerOpenSince >= leftOpenAfter));
  };
  const printer: ManagedDevice<PrinterSession> = new ManagedDevice<PrinterSession>({
    kind: 'printer',
    source: 'virtual',
    model: VIRTUAL_PRINTER.name,
    open: (device) => openPrinterSession(device, onStatus),
  });
  const printedListeners = new Set<(document: PrintedDocument, receipt: ReceiptModel) => void>();
  const issueListeners = new Set<(issue: ReceiptIssue) => void>();
  let printingFor: PrintedDocument | undefined;

  const printed = (document: PrintedDocument, receipt: ReceiptModel) => {
    for (const listener of printedListeners) listener(document, receipt);
  };
  // The virtual printer decodes what it was sent; its receipts become the UI's preview.
  virtualPrinter.onReceipt((receipt) => {
    if (printingFor !== undefined && receipt.endedBy === 'cut') printed(printingFor, receipt.model);
  });
  // Opening or shutting the virtual drawer shows at once, not at the next heartbeat.
  virtualPrinter.onDrawer(() => printer.session?.checkNow());

  const profile = (): PrinterProfile => {
    const device = printer.device;
    return !device || device === virtualPrinter ? settings.profile : { widthMm: settings.profile.widthMm, cjk: options.cjkOf(device) };
  };

  async function send(document: PrintedDocument | undefined, bytes: Uint8Array): Promise<PrintResult> {
    try {
      return await printer.withJob(async ({ driver }) => {
        printingFor = document;
        try {
          return await driver.print(bytes);
        } finally {
          printingFor = undefined;
        }
      });
    } catch (error) {
      // Not connected, or busy with another job: nothing was sent.
      return { ok: false, reason: 'not_open', message: error instanceof Error ? error.message : String(error) };
    } finally {
      // A job is when paper runs out: let the status panel know now, not at the next heartbeat.
      printer.session?.checkNow();
    }
  }

  return {
    printer,
    virtualPrinter,
    async print(document, build) {
      const usesVirtual = printer.device === virtualPrinter;
      const bytes = await build(profile());
      const result = await send(document, bytes);
      if (result.ok) {
        // A real printer shows its receipt on paper; the preview is decoded from what it was sent.
        if (!usesVirtual) printed(document, decodeEscPos(bytes));
        return { printed: true };
      }
      const issue = issueOf(result);
      for (const listener of issueListeners) listener({ document, issue });
      return { printed: false, issue };
    },
    async kickDrawer() {
      const result = await send(undefined, DRAWER_PULSE);
      return result.ok ? { printed: true } : { printed: false, issue: issueOf(result) };
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
