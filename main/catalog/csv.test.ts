/** CSV as spreadsheets write it, and the mistakes they do not make but people do. */
import { describe, expect, it } from 'vitest';
import { CsvSyntaxError, parseCsv } from './csv.ts';

describe('CSV', () => {
  it('reads fields, quoted fields with commas, quotes and line breaks, CRLF, a BOM and a last line with no break', () => {
    const text = '\ufeffsku,name\r\nTEA-001,"Tea, jasmine"\r\nBUN-1,"say ""hi""\nthen go"\nX,""';
    expect(parseCsv(text)).toEqual([
      { line: 1, fields: ['sku', 'name'] },
      { line: 2, fields: ['TEA-001', 'Tea, jasmine'] },
      { line: 3, fields: ['BUN-1', 'say "hi"\nthen go'] },
      { line: 5, fields: ['X', ''] },
    ]);
  });

  it('skips blank lines and keeps empty fields', () => {
    expect(parseCsv('a,,c\n\n\n,b,\n')).toEqual([
      { line: 1, fields: ['a', '', 'c'] },
      { line: 4, fields: ['', 'b', ''] },
    ]);
  });

  it('names the line of an unclosed quote, or of a stray quote', () => {
    expect(() => parseCsv('a,b\n"open,c\nd')).toThrow(new CsvSyntaxError('line 2: a quoted field is never closed'));
    expect(() => parseCsv('a,b\nab"c,d')).toThrow(/line 2: a quote inside an unquoted field/);
    expect(() => parseCsv('"a"b,c')).toThrow(/line 1: text after a closing quote/);
  });
});
