/**
 * Reads a catalog file for import: CSV (the spreadsheet a merchant keeps) or JSON (the station's own
 * item shape), told apart by the file's extension, else by its first character. Answers the items and
 * the per-row errors (catalog-rows.ts); a file that cannot be read as a catalog at all is a
 * CatalogFileError saying why.
 */
import { readFileSync } from 'node:fs';
import { extname } from 'node:path';
import { CatalogFileError, itemsFromCsv, itemsFromJson, type CatalogRows } from './catalog-rows.ts';
import { CsvSyntaxError, parseCsv } from './csv.ts';

export function readCatalogFile(path: string): CatalogRows {
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(readFileSync(path));
  } catch (error) {
    const reason = error instanceof TypeError ? 'it is not UTF-8 text (save the spreadsheet as "CSV UTF-8")' : error instanceof Error ? error.message : String(error);
    throw new CatalogFileError(`cannot read ${path}: ${reason}`);
  }
  return parseCatalogText(text, formatOf(path, text));
}

export function parseCatalogText(text: string, format: 'csv' | 'json'): CatalogRows {
  if (format === 'json') {
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch (error) {
      throw new CatalogFileError(`not valid JSON: ${error instanceof Error ? error.message : String(error)}`);
    }
    return itemsFromJson(value);
  }
  try {
    return itemsFromCsv(parseCsv(text));
  } catch (error) {
    if (error instanceof CsvSyntaxError) throw new CatalogFileError(`not valid CSV: ${error.message}`);
    throw error;
  }
}

function formatOf(path: string, text: string): 'csv' | 'json' {
  const extension = extname(path).toLowerCase();
  if (extension === '.json') return 'json';
  if (extension === '.csv') return 'csv';
  return /^\ufeff?\s*[[{]/.test(text) ? 'json' : 'csv';
}
