/**
 * The scanned-data input report of a HID POS barcode scanner (USB HID Point of Sale Usage Tables,
 * usage page 0x8C), in the 64-byte layout Honeywell, Zebra, Datalogic and Access-IS scanners send:
 *
 *   byte 0       report ID 0x02 (scanned data)
 *   byte 1       how many data bytes this report carries (0–56)
 *   bytes 2–4    the AIM symbology identifier, e.g. "]E0" (zeros if the scanner sends none)
 *   bytes 5–60   the decoded data, zero-padded
 *   bytes 61–62  vendor symbology code, reserved
 *   byte 63      bit 0: more data follows in the next report (Decode Data Continued)
 *
 * A code longer than 56 bytes comes in several reports; the symbology is in each, the station takes
 * the first. Data is bytes: a product code is ASCII digits, a 2D code may carry UTF-8 text.
 */
import { MAX_SCAN_LENGTH, type ScanRead } from './scan-read.ts';

export const HID_POS_REPORT_LENGTH = 64;
export const SCANNED_DATA_REPORT_ID = 0x02;
export const DATA_PER_REPORT = 56;
const DATA_OFFSET = 5;
const MORE_DATA_BYTE = 63;

export class MalformedScanReportError extends Error {
  override readonly name = 'MalformedScanReportError';
}

export interface ScannedDataReport {
  readonly symbology: string | undefined;
  readonly data: Uint8Array;
  readonly more: boolean;
}

/** A scanned-data report → its parts; undefined for another report (status, trigger) the station does not use. */
export function decodeScannedDataReport(report: Uint8Array): ScannedDataReport | undefined {
  if (report[0] !== SCANNED_DATA_REPORT_ID) return undefined;
  if (report.length < HID_POS_REPORT_LENGTH) throw new MalformedScanReportError(`scanned-data report is ${report.length} bytes, expected ${HID_POS_REPORT_LENGTH}`);
  const length = report[1] as number;
  if (length > DATA_PER_REPORT) throw new MalformedScanReportError(`scanned-data length ${length} exceeds ${DATA_PER_REPORT}`);
  const aim = report.subarray(2, 5);
  return {
    symbology: aim[0] === 0 ? undefined : String.fromCharCode(...aim),
    data: report.slice(DATA_OFFSET, DATA_OFFSET + length),
    more: ((report[MORE_DATA_BYTE] as number) & 0x01) === 1,
  };
}

/** The reports a scanner sends for one code: 56 data bytes each, all but the last marked "more". */
export function encodeScannedDataReports(data: Uint8Array, symbology: string | undefined): Uint8Array[] {
  const reports: Uint8Array[] = [];
  for (let from = 0; from === 0 || from < data.length; from += DATA_PER_REPORT) {
    const chunk = data.subarray(from, from + DATA_PER_REPORT);
    const report = new Uint8Array(HID_POS_REPORT_LENGTH);
    report[0] = SCANNED_DATA_REPORT_ID;
    report[1] = chunk.length;
    if (symbology !== undefined) report.set(Uint8Array.from(symbology.slice(0, 3), (char) => char.charCodeAt(0) & 0x7f), 2);
    report.set(chunk, DATA_OFFSET);
    report[MORE_DATA_BYTE] = from + DATA_PER_REPORT < data.length ? 1 : 0;
    reports.push(report);
  }
  return reports;
}

/** Joins a scan's reports into the scan. One instance per scanner. */
export class HidPosScanAssembler {
  readonly #decoder = new TextDecoder('utf-8');
  #parts: Uint8Array[] = [];
  #length = 0;
  #symbology: string | undefined;

  push(report: Uint8Array): ScanRead[] {
    let decoded;
    try {
      decoded = decodeScannedDataReport(report);
    } catch (error) {
      if (!(error instanceof MalformedScanReportError)) throw error;
      this.#reset();
      return [{ kind: 'bad_read', reason: 'malformed_report' }];
    }
    if (!decoded) return [];
    if (this.#parts.length === 0) this.#symbology = decoded.symbology;
    this.#parts.push(decoded.data);
    this.#length += decoded.data.length;
    if (this.#length > MAX_SCAN_LENGTH) {
      this.#reset();
      return [{ kind: 'bad_read', reason: 'malformed_report' }];
    }
    if (decoded.more) return [];
    const code = this.#decoder.decode(Buffer.concat(this.#parts));
    const symbology = this.#symbology;
    this.#reset();
    if (code.length === 0) return [];
    return [symbology === undefined ? { kind: 'scan', code } : { kind: 'scan', code, symbology }];
  }

  /** A poll period passed: a scan that promised more data and sent none is incomplete. */
  quiet(): ScanRead | undefined {
    if (this.#parts.length === 0) return undefined;
    this.#reset();
    return { kind: 'bad_read', reason: 'incomplete' };
  }

  #reset(): void {
    this.#parts = [];
    this.#length = 0;
    this.#symbology = undefined;
  }
}
