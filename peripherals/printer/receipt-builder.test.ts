import { describe, expect, it } from 'vitest';
import type { ReceiptItem, ReceiptModel } from '../../common/receipt/model.ts';
import { receiptText } from '../../common/receipt/model.ts';
import { decodeEscPos } from './escpos-decoder.ts';
import { buildSaleReceipt, PAPER, type CardTender, type PrinterProfile, type SaleReceipt } from './receipt-builder.ts';
import { SAMPLE_CARD_SALE, SAMPLE_SPLIT_SALE } from './sample-receipts.ts';
import { stationLogo } from './station-logo.ts';
import { displayWidth } from './text-columns.ts';

const cardSale = SAMPLE_CARD_SALE;
const splitSale = SAMPLE_SPLIT_SALE;
const cardTender = cardSale.tenders[0] as CardTender;

const chinese80: PrinterProfile = { widthMm: 80, cjk: 'gb18030' };
const options = { timeZone: 'Asia/Shanghai' };

async function decoded(receipt: SaleReceipt, profile: PrinterProfile = chinese80, extra = {}): Promise<{ bytes: Uint8Array; model: ReceiptModel; text: string }> {
  const bytes = await buildSaleReceipt(receipt, profile, { ...options, ...extra });
  const model = decodeEscPos(bytes);
  return { bytes, model, text: receiptText(model) };
}

function lineItems(model: ReceiptModel): Extract<ReceiptItem, { kind: 'line' }>[] {
  return model.items.filter((item): item is Extract<ReceiptItem, { kind: 'line' }> => item.kind === 'line');
}

function contains(haystack: Uint8Array, needle: readonly number[]): boolean {
  return Buffer.from(haystack).includes(Buffer.from(needle));
}

describe('buildSaleReceipt round trip through the decoder', () => {
  it('prints a zh-CN receipt in Chinese that decodes back', async () => {
    const { bytes, model, text } = await decoded(cardSale);
    expect(model.unknown).toEqual([]);
    expect(contains(bytes, [0x1c, 0x26])).toBe(true);
    for (const expected of ['示范便利店', '销售小票', '拿铁咖啡', '茶叶蛋', '合计', '卡号', '银联', '授权码', '谢谢惠顾']) expect(text).toContain(expected);
    expect(text).toMatch(/卡号 +621234\*{6}1232/);
    expect(text).toMatch(/合计 +CNY 33\.90/);
    expect(text).toMatch(/小票号 +000123/);
    expect(text).toMatch(/收银员 +1001/);
    expect(text).toMatch(/授权码 +A1B2C3/);
    expect(text).toMatch(/参考号 +632510000123/);
    expect(text).toMatch(/凭证号 +000123/);
    expect(text).toMatch(/日期时间 +2026-11-21 10:16:16/);
    expect(text).toMatch(/  2 x 18\.00 +36\.00\n  折扣 +-3\.60/);
    expect(model.items).toContainEqual({ kind: 'qr', data: 'POS00001-000123', align: 'center' });
    expect(model.items.at(-1)).toEqual({ kind: 'cut', partial: true });
  });

  it('prints an en receipt with English labels', async () => {
    const { model, text } = await decoded({ ...cardSale, locale: 'en' });
    expect(model.unknown).toEqual([]);
    for (const expected of ['Demo Convenience Store', 'SALE RECEIPT', 'Caffè latte', 'Tea egg', 'UnionPay', 'THANK YOU']) expect(text).toContain(expected);
    expect(text).toMatch(/CARD NO +621234\*{6}1232/);
    expect(text).toMatch(/TOTAL +CNY 33\.90/);
    expect(text).toMatch(/AUTH CODE +A1B2C3/);
    expect(text).not.toMatch(/[\u4e00-\u9fff]/);
    expect(model.items).toContainEqual({ kind: 'qr', data: 'POS00001-000123', align: 'center' });
    expect(model.items.at(-1)).toEqual({ kind: 'cut', partial: true });
  });

  it('marks a reprint under the title, in the receipt language, and only a reprint', async () => {
    expect((await decoded(cardSale, chinese80, { reprint: true })).text).toMatch(/销售小票\n\*\*\* 重打印 \*\*\*/);
    expect((await decoded({ ...cardSale, locale: 'en' }, chinese80, { reprint: true })).text).toMatch(/SALE RECEIPT\n\*\*\* REPRINT \*\*\*/);
    expect((await decoded(cardSale)).text).not.toContain('重打印');
  });

  it('prints the merchant name centred, bold, double size', async () => {
    const { model } = await decoded(cardSale);
    const title = lineItems(model).find((line) => line.runs.some((run) => run.text === '示范便利店'));
    expect(title).toEqual({ kind: 'line', align: 'center', runs: [{ text: '示范便利店', bold: true, underline: false, invert: false, width: 2, height: 2 }] });
  });

  it('prints the total bold at double height', async () => {
    const { model } = await decoded(cardSale);
    const total = lineItems(model).find((line) => line.runs.some((run) => run.text.startsWith('合计')));
    expect(total?.runs.every((run) => run.bold && run.height === 2 && run.width === 1)).toBe(true);
  });

  it('gives a printer without a CJK font an English, ASCII-only receipt even for a zh-CN sale', async () => {
    const { bytes, model, text } = await decoded(cardSale, { widthMm: 58, cjk: 'none' });
    expect(contains(bytes, [0x1c, 0x26])).toBe(false);
    expect(model.unknown).toEqual([]);
    expect(text).toContain('Caffe latte');
    expect(text).toContain('SALE RECEIPT');
    expect(text).not.toMatch(/[^\u0000-\u007f]/);
  });
});

describe('buildSaleReceipt card data', () => {
  it('masks a full PAN handed to it by mistake', async () => {
    const { text } = await decoded({ ...cardSale, tenders: [{ ...cardTender, maskedPan: '6212345678901232' }] });
    expect(text).toContain('621234******1232');
    expect(text).not.toContain('6212345678901232');
  });

  it('re-masks a "masked" PAN that shows more than six and four digits', async () => {
    const { text } = await decoded({ ...cardSale, tenders: [{ ...cardTender, maskedPan: '62123456789**232' }] });
    expect(text).toMatch(/卡号 +\*{13}232\n/);
    expect(text).not.toContain('62123456789');
  });
});

describe('buildSaleReceipt data hygiene', () => {
  it('never lets control characters in names become printer commands', async () => {
    const evil = { 'zh-CN': '坏\u001bp\u0000\u0019\u00fa名', en: 'Bad\u001dV\u0000name' };
    for (const locale of ['zh-CN', 'en'] as const) {
      const { model } = await decoded({ ...cardSale, locale, lines: [{ ...cardSale.lines[0]!, name: evil }] });
      expect(model.unknown).toEqual([]);
      expect(model.items.filter((item) => item.kind === 'drawer' || item.kind === 'cut')).toEqual([{ kind: 'cut', partial: true }]);
    }
  });

  it('refuses a reference that is not printable ASCII', async () => {
    await expect(buildSaleReceipt({ ...cardSale, reference: '单号' }, chinese80)).rejects.toThrow(RangeError);
    await expect(buildSaleReceipt({ ...cardSale, reference: '' }, chinese80)).rejects.toThrow(RangeError);
  });
});

describe('buildSaleReceipt paper widths', () => {
  it.each([58, 80] as const)('keeps every line within the %i mm paper', async (widthMm) => {
    const long = { 'zh-CN': '特别长的商品名称需要折行才能打印在纸上'.repeat(2), en: 'A product name long enough to need wrapping on any paper' };
    for (const locale of ['zh-CN', 'en'] as const) {
      const { model } = await decoded({ ...cardSale, locale, lines: [...cardSale.lines, { ...cardSale.lines[1]!, name: long }] }, { widthMm, cjk: 'gb18030' });
      const widest = Math.max(...lineItems(model).map((line) => line.runs.reduce((cells, run) => cells + displayWidth(run.text) * run.width, 0)));
      expect(widest).toBe(PAPER[widthMm].columns);
    }
  });

  it('prints the CODE128 reference barcode when it fits the paper', async () => {
    const wide = await decoded({ ...cardSale, reference: 'P-20261121-000123' }, chinese80);
    expect(wide.model.items).toContainEqual({ kind: 'barcode', symbology: 'CODE128', data: 'P-20261121-000123', align: 'center' });
    const narrowShort = await decoded({ ...cardSale, reference: 'P-000123' }, { widthMm: 58, cjk: 'gb18030' });
    expect(narrowShort.model.items).toContainEqual({ kind: 'barcode', symbology: 'CODE128', data: 'P-000123', align: 'center' });
  });

  it('leaves the barcode out where it would be clipped, keeping the QR code', async () => {
    const { model } = await decoded({ ...cardSale, reference: 'P-20261121-000123' }, { widthMm: 58, cjk: 'gb18030' });
    expect(model.items.some((item) => item.kind === 'barcode')).toBe(false);
    expect(model.items).toContainEqual({ kind: 'qr', data: 'P-20261121-000123', align: 'center' });
  });
});

describe('buildSaleReceipt tenders and VAT', () => {
  it('prints each tender: cash with what was handed over and the change, then the card with its references', async () => {
    const { text } = await decoded({ ...splitSale, locale: 'en' });
    expect(text).toMatch(/CASH +CNY 10\.00\n  TENDERED +CNY 50\.00\n  CHANGE +CNY 40\.00\nCARD +CNY 23\.90\n  CARD NO +621234\*{6}1232/);
  });

  it('prints the VAT in the total by rate, and the discounts', async () => {
    const { text } = await decoded({ ...cardSale, locale: 'en' });
    expect(text).toMatch(/SUBTOTAL +37\.50\nDISCOUNT +-3\.60\n/);
    expect(text).toMatch(/VAT 13% \(32\.40\) +3\.73\nVAT 9% \(1\.50\) +0\.12/);
  });

  it('says when a sale was refunded or voided since, and when its lines were never recorded', async () => {
    const { text } = await decoded({ ...cardSale, locale: 'en', refunded: { amountMinor: 500, currency: 'CNY' }, voided: true, lines: [], linesNotRecorded: true });
    expect(text).toContain('(older journal: items not recorded)');
    expect(text).toMatch(/REFUNDED +CNY 5\.00/);
    expect(text).toContain('*** VOIDED ***');
  });

  it('never holds a drawer pulse: the drawer is pulsed on its own, for cash only', async () => {
    for (const receipt of [cardSale, splitSale]) expect((await decoded(receipt)).model.items.some((item) => item.kind === 'drawer')).toBe(false);
  });

  it('prints the station logo through node-thermal-printer as a 1-bit raster', async () => {
    const { model } = await decoded(cardSale, chinese80, { logo: true });
    const logo = stationLogo();
    expect(model.items[0]).toEqual({ kind: 'image', widthDots: logo.widthDots, heightDots: logo.heightDots, bitsBase64: Buffer.from(logo.bits).toString('base64') });
  });
});
