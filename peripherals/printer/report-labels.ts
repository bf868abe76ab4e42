/** The words printed on an X or Z report, in each receipt locale. */
import type { ReceiptLocale } from './receipt-labels.ts';

export interface ReportLabels {
  readonly title: { readonly X: string; readonly Z: string };
  readonly shift: string;
  readonly openedBy: string;
  readonly openedAt: string;
  readonly closedAt: string;
  readonly printedAt: string;
  readonly sales: string;
  readonly cancelled: string;
  readonly voids: string;
  readonly byTender: string;
  readonly byScheme: string;
  readonly byVatRate: string;
  readonly vat: string;
  readonly refunds: string;
  readonly cash: string;
  readonly float: string;
  readonly cashSales: string;
  readonly cashRefunds: string;
  readonly paidIn: string;
  readonly paidOut: string;
  readonly expected: string;
  readonly counted: string;
  readonly over: string;
  readonly short: string;
  readonly even: string;
  readonly noSales: string;
  readonly batch: string;
  readonly debits: string;
  readonly credits: string;
  readonly tenders: { readonly card: string; readonly cash: string; readonly qr: string };
}

export const REPORT_LABELS: Readonly<Record<ReceiptLocale, ReportLabels>> = {
  'zh-CN': {
    title: { X: 'X 报表（班中）', Z: 'Z 报表（日结）' },
    shift: '班次',
    openedBy: '开班人',
    openedAt: '开班时间',
    closedAt: '结班时间',
    printedAt: '打印时间',
    sales: '销售',
    cancelled: '取消笔数',
    voids: '撤销',
    byTender: '按支付方式',
    byScheme: '按卡组织',
    byVatRate: '按税率',
    vat: '税额',
    refunds: '退款',
    cash: '现金',
    float: '备用金',
    cashSales: '现金销售',
    cashRefunds: '现金退款',
    paidIn: '存入',
    paidOut: '取出',
    expected: '应有现金',
    counted: '实点现金',
    over: '长款',
    short: '短款',
    even: '无差异',
    noSales: '无销售开钱箱',
    batch: '批次',
    debits: '借记(消费)',
    credits: '贷记(退货)',
    tenders: { card: '银行卡', cash: '现金', qr: '扫码' },
  },
  en: {
    title: { X: 'X REPORT (MID-SHIFT)', Z: 'Z REPORT (END OF DAY)' },
    shift: 'SHIFT',
    openedBy: 'OPENED BY',
    openedAt: 'OPENED',
    closedAt: 'CLOSED',
    printedAt: 'PRINTED',
    sales: 'SALES',
    cancelled: 'CANCELLED',
    voids: 'VOIDS',
    byTender: 'BY TENDER',
    byScheme: 'BY CARD SCHEME',
    byVatRate: 'BY VAT RATE',
    vat: 'VAT',
    refunds: 'REFUNDS',
    cash: 'CASH',
    float: 'FLOAT',
    cashSales: 'CASH SALES',
    cashRefunds: 'CASH REFUNDS',
    paidIn: 'PAID IN',
    paidOut: 'PAID OUT',
    expected: 'EXPECTED',
    counted: 'COUNTED',
    over: 'OVER',
    short: 'SHORT',
    even: 'EVEN',
    noSales: 'NO-SALE OPENS',
    batch: 'BATCH',
    debits: 'DEBITS (SALES)',
    credits: 'CREDITS (REFUNDS)',
    tenders: { card: 'CARD', cash: 'CASH', qr: 'QR' },
  },
};
