/**
 * The simulated-devices panel's barcode scanner: it offers catalog items' barcodes to scan (a few at
 * a time, found by a query: the catalog may hold thousands) and an unknown code, and reads a code
 * with the virtual scanner exactly as pulling the trigger over a label would.
 */
import type { SimulatorContract } from '../../common/ipc/simulator-contract.ts';
import { isValidGtin, withCheckDigit } from '../../common/gtin.ts';
import type { Catalog } from '../catalog/catalog.ts';
import type { StationDevices } from '../devices/station-devices.ts';
import { IpcRejection, type Handlers } from '../ipc/dispatcher.ts';

export const SCANNER_METHODS = ['listScanCodes', 'scanBarcode'] as const;
export type ScannerHandlers = Pick<Handlers<SimulatorContract>, (typeof SCANNER_METHODS)[number]>;

const OFFERED = 12;

export function scannerHandlers(devices: StationDevices, catalog: () => Catalog): ScannerHandlers {
  return {
    listScanCodes: ({ query }) => {
      const current = catalog();
      const wanted = query.trim().toLowerCase();
      const items = [];
      for (const item of current.listed()) {
        if (item.gtin === undefined) continue;
        const key = `${item.sku} ${item.gtin} ${item.name['zh-CN']} ${item.name.en}`.toLowerCase();
        if (wanted !== '' && !key.includes(wanted)) continue;
        items.push({ sku: item.sku, gtin: item.gtin, name: item.name });
        if (items.length === OFFERED) break;
      }
      return { items, unknownCode: unknownCode(current) };
    },
    scanBarcode: ({ code }) => {
      const scanner = devices.virtualScanner;
      if (!scanner.attached) throw new IpcRejection('unavailable', 'the virtual barcode scanner is unplugged');
      // A scan on a scanner the station does not use (real hardware took its place) goes nowhere.
      if (!devices.usesVirtual('scanner')) return { scanned: false };
      try {
        scanner.scan(code);
      } catch (error) {
        if (error instanceof RangeError) throw new IpcRejection('rejected', `the keyboard scanner cannot type that code: ${error.message}`);
        throw error;
      }
      return { scanned: true };
    },
  };
}

/** The first EAN-13 under 699999999999x, counting down, that the catalog does not know. */
function unknownCode(catalog: Catalog): string {
  for (let body = 699_999_999_999; ; body--) {
    const code = withCheckDigit(String(body));
    if (isValidGtin(code) && catalog.resolveBarcode(code).kind === 'unknown') return code;
  }
}
