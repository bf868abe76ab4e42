import iconv from 'iconv-lite';
import { describe, expect, it } from 'vitest';
import type { ReceiptItem, ReceiptModel } from '../../common/receipt/model.ts';
import { ReceiptModelSchema, receiptText } from '../../common/receipt/model.ts';
import { decodeEscPos, EscPosDecoder } from './escpos-decoder.ts';

const ESC = 0x1b;
const GS = 0x1d;
const FS = 0x1c;
const DLE = 0x10;
const LF = 0x0a;

/** Bytes from numbers, number arrays, ASCII strings and byte arrays. */
function bytes(...parts: (number | readonly number[] | string | Uint8Array)[]): Uint8Array {
  const out: number[] = [];
  for (const part of parts) {
    if (typeof part === 'number') out.push(part);
    else if (typeof part === 'string') out.push(...Buffer.from(part, 'latin1'));
    else out.push(...part);
  }
  return Uint8Array.from(out);
}

function lines(model: ReceiptModel): Extract<ReceiptItem, { kind: 'line' }>[] {
  return model.items.filter((item): item is Extract<ReceiptItem, { kind: 'line' }> => item.kind === 'line');
}

const plain = { bold: false, underline: false, invert: false, width: 1, height: 1 };

describe('decodeEscPos text and styles', () => {
  it('ends a line at LF and keeps empty lines as blank paper', () => {
    const model = decodeEscPos(bytes(ESC, 0x40, 'one', LF, LF, 'two', LF));
    expect(lines(model).map((line) => line.runs.map((run) => run.text).join(''))).toEqual(['one', '', 'two']);
    expect(model.unknown).toEqual([]);
    expect(ReceiptModelSchema.parse(model)).toEqual(model);
  });

  it('ignores CR, as printers with auto line feed off do', () => {
    expect(receiptText(decodeEscPos(bytes('a', 0x0d, LF, 'b', LF, 0x0d)))).toBe('a\nb');
  });

  it('splits runs at ESC E bold, ESC - underline and GS B invert', () => {
    const model = decodeEscPos(bytes('a', ESC, 0x45, 1, 'b', ESC, 0x45, 0, ESC, 0x2d, 2, 'c', ESC, 0x2d, 48, GS, 0x42, 1, 'd', GS, 0x42, 0, 'e', LF));
    expect(lines(model)[0]?.runs).toEqual([
      { ...plain, text: 'a' },
      { ...plain, text: 'b', bold: true },
      { ...plain, text: 'c', underline: true },
      { ...plain, text: 'd', invert: true },
      { ...plain, text: 'e' },
    ]);
  });

  it('reads GS ! as width (high nibble) and height (low nibble) multipliers', () => {
    const model = decodeEscPos(bytes(GS, 0x21, 0x10, 'w', GS, 0x21, 0x01, 'h', GS, 0x21, 0x77, 'x', GS, 0x21, 0, LF));
    expect(lines(model)[0]?.runs.map((run) => [run.text, run.width, run.height])).toEqual([
      ['w', 2, 1],
      ['h', 1, 2],
      ['x', 8, 8],
    ]);
  });

  it('reads ESC ! bits: emphasis 3, double height 4, double width 5, underline 7', () => {
    const model = decodeEscPos(bytes(ESC, 0x21, 0x08 | 0x10 | 0x20 | 0x80, 'big', ESC, 0x21, 0, 'small', LF));
    expect(lines(model)[0]?.runs).toEqual([
      { text: 'big', bold: true, underline: true, invert: false, width: 2, height: 2 },
      { ...plain, text: 'small' },
    ]);
  });

  it('takes a line alignment from ESC a at its start, in both parameter forms', () => {
    const model = decodeEscPos(bytes(ESC, 0x61, 1, 'mid', LF, ESC, 0x61, 0x32, 'right', LF, ESC, 0x61, 0, 'left', ESC, 0x61, 1, LF));
    expect(lines(model).map((line) => line.align)).toEqual(['center', 'right', 'left']);
  });

  it('resets styles, alignment and code page at ESC @', () => {
    const model = decodeEscPos(bytes(ESC, 0x45, 1, ESC, 0x61, 2, ESC, 0x74, 16, ESC, 0x40, 'x', 0x80, LF));
    expect(lines(model)[0]).toEqual({ kind: 'line', align: 'left', runs: [{ ...plain, text: 'xÇ' }] });
  });

  it('keeps text an ESC @ would discard, so an encoder bug is visible', () => {
    expect(receiptText(decodeEscPos(bytes('lost?', ESC, 0x40, 'next', LF)))).toBe('lost?\nnext');
  });

  it('keeps HT as a tab in the text', () => {
    expect(receiptText(decodeEscPos(bytes('a', 0x09, 'b', LF)))).toBe('a\tb');
  });
});

describe('decodeEscPos code pages', () => {
  it.each([
    [0, 0x9c, '£'], // PC437
    [0, 0xc4, '─'], // PC437 box drawing, as receipt-printer-encoder rules use
    [2, 0x9b, 'ø'], // PC850
    [19, 0xd5, '€'], // PC858
    [16, 0x80, '€'], // WPC1252
    [13, 0xd5, '€'], // PC857 with the euro sign printers have
  ])('ESC t %i decodes 0x%s', (page, byte, char) => {
    expect(receiptText(decodeEscPos(bytes(ESC, 0x74, page, byte, LF)))).toBe(char);
  });

  it('decodes ASCII the same on every page', () => {
    expect(receiptText(decodeEscPos(bytes(ESC, 0x74, 16, 'Total 12.34', LF)))).toBe('Total 12.34');
  });

  it('reports a code page it has no table for, and shows its high bytes as U+FFFD', () => {
    const model = decodeEscPos(bytes(ESC, 0x74, 99, 'a', 0xe0, LF));
    expect(receiptText(model)).toBe('a\uFFFD');
    expect(model.unknown).toEqual([{ offset: 0, bytes: '1b 74 63' }]);
  });
});

describe('decodeEscPos double-byte text', () => {
  it('decodes GB18030 between FS & and FS ., and single-byte pages outside', () => {
    const model = decodeEscPos(bytes(FS, 0x26, iconv.encode('合计 12.34 元', 'gb18030'), FS, 0x2e, ESC, 0x74, 16, 0x80, LF));
    expect(receiptText(model)).toBe('合计 12.34 元€');
  });

  it('decodes four-byte GB18030 sequences', () => {
    const encoded = iconv.encode('𠀀€', 'gb18030');
    expect(receiptText(decodeEscPos(bytes(FS, 0x26, encoded, FS, 0x2e, LF)))).toBe('𠀀€');
  });

  it('decodes GB18030 without FS & for printers that power up in double-byte mode', () => {
    const data = bytes(ESC, 0x40, iconv.encode('谢谢', 'gb18030'), LF);
    expect(receiptText(decodeEscPos(data, { doubleByteAtInit: true }))).toBe('谢谢');
    expect(receiptText(decodeEscPos(data))).not.toBe('谢谢');
  });
});

describe('decodeEscPos feeds and cuts', () => {
  it('prints a line and n−1 blank lines at ESC d n, and only pending text at ESC d 0', () => {
    expect(receiptText(decodeEscPos(bytes('a', ESC, 0x64, 3, 'b', ESC, 0x64, 0, ESC, 0x64, 0)))).toBe('a\n\n\nb');
  });

  it('ends pending text at ESC J without a blank line', () => {
    expect(receiptText(decodeEscPos(bytes('a', ESC, 0x4a, 40, 'b', LF)))).toBe('a\nb');
  });

  it.each([
    [[GS, 0x56, 0], false],
    [[GS, 0x56, 48], false],
    [[GS, 0x56, 1], true],
    [[GS, 0x56, 49], true],
    [[GS, 0x56, 65, 3], false],
    [[GS, 0x56, 66, 3], true],
    [[ESC, 0x69], true],
    [[ESC, 0x6d], true],
  ])('cuts at %j (partial %s), printing pending text first', (command, partial) => {
    const model = decodeEscPos(bytes('end', command, 'after', LF));
    expect(model.items.map((item) => item.kind)).toEqual(['line', 'cut', 'line']);
    expect(model.items[1]).toEqual({ kind: 'cut', partial });
  });
});

describe('decodeEscPos symbols', () => {
  it('prints a QR code with the data stored by GS ( k fn 80 when fn 81 prints it', () => {
    const data = 'https://pos.example/r/P-1';
    const store = bytes(GS, 0x28, 0x6b, (data.length + 3) & 0xff, (data.length + 3) >> 8, 0x31, 0x50, 0x30, data);
    const model = decodeEscPos(
      bytes(ESC, 0x61, 1, GS, 0x28, 0x6b, 4, 0, 0x31, 0x41, 0x32, 0, GS, 0x28, 0x6b, 3, 0, 0x31, 0x43, 6, GS, 0x28, 0x6b, 3, 0, 0x31, 0x45, 0x31, store, GS, 0x28, 0x6b, 3, 0, 0x31, 0x51, 0x30),
    );
    expect(model.items).toEqual([{ kind: 'qr', data, align: 'center' }]);
    expect(model.unknown).toEqual([]);
  });

  it('decodes a UTF-8 QR payload', () => {
    const data = Buffer.from('单号 P-1', 'utf8');
    const model = decodeEscPos(bytes(GS, 0x28, 0x6b, data.length + 3, 0, 0x31, 0x50, 0x30, data, GS, 0x28, 0x6b, 3, 0, 0x31, 0x51, 0x30));
    expect(model.items).toEqual([{ kind: 'qr', data: '单号 P-1', align: 'left' }]);
  });

  it('prints PDF417 from GS ( k cn 48 as a barcode item', () => {
    const model = decodeEscPos(bytes(GS, 0x28, 0x6b, 6, 0, 0x30, 0x50, 0x30, 'PDF', GS, 0x28, 0x6b, 3, 0, 0x30, 0x51, 0x30));
    expect(model.items).toEqual([{ kind: 'barcode', symbology: 'PDF417', data: 'PDF', align: 'left' }]);
  });

  it('reports a symbol print with nothing stored', () => {
    const model = decodeEscPos(bytes(GS, 0x28, 0x6b, 3, 0, 0x31, 0x51, 0x30));
    expect(model.items).toEqual([]);
    expect(model.unknown).toEqual([{ offset: 0, bytes: '1d 28 6b 03 00 31 51 30' }]);
  });

  it('decodes GS k function A (NUL-terminated) and consumes the HRI settings', () => {
    const model = decodeEscPos(bytes(GS, 0x48, 2, GS, 0x66, 0, GS, 0x68, 60, GS, 0x77, 2, GS, 0x6b, 2, '4006381333931', 0));
    expect(model.items).toEqual([{ kind: 'barcode', symbology: 'EAN13', data: '4006381333931', align: 'left' }]);
    expect(model.unknown).toEqual([]);
  });

  it('decodes GS k function B CODE128 without its code set selectors', () => {
    const model = decodeEscPos(bytes(ESC, 0x61, 1, GS, 0x6b, 73, 9, '{BREF-123'));
    expect(model.items).toEqual([{ kind: 'barcode', symbology: 'CODE128', data: 'REF-123', align: 'center' }]);
  });

  it('reads CODE128 code set C bytes as digit pairs', () => {
    const model = decodeEscPos(bytes(GS, 0x6b, 73, 6, '{C', 12, 34, 5, 67));
    expect(model.items).toEqual([{ kind: 'barcode', symbology: 'CODE128', data: '12340567', align: 'left' }]);
  });
});

describe('decodeEscPos images', () => {
  it('decodes a GS v 0 raster image row by row', () => {
    const model = decodeEscPos(bytes(GS, 0x76, 0x30, 0, 2, 0, 2, 0, 0xf0, 0x0f, 0xaa, 0x55));
    expect(model.items).toEqual([{ kind: 'image', widthDots: 16, heightDots: 2, bitsBase64: Buffer.from([0xf0, 0x0f, 0xaa, 0x55]).toString('base64') }]);
  });

  it('stretches a GS v 0 image printed at double width and height', () => {
    const model = decodeEscPos(bytes(GS, 0x76, 0x30, 3, 1, 0, 1, 0, 0x80));
    expect(model.items).toEqual([{ kind: 'image', widthDots: 16, heightDots: 2, bitsBase64: Buffer.from([0xc0, 0, 0xc0, 0]).toString('base64') }]);
  });

  it('turns ESC * column bands into one raster image', () => {
    // Two 8-dot bands of 2 columns: first column all black, second only its top dot
    const band = [ESC, 0x2a, 0, 2, 0, 0xff, 0x80];
    const model = decodeEscPos(bytes(ESC, 0x33, 8, band, LF, band, LF, ESC, 0x32));
    expect(model.items).toHaveLength(1);
    const image = model.items[0];
    expect(image).toMatchObject({ kind: 'image', widthDots: 2, heightDots: 16 });
    const rows = [...Buffer.from(image?.kind === 'image' ? image.bitsBase64 : '', 'base64')];
    expect(rows).toEqual([0xc0, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0xc0, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80]);
  });

  it('reads 24-dot ESC * bands three bytes a column', () => {
    const model = decodeEscPos(bytes(ESC, 0x2a, 33, 1, 0, 0x80, 0x00, 0x01, LF));
    expect(model.items[0]).toMatchObject({ kind: 'image', widthDots: 1, heightDots: 24 });
  });
});

describe('decodeEscPos drawer and status', () => {
  it('records ESC p pulses on pin 2 and pin 5', () => {
    const model = decodeEscPos(bytes(ESC, 0x70, 0, 25, 250, ESC, 0x70, 49, 25, 250));
    expect(model.items).toEqual([
      { kind: 'drawer', pin: 0 },
      { kind: 'drawer', pin: 1 },
    ]);
  });

  it('records the DLE DC4 1 real-time pulse', () => {
    expect(decodeEscPos(bytes(DLE, 0x14, 1, 0, 2)).items).toEqual([{ kind: 'drawer', pin: 0 }]);
  });

  it('consumes DLE EOT status requests, including the 4-byte forms', () => {
    const model = decodeEscPos(bytes(DLE, 0x04, 1, DLE, 0x04, 4, DLE, 0x04, 7, 1, 'x', LF));
    expect(receiptText(model)).toBe('x');
    expect(model.unknown).toEqual([]);
  });
});

describe('decodeEscPos settings without visible effect', () => {
  it('consumes spacing, font, margin, character set and HRI settings', () => {
    const settings = bytes(ESC, 0x20, 2, ESC, 0x33, 30, ESC, 0x32, ESC, 0x4d, 1, ESC, 0x52, 15, GS, 0x4c, 0, 0, GS, 0x57, 0x40, 2, ESC, 0x44, 8, 16, 0);
    const model = decodeEscPos(bytes(settings, FS, 0x21, 0x0c, ESC, 0x7b, 0, GS, 0x7c, 4, 'text', LF));
    expect(model.unknown).toEqual([]);
    expect(receiptText(model)).toBe('text');
  });
});

describe('decodeEscPos unknown commands', () => {
  it('reports an unframeable prefix at its offset and decodes what follows', () => {
    const model = decodeEscPos(bytes('ab', LF, ESC, 0x78, 'cd', LF));
    expect(model.unknown).toEqual([{ offset: 3, bytes: '1b 78' }]);
    expect(receiptText(model)).toBe('ab\ncd');
  });

  it('reports a framed command it cannot show with all its bytes, not mistaking them for text', () => {
    // GS ( L: graphics data in the printer's buffer
    const model = decodeEscPos(bytes(GS, 0x28, 0x4c, 4, 0, 0x30, 0x70, 0x41, 0x42, 'ok', LF));
    expect(model.unknown).toEqual([{ offset: 0, bytes: '1d 28 4c 04 00 30 70 41 42' }]);
    expect(receiptText(model)).toBe('ok');
  });

  it('reports stray control bytes', () => {
    expect(decodeEscPos(bytes(0x00, 'a', LF)).unknown).toEqual([{ offset: 0, bytes: '00' }]);
  });

  it('reports a command cut short by the end of the stream', () => {
    const model = decodeEscPos(bytes('a', LF, GS, 0x76, 0x30, 0, 10, 0, 10, 0, 1, 2, 3));
    expect(model.unknown).toEqual([{ offset: 2, bytes: '1d 76 30 00 0a 00 0a 00 01 02 03' }]);
  });

  it('shortens the hex of a long unknown command', () => {
    const payload = new Uint8Array(100);
    const model = decodeEscPos(bytes(GS, 0x28, 0x4c, payload.length, 0, payload));
    expect(model.unknown[0]?.bytes).toMatch(/^1d 28 4c 64 00 00 .* … \(105 bytes\)$/);
  });
});

describe('EscPosDecoder streaming', () => {
  const initialize = [ESC, 0x40];
  const center = [ESC, 0x61, 1];
  const chinese = bytes(FS, 0x26, iconv.encode('收据 𠀀', 'gb18030'), FS, 0x2e, LF);
  const image = [GS, 0x76, 0x30, 0, 1, 0, 2, 0, 0xff, 0x81];
  const qr = bytes(GS, 0x28, 0x6b, 4, 0, 0x31, 0x50, 0x30, 'Q', GS, 0x28, 0x6b, 3, 0, 0x31, 0x51, 0x30);
  const stream = bytes(initialize, center, chinese, image, qr, GS, 0x56, 1, 'second', LF, GS, 0x56, 0);

  it('splits receipts at cuts, each with its raw bytes', () => {
    const decoder = new EscPosDecoder();
    const receipts = decoder.push(stream);
    expect(receipts.map((receipt) => receiptText(receipt.model))).toEqual(['收据 𠀀\n[image 8x2]\n[QR Q]\n[partial cut]', 'second\n[cut]']);
    expect(Buffer.concat(receipts.map((receipt) => receipt.raw))).toEqual(Buffer.from(stream));
    expect(decoder.end()).toBeUndefined();
  });

  it('decodes the same whichever byte boundaries the stream arrives in', () => {
    const whole = new EscPosDecoder().push(stream).map((receipt) => receipt.model);
    for (let split = 1; split < stream.length; split++) {
      const decoder = new EscPosDecoder();
      const models = [...decoder.push(stream.subarray(0, split)), ...decoder.push(stream.subarray(split))].map((receipt) => receipt.model);
      expect(models, `split at ${split}`).toEqual(whole);
    }
  });

  it('decodes a stream fed one byte at a time', () => {
    const decoder = new EscPosDecoder();
    const models = [...stream].flatMap((byte) => decoder.push(Uint8Array.of(byte))).map((receipt) => receipt.model);
    expect(models).toEqual(new EscPosDecoder().push(stream).map((receipt) => receipt.model));
  });

  it('counts unknown offsets from the start of each receipt', () => {
    const receipts = new EscPosDecoder().push(bytes('a', GS, 0x56, 0, 'b', ESC, 0x78, GS, 0x56, 0));
    expect(receipts[1]?.model.unknown).toEqual([{ offset: 1, bytes: '1b 78' }]);
  });

  it('hands over what was printed without a cut when the stream ends', () => {
    const decoder = new EscPosDecoder();
    expect(decoder.push(bytes('no cut', LF, 'pending'))).toEqual([]);
    const rest = decoder.end();
    expect(rest && receiptText(rest.model)).toBe('no cut\npending');
  });
});
