/** The head office's price lists applied to the station's catalog between sales, through the head office's own client pieces. */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { PriceList } from '../../common/head-office/price-list.ts';
import { BetweenSalesPriceList } from '../head-office/price-list-client.ts';
import { DEMO_CATALOG, DEMO_CATALOG_FILE } from './demo-catalog.ts';
import { headOfficePriceListCatalog } from './head-office-price-lists.ts';
import { CatalogOwnedByHeadOfficeError, CatalogRejectedError, StationCatalog } from './station-catalog.ts';

const list = (version: number, teaFen: number): PriceList => ({
  version,
  publishedAt: '2026-01-05T00:00:00.000Z',
  note: `list ${version}`,
  items: DEMO_CATALOG.map((item) => (item.sku === 'TEA-001' ? { ...item, price: { ...item.price, amountMinor: teaFen } } : item)),
});

describe('head office price lists', () => {
  it('are applied between sales only, persisted, and then own the catalog', () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'price-lists-'));
    const catalog = new StationCatalog({ dataDir, seedFile: DEMO_CATALOG_FILE });
    let saleOpen = false;
    const target = new BetweenSalesPriceList(headOfficePriceListCatalog(catalog), { saleOpen: () => saleOpen });
    expect(target.currentVersion()).toBe(0);

    target.offer(list(3, 500));
    expect(catalog.version()).toMatchObject({ source: 'head_office', version: '3', note: 'list 3' });
    expect(catalog.current().sellable('TEA-001')?.price.amountMinor).toBe(500);

    saleOpen = true;
    target.offer(list(4, 520));
    expect(catalog.current().sellable('TEA-001')?.price.amountMinor).toBe(500);
    saleOpen = false;
    target.saleEnded();
    expect(catalog.current().sellable('TEA-001')?.price.amountMinor).toBe(520);
    expect(target.currentVersion()).toBe(4);
    expect(() => catalog.apply({ source: 'import', items: DEMO_CATALOG })).toThrow(CatalogOwnedByHeadOfficeError);
    catalog.close();

    const restarted = new StationCatalog({ dataDir, seedFile: DEMO_CATALOG_FILE });
    expect(headOfficePriceListCatalog(restarted).appliedVersion()).toBe(4);
    expect(restarted.current().sellable('TEA-001')?.price.amountMinor).toBe(520);
    restarted.close();
  });

  it('refuses a list with a bad item whole, keeping the version in force', () => {
    const catalog = new StationCatalog({ dataDir: mkdtempSync(join(tmpdir(), 'price-lists-')), seedFile: DEMO_CATALOG_FILE });
    const target = headOfficePriceListCatalog(catalog);
    target.apply(list(1, 450));
    const bad = list(2, 460);
    expect(() => target.apply({ ...bad, items: [...bad.items, { ...bad.items[0]!, sku: 'BAD-1', gtin: '6900012345005' }] })).toThrow(CatalogRejectedError);
    expect(target.appliedVersion()).toBe(1);
    expect(catalog.current().sellable('TEA-001')?.price.amountMinor).toBe(450);
    catalog.close();
  });
});
