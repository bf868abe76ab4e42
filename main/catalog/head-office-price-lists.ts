/**
 * The station's catalog as the head office's price-list client takes it (`PriceListCatalog` in
 * main/head-office/price-list-client.ts): the head-office version it sells from (0 before the
 * first), and a newer list applied through StationCatalog.apply: checked item by item, written in
 * one transaction (so a restart sells from it offline too) and swapped in whole. Wrapped in
 * `BetweenSalesPriceList` with the checkout's sale state, a list never lands in the middle of a sale.
 * A list with a bad item is refused whole (CatalogRejectedError) and the version in force stays.
 */
import type { PriceListCatalog } from '../head-office/price-list-client.ts';
import type { StationCatalog } from './station-catalog.ts';

export function headOfficePriceListCatalog(catalog: StationCatalog): PriceListCatalog {
  return {
    appliedVersion: () => {
      const current = catalog.version();
      return current?.source === 'head_office' ? Number(current.version) : 0;
    },
    apply: (list) => {
      catalog.apply({ source: 'head_office', version: String(list.version), items: list.items, ...(list.note === '' ? {} : { note: list.note }) });
    },
  };
}
