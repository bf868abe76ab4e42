/** The words printed on a sale receipt, in each receipt locale; bank-slip wording for the card parts in zh-CN. */
import type { CardScheme } from '../../common/card/scheme.ts';

export type ReceiptLocale = 'zh-CN' | 'en';

/** How a card was read, as its receipt says. */
export type ReceiptEntryMode = 'swipe' | 'fallback' | 'chip' | 'contactless';

export interface ReceiptLabels {
  readonly title: string;
  /** Under the title of a receipt printed again at the cashier's request. */
  readonly reprint: string;
  readonly merchantId: string;
  readonly terminalId: string;
  readonly dateTime: string;
  readonly total: string;
  readonly cardNumber: string;
  readonly cardScheme: string;
  readonly entryMode: string;
  readonly entryModes: Readonly<Record<ReceiptEntryMode, string>>;
  readonly aid: string;
  readonly applicationLabel: string;
  readonly transactionType: string;
  readonly sale: string;
  readonly approvalCode: string;
  readonly rrn: string;
  readonly stan: string;
  readonly responseCode: string;
  readonly cashReceived: string;
  readonly change: string;
  readonly receiptNumber: string;
  readonly cashier: string;
  readonly subtotal: string;
  readonly discount: string;
  readonly vat: string;
  readonly cash: string;
  readonly card: string;
  /** A QR (phone wallet) tender: the wallet, the masked payer account, the wallet's transaction id. */
  readonly qr: string;
  readonly wallet: string;
  readonly payer: string;
  readonly walletTransaction: string;
  readonly refunded: string;
  readonly voided: string;
  readonly linesNotRecorded: string;
  readonly reference: string;
  readonly thanks: string;
  readonly schemes: Readonly<Record<CardScheme, string>>;
}

export const RECEIPT_LABELS: Readonly<Record<ReceiptLocale, ReceiptLabels>> = {
  'zh-CN': {
    title: '销售小票',
    reprint: '*** 重打印 ***',
    merchantId: '商户编号',
    terminalId: '终端编号',
    dateTime: '日期时间',
    total: '合计',
    cardNumber: '卡号',
    cardScheme: '卡组织',
    entryMode: '读卡方式',
    entryModes: { swipe: '刷卡', fallback: '降级刷卡', chip: '插卡', contactless: '挥卡' },
    aid: 'AID',
    applicationLabel: '应用标签',
    transactionType: '交易类型',
    sale: '消费',
    approvalCode: '授权码',
    rrn: '参考号',
    stan: '凭证号',
    responseCode: '应答码',
    cashReceived: '实收现金',
    change: '找零',
    receiptNumber: '小票号',
    cashier: '收银员',
    subtotal: '小计',
    discount: '折扣',
    vat: '增值税',
    cash: '现金',
    card: '银行卡',
    qr: '扫码支付',
    wallet: '钱包',
    payer: '付款账户',
    walletTransaction: '交易单号',
    refunded: '已退款',
    voided: '*** 已撤销 ***',
    linesNotRecorded: '（旧版流水：未记录商品明细）',
    reference: '交易单号',
    thanks: '谢谢惠顾',
    schemes: { unionpay: '银联', visa: 'VISA', mastercard: 'MASTERCARD', amex: '美国运通', jcb: 'JCB', discover: 'DISCOVER' },
  },
  en: {
    title: 'SALE RECEIPT',
    reprint: '*** REPRINT ***',
    merchantId: 'MERCHANT ID',
    terminalId: 'TERMINAL ID',
    dateTime: 'DATE/TIME',
    total: 'TOTAL',
    cardNumber: 'CARD NO',
    cardScheme: 'CARD TYPE',
    entryMode: 'ENTRY',
    entryModes: { swipe: 'SWIPE', fallback: 'FALLBACK', chip: 'CHIP', contactless: 'CONTACTLESS' },
    aid: 'AID',
    applicationLabel: 'APP',
    transactionType: 'TXN TYPE',
    sale: 'SALE',
    approvalCode: 'AUTH CODE',
    rrn: 'REF NO',
    stan: 'TRACE NO',
    responseCode: 'RESP CODE',
    cashReceived: 'TENDERED',
    change: 'CHANGE',
    receiptNumber: 'RECEIPT NO',
    cashier: 'CASHIER',
    subtotal: 'SUBTOTAL',
    discount: 'DISCOUNT',
    vat: 'VAT',
    cash: 'CASH',
    card: 'CARD',
    qr: 'QR PAYMENT',
    wallet: 'WALLET',
    payer: 'PAYER',
    walletTransaction: 'TRANS ID',
    refunded: 'REFUNDED',
    voided: '*** VOIDED ***',
    linesNotRecorded: '(older journal: items not recorded)',
    reference: 'REFERENCE',
    thanks: 'THANK YOU',
    schemes: { unionpay: 'UnionPay', visa: 'VISA', mastercard: 'MASTERCARD', amex: 'AMEX', jcb: 'JCB', discover: 'DISCOVER' },
  },
};
