/**
 * The decoder reads other encoders' output, not only ours: receipt-printer-encoder (a different
 * style: alignment by spaces, CR after LF, column images) and node-thermal-printer used directly.
 */
import ReceiptPrinterEncoder from '@point-of-sale/receipt-printer-encoder';
import { BreakLine, CharacterSet, PrinterTypes, ThermalPrinter } from 'node-thermal-printer';
import { describe, expect, it } from 'vitest';
import type { ReceiptItem } from '../../common/receipt/model.ts';
import { receiptText } from '../../common/receipt/model.ts';
import { decodeEscPos } from './escpos-decoder.ts';
import { encodeOneBitPng } from './one-bit-png.ts';

/** A 16×8 RGBA picture: the left quarter black, the rest white. */
function picture(): { width: number; height: number; data: Uint8ClampedArray } {
  const width = 16;
  const height = 8;
  const data = new Uint8ClampedArray(width * height * 4);
  for (let pixel = 0; pixel < width * height; pixel++) {
    data.fill(pixel % width < 4 ? 0 : 255, pixel * 4, pixel * 4 + 3);
    data[pixel * 4 + 3] = 255;
  }
  return { width, height, data };
}

function firstImageRows(items: readonly ReceiptItem[]): number[] {
  const image = items.find((item) => item.kind === 'image');
  return image?.kind === 'image' ? [...Buffer.from(image.bitsBase64, 'base64')] : [];
}

describe('receipts from @point-of-sale/receipt-printer-encoder', () => {
  function saleReceipt(imageMode: 'raster' | 'column'): Uint8Array {
    return new ReceiptPrinterEncoder({ language: 'esc-pos', columns: 32, imageMode })
      .initialize()
      .codepage('auto')
      .align('center')
      .bold(true)
      .line('Café Zürich')
      .bold(false)
      .size(2, 2)
      .line('€ 12,50')
      .size(1, 1)
      .align('left')
      .rule()
      .table(
        [
          { width: 20, align: 'left' },
          { width: 12, align: 'right' },
        ],
        [
          ['Espresso', '3,50'],
          ['Croissant', '2,20'],
        ],
      )
      .underline(true)
      .text('Danke')
      .underline(false)
      .newline()
      .image(picture(), 16, 8, 'threshold')
      .barcode('REF-123', 'code128', { height: 60, text: 'below' })
      .qrcode('https://pos.example/r/REF-123')
      .cut('partial')
      .encode();
  }

  it.each(['raster', 'column'] as const)('decodes text, symbols, a %s image and the cut', (imageMode) => {
    const model = decodeEscPos(saleReceipt(imageMode));
    const text = receiptText(model);
    expect(model.unknown).toEqual([]);
    for (const expected of ['Café Zürich', '€ 12,50', '────────────────────────────────', 'Danke']) expect(text).toContain(expected);
    expect(text).toMatch(/Espresso +3,50/);
    expect(text).toMatch(/Croissant +2,20/);
    expect(model.items).toContainEqual({ kind: 'qr', data: 'https://pos.example/r/REF-123', align: 'left' });
    expect(model.items).toContainEqual({ kind: 'barcode', symbology: 'CODE128', data: 'REF-123', align: 'left' });
    expect(model.items.filter((item) => item.kind === 'cut')).toEqual([{ kind: 'cut', partial: true }]);
    // Column images are sent in 24-dot bands, so the picture comes back padded to 24 rows
    expect(model.items.find((item) => item.kind === 'image')).toMatchObject({ widthDots: 16, heightDots: imageMode === 'raster' ? 8 : 24 });
    expect(firstImageRows(model.items).slice(0, 16)).toEqual(Array.from({ length: 8 }, () => [0xf0, 0x00]).flat());
  });

  it('keeps its styles on the runs', () => {
    const model = decodeEscPos(saleReceipt('raster'));
    const runs = model.items.flatMap((item) => (item.kind === 'line' ? item.runs : []));
    expect(runs.find((run) => run.text === 'Café Zürich')).toMatchObject({ bold: true, width: 1 });
    expect(runs.find((run) => run.text === '€ 12,50')).toMatchObject({ bold: false, width: 2, height: 2 });
    expect(runs.find((run) => run.text === 'Danke')).toMatchObject({ underline: true });
  });

  it('decodes a drawer pulse and a full cut', () => {
    const model = decodeEscPos(new ReceiptPrinterEncoder({ language: 'esc-pos' }).initialize().line('x').pulse().cut().encode());
    expect(model.items.filter((item) => item.kind !== 'line')).toEqual([
      { kind: 'drawer', pin: 0 },
      { kind: 'cut', partial: false },
    ]);
  });
});

describe('node-thermal-printer used directly', () => {
  function printer(): ThermalPrinter {
    return new ThermalPrinter({ type: PrinterTypes.EPSON, interface: '', width: 48, breakLine: BreakLine.NONE });
  }

  it('decodes its code page switches, barcodes, PDF417 and image', async () => {
    const ntp = printer();
    ntp.setCharacterSet(CharacterSet.PC858_EURO);
    ntp.println('Preis: 5 €');
    ntp.printBarcode('12345678', 69, { hriPos: 2, hriFont: 0, width: 2, height: 50 });
    ntp.code128('ABC-1', { height: 50 });
    ntp.pdf417('PDF-DATA');
    await ntp.printImageBuffer(encodeOneBitPng({ widthDots: 8, heightDots: 1, bits: Uint8Array.of(0xa5) }));
    ntp.partialCut();
    const model = decodeEscPos(ntp.getBuffer());
    expect(model.unknown).toEqual([]);
    expect(receiptText(model)).toContain('Preis: 5 €');
    expect(model.items.filter((item) => item.kind === 'barcode')).toEqual([
      { kind: 'barcode', symbology: 'CODE39', data: '12345678', align: 'left' },
      { kind: 'barcode', symbology: 'CODE128', data: 'ABC-1', align: 'left' },
      { kind: 'barcode', symbology: 'PDF417', data: 'PDF-DATA', align: 'left' },
    ]);
    expect(firstImageRows(model.items)).toEqual([0xa5]);
    expect(model.items.at(-1)).toEqual({ kind: 'cut', partial: true });
  });

  it('shows why the builder sends its own drawer pulse: openCashDrawer leaves out t1 and t2', () => {
    const ntp = printer();
    ntp.openCashDrawer();
    const model = decodeEscPos(ntp.getBuffer());
    // ESC p 0 swallows the next ESC p as its timings; the stray 0x01 is left over
    expect(model.items).toEqual([{ kind: 'drawer', pin: 0 }]);
    expect(model.unknown).toEqual([{ offset: 5, bytes: '01' }]);
  });
});
