/**
 * RFC 4180 CSV, as spreadsheets save it: comma-separated fields, double quotes around a field that
 * holds a comma, a quote ("" inside) or a line break, CRLF or LF line ends, and the UTF-8 byte-order
 * mark Excel puts first. Each record keeps the file line it starts on, so an import error can point
 * at it. Blank lines are skipped.
 */

export interface CsvRecord {
  /** The 1-based line of the file the record starts on. */
  readonly line: number;
  readonly fields: readonly string[];
}

export class CsvSyntaxError extends Error {
  override readonly name = 'CsvSyntaxError';
}

export function parseCsv(text: string): CsvRecord[] {
  const input = text.startsWith('\ufeff') ? text.slice(1) : text;
  const records: CsvRecord[] = [];
  let fields: string[] = [];
  let field = '';
  let line = 1;
  let recordLine = 1;
  /** A record of one quoted empty field ("") is a record; a blank line is not. */
  let quoted = false;
  let at = 0;
  const endField = () => {
    fields.push(field);
    field = '';
  };
  const endRecord = () => {
    endField();
    if (fields.length > 1 || fields[0] !== '' || quoted) records.push({ line: recordLine, fields });
    fields = [];
    quoted = false;
  };
  while (at < input.length) {
    const char = input[at] as string;
    if (char === '"' && field === '') {
      const quoteLine = line;
      quoted = true;
      at += 1;
      for (;;) {
        if (at >= input.length) throw new CsvSyntaxError(`line ${quoteLine}: a quoted field is never closed`);
        const inner = input[at] as string;
        if (inner === '"' && input[at + 1] === '"') {
          field += '"';
          at += 2;
        } else if (inner === '"') {
          at += 1;
          break;
        } else {
          if (inner === '\n') line += 1;
          field += inner;
          at += 1;
        }
      }
      const next = input[at];
      if (next !== undefined && next !== ',' && next !== '\n' && next !== '\r') throw new CsvSyntaxError(`line ${line}: text after a closing quote`);
      continue;
    }
    if (char === ',') {
      endField();
      at += 1;
    } else if (char === '\r' || char === '\n') {
      endRecord();
      at += char === '\r' && input[at + 1] === '\n' ? 2 : 1;
      line += 1;
      recordLine = line;
    } else if (char === '"') {
      throw new CsvSyntaxError(`line ${line}: a quote inside an unquoted field (quote the whole field and double the quote)`);
    } else {
      field += char;
      at += 1;
    }
  }
  if (field !== '' || fields.length > 0 || quoted) endRecord();
  return records;
}
