/**
 * The receipt printer: a managed device whose session keeps a status heartbeat (so an unplug or a
 * fault is noticed between jobs, not at the next sale), and the receipt port the checkout prints
 * through. A receipt the printer did not finish is reported, never resent on its own.
 */
import type { ReceiptModel } from '../../common/receipt/model.ts';
import { ManagedDevice } from '../../peripherals/devices/managed-device.ts';
import { VIRTUAL_PRINTER } from '../../peripherals/printer/known-printers.ts';
import { PrinterDriver } from '../../peripherals/printer/printer-driver.ts';
import { buildSaleReceipt, type PrinterProfile, type ReceiptLocale } from '../../peripherals/printer/receipt-builder.ts';
import { VirtualUsbPrinter } from '../../peripherals/printer/virtual-printer.ts';
import { UsbDisconnectedError } from '../../peripherals/usb/minimal-usb-device.ts';
import type { ApprovedSale, ReceiptPort } from '../checkout/ports.ts';

/** How often an idle printer is asked for its status (DLE EOT). */
export const PRINTER_HEARTBEAT_MS = 3000;

export interface PrinterSession {
  readonly driver: PrinterDriver;
  run(): Promise<void>;
  close(): Promise<void>;
}

export interface ReceiptSettings {
  readonly locale: ReceiptLocale;
  readonly merchantName: { readonly 'zh-CN': string; readonly en: string };
  readonly merchantId: string;
  readonly terminalId: string;
  readonly profile: PrinterProfile;
}

export interface PrinterDevices {
  readonly printer: ManagedDevice<PrinterSession>;
  readonly virtualPrinter: VirtualUsbPrinter;
  readonly receipts: ReceiptPort;
  onReceiptPrinted(listener: (paymentId: string, receipt: ReceiptModel) => void): () => void;
}

export class ReceiptNotPrintedError extends Error {
  override readonly name = 'ReceiptNotPrintedError';
}

function openPrinterSession(device: ConstructorParameters<typeof PrinterDriver>[0]): Promise<PrinterSession> {
  const driver = new PrinterDriver(device);
  let stopped = false;
  let wake: (() => void) | undefined;
  return driver.open().then((opened) => {
    if (!opened.ok) throw new Error(opened.message);
    return {
      driver,
      async run() {
        while (!stopped) {
          await new Promise<void>((resolve) => {
            wake = resolve;
            setTimeout(resolve, PRINTER_HEARTBEAT_MS);
          });
          if (stopped) return;
          const status = await driver.queryStatus();
          if (!status.ok && status.reason === 'disconnected') throw new UsbDisconnectedError(status.message);
        }
      },
      async close() {
        stopped = true;
        wake?.();
        await driver.close();
      },
    };
  });
}

export function createPrinterDevice(settings: ReceiptSettings): PrinterDevices {
  const virtualPrinter = new VirtualUsbPrinter();
  const printer = new ManagedDevice<PrinterSession>({ kind: 'printer', source: 'virtual', model: VIRTUAL_PRINTER.name, open: openPrinterSession });
  const listeners = new Set<(paymentId: string, receipt: ReceiptModel) => void>();
  let printingFor: string | undefined;

  // The virtual printer decodes what it was sent; its receipts become the UI's preview.
  virtualPrinter.onReceipt((printed) => {
    if (printingFor === undefined || printed.endedBy !== 'cut') return;
    for (const listener of listeners) listener(printingFor, printed.model);
  });

  const receipts: ReceiptPort = {
    async printSale(sale: ApprovedSale) {
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
        settings.profile,
      );
      const result = await printer.withJob(async ({ driver }) => {
        printingFor = sale.paymentId;
        try {
          return await driver.print(bytes);
        } finally {
          printingFor = undefined;
        }
      });
      if (!result.ok) throw new ReceiptNotPrintedError(result.message);
    },
  };

  return {
    printer,
    virtualPrinter,
    receipts,
    onReceiptPrinted(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  };
}
