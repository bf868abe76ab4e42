/**
 * Receipts and reports, built from the journal: a sale's receipt is rebuilt from the journaled sale
 * every time it prints (the first time, and any reprint from the transactions view, after a restart
 * too), so there is no copy to keep or lose. The drawer port is here too: the printer pulses it,
 * and each opening is journaled with its reason.
 */
import type { LocalizedText } from '../../common/catalog.ts';
import type { Sale } from '../../common/sale/model.ts';
import type { ShiftReport } from '../../common/shift.ts';
import { buildSaleReceipt, type CardTender, type CashTender, type QrTender, type SaleReceipt } from '../../peripherals/printer/receipt-builder.ts';
import type { ReceiptEntryMode } from '../../peripherals/printer/receipt-labels.ts';
import type { ChipLegRecord } from '../journal/chip-records.ts';
import type { ReceiptLocale } from '../../peripherals/printer/receipt-labels.ts';
import { buildShiftReportReceipt } from '../../peripherals/printer/report-builder.ts';
import type { PrinterDevices, PrintOutcome } from '../devices/printer-device.ts';
import type { Journal } from '../journal/journal.ts';
import { notFound } from '../sales/sale-error.ts';
import type { DrawerPort } from './ports.ts';

export interface ReceiptSettings {
  readonly locale: ReceiptLocale;
  readonly merchantName: LocalizedText;
  readonly merchantId: string;
  readonly terminalId: string;
}

export class Receipts {
  readonly #journal: Journal;
  readonly #printer: Pick<PrinterDevices, 'print'>;
  readonly #settings: ReceiptSettings;

  constructor(journal: Journal, printer: Pick<PrinterDevices, 'print'>, settings: ReceiptSettings) {
    this.#journal = journal;
    this.#printer = printer;
    this.#settings = settings;
  }

  /** Prints a sale's receipt from the journal; `reprint` marks it as printed again. */
  printSale(saleId: string, options: { reprint: boolean }): Promise<PrintOutcome> {
    const sale = this.#journal.sales.load(saleId);
    if (!sale) throw notFound(`no sale ${saleId} in the journal`);
    const receipt = saleReceipt(sale, this.#settings, (legId) => this.#journal.chip.ofLeg(legId));
    return this.#printer.print({ kind: 'sale', saleId }, (profile) => buildSaleReceipt(receipt, profile, { reprint: options.reprint }));
  }

  printReport(report: ShiftReport): Promise<PrintOutcome> {
    return this.#printer.print({ kind: 'report', report: report.kind, shiftId: report.shift.id }, async (profile) => buildShiftReportReceipt(report, this.#settings, profile));
  }
}

/** DE22's PAN entry mode → what the receipt says. */
const RECEIPT_ENTRY_MODES: Readonly<Record<string, ReceiptEntryMode>> = { '02': 'swipe', '90': 'swipe', '80': 'fallback', '05': 'chip', '07': 'contactless' };

/**
 * What the paper shows of a journaled sale. A card tender says how the card was read; a chip or
 * contactless one adds its AID, application label and cryptogram (type and value), as chip receipts do.
 */
export function saleReceipt(sale: Sale, settings: ReceiptSettings, chipOf: (legId: number) => ChipLegRecord | undefined = () => undefined): SaleReceipt {
  const tenders = sale.tenders.flatMap((tender): (CardTender | CashTender | QrTender)[] => {
    if (tender.state !== 'approved' && tender.state !== 'void_pending' && tender.state !== 'voided') return [];
    if (tender.type === 'cash' && tender.received && tender.change) return [{ kind: 'cash', amount: tender.amount, received: tender.received, change: tender.change }];
    const qr = tender.qr;
    if (tender.type === 'qr' && qr) {
      return [{ kind: 'qr', amount: tender.amount, wallet: qr.wallet, ...(qr.maskedPayer === undefined ? {} : { maskedPayer: qr.maskedPayer }), ...(qr.transactionId === undefined ? {} : { transactionId: qr.transactionId }) }];
    }
    const card = tender.card;
    if (tender.type === 'card' && card?.approvalCode && card.rrn) {
      const leg = tender.legs.find((candidate) => candidate.kind === 'purchase' && candidate.rrn === card.rrn);
      const chip = leg && chipOf(leg.id);
      const entryMode = leg && RECEIPT_ENTRY_MODES[leg.posEntryMode.slice(0, 2)];
      return [
        {
          kind: 'card',
          amount: tender.amount,
          maskedPan: card.maskedPan,
          scheme: card.scheme,
          approvalCode: card.approvalCode,
          rrn: card.rrn,
          stan: card.stan ?? '',
          responseCode: card.responseCode ?? '00',
          ...(entryMode ? { entryMode } : {}),
          ...(chip ? { chip: { aid: chip.aid, applicationLabel: chip.applicationLabel, acType: chip.acType, cryptogram: chip.iccData['9F26'] ?? '' } } : {}),
        },
      ];
    }
    return [];
  });
  return {
    ...settings,
    receiptNumber: sale.receiptNumber,
    ...(sale.cashierId === undefined ? {} : { cashierId: sale.cashierId }),
    lines: sale.lines.map((line) => ({
      name: line.name,
      quantity: line.quantity,
      unitPrice: line.unitPrice,
      discount: { amountMinor: line.lineDiscountAmount.amountMinor + line.saleDiscountShare.amountMinor, currency: sale.currency },
      amount: line.amount,
    })),
    ...(sale.legacy ? { linesNotRecorded: true } : {}),
    subtotal: sale.totals.subtotal,
    discount: sale.totals.discount,
    total: sale.totals.total,
    vat: sale.totals.vatByRate,
    tenders,
    refunded: sale.refunded,
    voided: sale.status === 'voided',
    timestamp: new Date(sale.paidAt ?? sale.openedAt),
    reference: `${settings.terminalId}-${sale.receiptNumber}`,
  };
}

/** The drawer, pulsed through the printer; every opening is journaled with why. */
export function printerDrawer(printer: Pick<PrinterDevices, 'kickDrawer'>, journal: Journal, now: () => Date): DrawerPort {
  return {
    async kick(reason) {
      const outcome = await printer.kickDrawer();
      if (!outcome.printed) throw new Error(`the printer did not take the drawer pulse: ${outcome.issue}`);
      const shiftId = journal.shifts.current()?.id;
      journal.uow.emit({ type: 'drawer.opened', at: now().toISOString(), reason, ...(shiftId === undefined ? {} : { shiftId }) });
    },
  };
}
