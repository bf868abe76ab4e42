/**
 * How a customer-presented QR tender is presented: the cashier scans the customer's payment code
 * with the barcode scanner (peripherals/scanner). Only a read shaped like a payment code counts;
 * anything else while the tender waits (an item's barcode) is a bad read the cashier is told of.
 * A merchant-presented QR tender needs no presentment: the station shows its code at once
 * (TenderService.startQr).
 */
import { isPaymentCode } from '../../../common/qr/payment-code.ts';
import type { ScanRead } from '../../../peripherals/scanner/scan-read.ts';
import type { DeviceReads } from '../../devices/device-reads.ts';
import type { PresentmentSource } from './flow-registry.ts';
import type { Presentment } from './tender-flow.ts';
import type { QrPresentmentData } from './qr-flow.ts';

export function scannedPaymentCode(scans: DeviceReads<ScanRead>): PresentmentSource {
  return (signal, onBadRead) =>
    new Promise<Presentment<QrPresentmentData>>((resolve, reject) => {
      if (signal.aborted) return reject(signal.reason);
      const stop = scans.subscribe((read) => {
        if (read.kind === 'bad_read' || !isPaymentCode(read.code.trim())) return onBadRead();
        finish();
        resolve({ entryMode: 'qr', data: { mode: 'customer_presented', authCode: read.code.trim() } });
      });
      const onAbort = () => {
        finish();
        reject(signal.reason);
      };
      function finish() {
        stop();
        signal.removeEventListener('abort', onAbort);
      }
      signal.addEventListener('abort', onAbort, { once: true });
    });
}
