/**
 * The catalog as data: a file imported with every bad row named and nothing half-imported, the
 * store's versions (demo seed, local import, head office), and what a scanned code rings up.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Product } from '../../common/catalog.ts';
import { withCheckDigit } from '../../common/gtin.ts';
import { Catalog } from './catalog.ts';
import { parseCatalogText, readCatalogFile } from './catalog-file.ts';
import { CatalogFileError, describeRowError } from './catalog-rows.ts';
import { DEMO_CATALOG_FILE } from './demo-catalog.ts';
import { pinyinInitials } from './pinyin-initials.ts';
import { CatalogOwnedByHeadOfficeError, CatalogRejectedError, StationCatalog } from './station-catalog.ts';

const HEADER = 'sku,gtin,name_zh,name_en,category,price,vat_rate,active';
const dataDir = () => mkdtempSync(join(tmpdir(), 'catalog-'));
const item = (sku: string, gtin: string | undefined, fen: number, extra: Partial<Product> = {}): Product => ({
  sku,
  ...(gtin === undefined ? {} : { gtin }),
  name: { 'zh-CN': `商品${sku}`, en: `Item ${sku}` },
  price: { amountMinor: fen, currency: 'CNY' },
  vatRateBp: 1300,
  category: 'misc',
  active: true,
  ...extra,
});

describe('catalog files', () => {
  it('reads a CSV: yuan to fen without floats, VAT percent to basis points, empty GTIN and active', () => {
    const { items, errors } = parseCatalogText(`${HEADER},currency\nTEA-001,6900012345004,茉莉花茶,Jasmine tea,drinks,4.5,13%,,CNY\nBAG-1,,"购物袋, 大",Bag,misc,0.07,0,no,CNY\n`, 'csv');
    expect(errors).toEqual([]);
    expect(items).toEqual([
      { sku: 'TEA-001', gtin: '6900012345004', name: { 'zh-CN': '茉莉花茶', en: 'Jasmine tea' }, price: { amountMinor: 450, currency: 'CNY' }, vatRateBp: 1300, category: 'drinks', active: true },
      { sku: 'BAG-1', name: { 'zh-CN': '购物袋, 大', en: 'Bag' }, price: { amountMinor: 7, currency: 'CNY' }, vatRateBp: 0, category: 'misc', active: false },
    ]);
  });

  it('names every bad row: its line, its SKU, each field and why, duplicates across rows included', () => {
    const csv = [
      HEADER,
      'OK-1,6900012345004,茶,Tea,drinks,4.50,13,true',
      'BAD-1,6900012345005,水,Water,drinks,4.555,13,true',
      'BAD-2,,包,,food,1,8,maybe',
      'OK-1,0036000291452,面,Noodles,food,5,9,yes',
      'DUP-GTIN,036000291452,饼,Cake,food,5,9,yes',
      'SHORT,1,2',
    ].join('\n');
    const { items, errors } = parseCatalogText(csv, 'csv');
    expect(items.map((entry) => entry.sku)).toEqual(['OK-1']);
    expect(errors.map(describeRowError)).toEqual([
      "row 2 (line 3, sku BAD-1): price: '4.555' is not an amount in CNY with at most 2 decimals (e.g. 12.50); gtin: a GTIN whose check digit is right",
      "row 3 (line 4, sku BAD-2): vat_rate: '8' is not one of 13, 9, 6, 0 (percent); active: 'maybe' is not true/false, yes/no or 1/0; name_en: must not be empty",
      'row 4 (line 5, sku OK-1): sku: OK-1 is already used by row 1',
      // A UPC-A and the EAN-13 with its leading 0 are one GTIN.
      'row 5 (line 6, sku DUP-GTIN): gtin: 036000291452 is already used by row 4',
      'row 6 (line 7, sku SHORT): has 3 fields, the header has 8',
    ]);
  });

  it('refuses a file it cannot read as a catalog, saying why', () => {
    expect(() => parseCatalogText('sku,name\nA,B', 'csv')).toThrow(new CatalogFileError('line 1 (the header): missing column(s): gtin, name_zh, name_en, category, price, vat_rate, active; unknown column(s): name. Columns: sku, gtin, name_zh, name_en, category, price, vat_rate, active, currency'));
    expect(() => parseCatalogText('{"items": []}', 'json')).toThrow('a JSON catalog is an array of items');
    expect(() => parseCatalogText('[{', 'json')).toThrow(/not valid JSON/);
    expect(() => parseCatalogText(`${HEADER}\n"open`, 'csv')).toThrow(/not valid CSV: line 2: a quoted field is never closed/);
  });

  it('checks a JSON item by the station shape, strictly', () => {
    const { items, errors } = parseCatalogText(JSON.stringify([item('A', '6900012345004', 100), { ...item('B', undefined, 0), colour: 'red' }]), 'json');
    expect(items.map((entry) => entry.sku)).toEqual(['A']);
    expect(errors.map(describeRowError)).toEqual(['row 2 (sku B): price.amountMinor: must be more than zero; item: Unrecognized key: "colour"']);
  });

  it('ships the demo catalog as such a file, every row good', () => {
    const { items, errors } = readCatalogFile(DEMO_CATALOG_FILE);
    expect(errors).toEqual([]);
    expect(items).toHaveLength(20);
  });
});

describe('the station catalog', () => {
  it('seeds a new data directory with the demo catalog, once, with the pinyin initials of each name', () => {
    const dir = dataDir();
    const first = new StationCatalog({ dataDir: dir, seedFile: DEMO_CATALOG_FILE });
    expect(first.version()).toMatchObject({ source: 'demo', itemCount: 20 });
    expect(first.current().sellable('TEA-001')).toMatchObject({ name: { 'zh-CN': '茉莉花茶' }, initials: 'mlhc' });
    first.close();
    const again = new StationCatalog({ dataDir: dir, seedFile: join(dir, 'missing.csv') });
    expect(again.version()?.id).toBe(1);
    again.close();
  });

  it('refuses bad items whole: the version in force stays, row by row errors say why', () => {
    const catalog = new StationCatalog({ dataDir: dataDir() });
    catalog.apply({ source: 'import', items: [item('A', '6900012345004', 100)] });
    const attempt = () => catalog.apply({ source: 'import', items: [item('B', undefined, 200), item('C', '6900012345005', 300)] });
    expect(attempt).toThrow(CatalogRejectedError);
    try {
      attempt();
    } catch (error) {
      expect((error as CatalogRejectedError).errors.map(describeRowError)).toEqual(['row 2 (sku C): gtin: a GTIN whose check digit is right']);
    }
    expect(catalog.current().items().map((entry) => entry.sku)).toEqual(['A']);
    catalog.close();
  });

  it("lets a head office's price list win: applied whole, the same version again is a no-op, and a local import is then refused", () => {
    const catalog = new StationCatalog({ dataDir: dataDir(), seedFile: DEMO_CATALOG_FILE });
    const v7 = catalog.apply({ source: 'head_office', version: 'PL-7', items: [item('TEA-001', '6900012345004', 500)] });
    expect(v7).toMatchObject({ source: 'head_office', version: 'PL-7', itemCount: 1 });
    expect(catalog.current().sellable('TEA-001')?.price.amountMinor).toBe(500);
    expect(catalog.current().sellable('COF-001')).toBeUndefined();
    expect(catalog.apply({ source: 'head_office', version: 'PL-7', items: [item('TEA-001', '6900012345004', 500)] }).id).toBe(v7.id);
    expect(() => catalog.apply({ source: 'import', items: [item('X', undefined, 1)] })).toThrow(CatalogOwnedByHeadOfficeError);
    expect(catalog.apply({ source: 'head_office', version: 'PL-8', items: [item('TEA-001', '6900012345004', 550)] }).version).toBe('PL-8');
    expect(catalog.current().sellable('TEA-001')?.price.amountMinor).toBe(550);
    catalog.close();
  });

  it('picks up a version another process wrote (the import command while the station runs)', () => {
    const dir = dataDir();
    const station = new StationCatalog({ dataDir: dir, seedFile: DEMO_CATALOG_FILE });
    const command = new StationCatalog({ dataDir: dir });
    command.apply({ source: 'import', items: [item('NEW-1', undefined, 100)] });
    command.close();
    expect(station.current().listed().map((entry) => entry.sku)).toEqual(['NEW-1']);
    station.close();
  });

  it('lists and sells active items only; an inactive one stays for old receipts', () => {
    const catalog = new Catalog([item('ON', undefined, 100), item('OFF', '6900012345004', 100, { active: false })]);
    expect(catalog.listed().map((entry) => entry.sku)).toEqual(['ON']);
    expect(catalog.sellable('OFF')).toBeUndefined();
    expect(catalog.items()).toHaveLength(2);
  });
});

describe('npm run catalog:import', () => {
  const command = resolve(import.meta.dirname, 'import-command.ts');
  const run = (...args: string[]) => spawnSync(process.execPath, [command, ...args], { encoding: 'utf8' });

  it('imports nothing when a row is bad, lists the rows, and imports the good ones with --skip-bad-rows', () => {
    const dir = dataDir();
    const file = join(dir, 'catalog.csv');
    writeFileSync(file, `${HEADER}\nA-1,6900012345004,茶,Tea,drinks,4.50,13,true\nA-2,,水,Water,drinks,abc,13,true\n`);
    const refused = run(file, '--data', dir);
    expect(refused.status).toBe(1);
    expect(refused.stderr).toContain(`${file}: row 2 (line 3, sku A-2): price: 'abc' is not an amount in CNY`);
    expect(refused.stderr).toContain('1 bad row(s): nothing was imported.');
    const station = new StationCatalog({ dataDir: dir });
    expect(station.version()).toBeUndefined();

    const skipped = run(file, '--data', dir, '--skip-bad-rows');
    expect(skipped.status).toBe(0);
    expect(skipped.stdout).toMatch(/^Imported 1 item\(s\) from .*, 1 bad row\(s\) skipped into /);
    expect(station.current().listed().map((entry) => entry.sku)).toEqual(['A-1']);
    expect(station.version()).toMatchObject({ source: 'import', note: 'catalog.csv, 1 bad row(s) skipped' });
    station.close();
    expect(run().status).toBe(2);
  });
});

describe('scanned codes', () => {
  const scale = withCheckDigit('220000100000'); // a scale label template: item 00001, price digits zero
  const catalog = new Catalog([
    item('TEA', '6900012345004', 450),
    item('UPC', '036000291452', 300),
    item('APPLES', scale, 1200, { name: { 'zh-CN': '苹果', en: 'Apples' } }),
    item('OLD', '6900012345011', 100, { active: false }),
    item('LABEL-7', undefined, 100),
  ]);

  it('rings up an item by its GTIN, a UPC-A scanned as EAN-13, or its SKU printed as a barcode', () => {
    expect(catalog.resolveBarcode('6900012345004')).toEqual({ kind: 'item', sku: 'TEA', name: { 'zh-CN': '商品TEA', en: 'Item TEA' } });
    expect(catalog.resolveBarcode('0036000291452\r\n')).toMatchObject({ kind: 'item', sku: 'UPC' });
    expect(catalog.resolveBarcode('LABEL-7')).toMatchObject({ kind: 'item', sku: 'LABEL-7' });
  });

  it('reads a scale label as its item at the price in the code', () => {
    expect(catalog.resolveBarcode(withCheckDigit('220000101234'))).toEqual({ kind: 'priced_item', sku: 'APPLES', name: { 'zh-CN': '苹果', en: 'Apples' }, price: { amountMinor: 1234, currency: 'CNY' } });
  });

  it('says an item is no longer sold, and a code it does not know (a misread check digit included) is unknown', () => {
    expect(catalog.resolveBarcode('6900012345011')).toMatchObject({ kind: 'inactive', sku: 'OLD' });
    expect(catalog.resolveBarcode('6900012345005')).toEqual({ kind: 'unknown' });
    expect(catalog.resolveBarcode('https://example.cn/')).toEqual({ kind: 'unknown' });
  });
});

describe('pinyin initials', () => {
  it('takes each character by its reading in context, keeps digits and Latin letters', () => {
    expect(pinyinInitials('茉莉花茶')).toBe('mlhc');
    expect(pinyinInitials('重庆小面')).toBe('cqxm');
    expect(pinyinInitials('电池 (4节)')).toBe('dc4j');
    expect(pinyinInitials('USB充电线')).toBe('usbcdx');
  });
});
