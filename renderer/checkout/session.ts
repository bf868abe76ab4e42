/**
 * The checkout page's link to the station: subscribe to the pushed events first, so nothing that
 * happens during the initial loads is missed, then load everything the page shows.
 */
import { onBeforeUnmount } from 'vue';
import { posApi } from './pos-api.ts';
import { useCartStore } from './stores/cart.ts';
import { useCatalogStore } from './stores/catalog.ts';
import { useDevicesStore } from './stores/devices.ts';
import { useJournalStore } from './stores/journal.ts';
import { useKioskStore } from './stores/kiosk.ts';
import { useLinkStore } from './stores/link.ts';
import { useHeadOfficeStore } from './stores/head-office.ts';
import { usePaymentStore } from './stores/payment.ts';
import { useReceiptStore } from './stores/receipt.ts';
import { useScannerStore } from './stores/scanner.ts';
import { useSessionStore } from './stores/session.ts';
import { useStationStore } from './stores/station.ts';

export function useCheckoutSession(): void {
  const api = posApi.use();
  const payment = usePaymentStore();
  const devices = useDevicesStore();
  const receipt = useReceiptStore();
  const link = useLinkStore();
  const journal = useJournalStore();
  const cart = useCartStore();
  const session = useSessionStore();

  const unsubscribes = [
    api.onPaymentProgress(payment.onProgress),
    api.onCurrentSale(cart.onCurrentSale),
    api.onSaleChanged(journal.onChanged),
    api.onSession(session.onSession),
    api.onDeviceStatus(devices.onStatus),
    api.onReceiptPrinted(receipt.onPrinted),
    api.onLinkStatus(link.onStatus),
    api.onHeadOfficeStatus(useHeadOfficeStore().onStatus),
    api.onReceiptIssue(receipt.onIssue),
    api.onBarcodeScanned((scan) => void useScannerStore().onScan(scan)),
    api.onKioskExitRequested(() => void useKioskStore().onExitRequested()),
  ];
  onBeforeUnmount(() => {
    for (const unsubscribe of unsubscribes) unsubscribe();
  });

  void useStationStore().load();
  void useCatalogStore().load();
  void session.load();
  void cart.load();
  void devices.load();
  void journal.refresh();
  void link.load();
}
