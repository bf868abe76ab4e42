import iconv from 'iconv-lite';
import { describe, expect, it } from 'vitest';
import { encodePrinterText, toPrintableAscii } from './printer-text.ts';

describe('encodePrinterText', () => {
  it('sends ASCII as it is', () => {
    expect([...encodePrinterText('TOTAL 1.00', 'gb18030')]).toEqual([...Buffer.from('TOTAL 1.00')]);
  });

  it('wraps anything else in FS & … FS . as GB18030 on a CJK printer', () => {
    expect([...encodePrinterText('合计 1.00', 'gb18030')]).toEqual([0x1c, 0x26, ...iconv.encode('合计 1.00', 'gb18030'), 0x1c, 0x2e]);
  });

  it('falls back to printable ASCII on a printer without CJK', () => {
    expect(Buffer.from(encodePrinterText('Caffè ＬＡＴＴＥ 拿铁', 'none')).toString('latin1')).toBe('Caffe LATTE ??');
  });

  it('neutralises control characters so data cannot become commands', () => {
    const hostile = 'a\u001bp\u0000\u001c.\u001dV合';
    expect([...encodePrinterText(hostile, 'gb18030')]).toEqual([0x1c, 0x26, ...iconv.encode('a p  . V合', 'gb18030'), 0x1c, 0x2e]);
    expect(Buffer.from(encodePrinterText(hostile, 'none')).toString('latin1')).toBe('a p  . V?');
  });
});

describe('toPrintableAscii', () => {
  it('drops accents and narrows full-width forms', () => {
    expect(toPrintableAscii('Zürich １２３')).toBe('Zurich 123');
  });
});
