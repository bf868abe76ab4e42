/**
 * Every scan of the station's barcode scanner, resolved against the catalog now and told to the
 * checkout: the item to ring up, the price-embedded label's item and price, or why there is none.
 * Bad reads are logged (by reason only: a scanned code can be a customer's payment code, so no code
 * is ever logged) and go no further; the cashier simply scans again. A customer's payment code is
 * no item: it goes to the QR tender waiting for it (checkout/flows/qr-presentment.ts), never to the
 * checkout's item lookup or its screen.
 */
import type { BarcodeScan } from '../../common/barcode-scan.ts';
import { isPaymentCode } from '../../common/qr/payment-code.ts';
import type { ScanRead } from '../../peripherals/scanner/scan-read.ts';
import type { DeviceReads } from '../devices/device-reads.ts';
import type { Catalog } from './catalog.ts';

export function forwardScans(scans: DeviceReads<ScanRead>, catalog: () => Catalog, emit: (scan: BarcodeScan) => void, log: (line: string) => void): () => void {
  return scans.subscribe((read) => {
    if (read.kind === 'bad_read') {
      log(`scanner: bad read (${read.reason}), ignored`);
      return;
    }
    const code = read.code.trim();
    if (code.length === 0 || isPaymentCode(code)) return;
    emit({ code, ...(read.symbology === undefined ? {} : { symbology: read.symbology }), outcome: catalog().resolveBarcode(code) });
  });
}
