/**
 * Barcode scans at the checkout: the station says what each code is (barcodeScanned); an item is
 * rung up, anything else is said plainly. While a payment is open the cart is being paid, so a scan
 * adds nothing and says so. The last scan's result stays on screen until the next scan or until the
 * cashier dismisses it.
 */
import { defineStore } from 'pinia';
import { ref } from 'vue';
import type { BarcodeScan } from '../../../common/barcode-scan.ts';
import { useCartStore } from './cart.ts';
import { useCatalogStore } from './catalog.ts';
import { usePaymentStore } from './payment.ts';

export type ScanResult = 'added' | 'unknown' | 'inactive' | 'priced' | 'payment_open';

export const useScannerStore = defineStore('scanner', () => {
  const cart = useCartStore();
  const catalog = useCatalogStore();
  const payment = usePaymentStore();
  const last = ref<{ readonly scan: BarcodeScan; readonly result: ScanResult }>();

  /** Listener for onBarcodeScanned. */
  async function onScan(scan: BarcodeScan): Promise<void> {
    if (payment.active) {
      last.value = { scan, result: 'payment_open' };
      return;
    }
    const { outcome } = scan;
    if (outcome.kind === 'item') {
      // The station's catalog may be newer than this page's (an import meanwhile): catch up first.
      if (!catalog.bySku.has(outcome.sku)) await catalog.load();
      if (!catalog.bySku.has(outcome.sku)) {
        last.value = { scan, result: 'unknown' };
        return;
      }
      cart.add(outcome.sku);
      last.value = { scan, result: 'added' };
      return;
    }
    last.value = { scan, result: outcome.kind === 'priced_item' ? 'priced' : outcome.kind };
  }

  function dismiss(): void {
    last.value = undefined;
  }

  return { last, onScan, dismiss };
});
