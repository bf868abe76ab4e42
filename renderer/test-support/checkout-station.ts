/** The station a checkout page loads from, answered from the fixtures with the given catalog: a cashier signed in, a shift open, sales rung up from that catalog. */
import type { CheckoutContract } from '../../common/ipc/checkout-contract.ts';
import { fakeStation, SIGNED_IN, type FakeCatalog } from './fake-station.ts';
import type { Handlers } from './memory-api.ts';

export function loadingCheckoutHandlers(products: FakeCatalog): Handlers<CheckoutContract> {
  return fakeStation(SIGNED_IN, products);
}
