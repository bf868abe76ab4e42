/** The station calls the checkout page makes as it loads, answered from the fixtures with the given catalog. */
import type { Product } from '../../common/catalog.ts';
import type { CheckoutContract } from '../../common/ipc/checkout-contract.ts';
import { ok } from '../../common/ipc/result.ts';
import { devices, linkStatus, stationInfo } from './fixtures.ts';
import type { Handlers } from './memory-api.ts';

export function loadingCheckoutHandlers(products: readonly Product[]): Handlers<CheckoutContract> {
  return {
    getStationInfo: () => ok(stationInfo),
    listCatalog: () => ok([...products]),
    listDevices: () => ok(devices),
    listJournal: () => ok([]),
    getLinkStatus: () => ok(linkStatus),
  };
}
