/** The report descriptor reader: the application collections' usage pages, and descriptors that do not parse. */
import { describe, expect, it } from 'vitest';
import { HID_POS_SCANNER_REPORT_DESCRIPTOR } from '../scanner/hid-pos-descriptor.ts';
import { applicationUsagePages, MalformedDescriptorError } from './report-descriptor.ts';

describe('HID report descriptor', () => {
  it('finds the Bar Code Scanner page of a HID POS scanner', () => {
    expect(applicationUsagePages(HID_POS_SCANNER_REPORT_DESCRIPTOR)).toEqual([0x8c]);
  });

  it('lists each top-level application collection, not the nested ones', () => {
    const keyboardAndVendor = Uint8Array.of(0x05, 0x01, 0x09, 0x06, 0xa1, 0x01, 0x09, 0x01, 0xa1, 0x00, 0xc0, 0xc0, 0x06, 0x00, 0xff, 0x09, 0x01, 0xa1, 0x01, 0xc0);
    expect(applicationUsagePages(keyboardAndVendor)).toEqual([0x01, 0xff00]);
  });

  it('takes the page from a 4-byte extended usage', () => {
    expect(applicationUsagePages(Uint8Array.of(0x05, 0x01, 0x0b, 0x02, 0x00, 0x8e, 0x00, 0xa1, 0x01, 0xc0))).toEqual([0x8e]);
  });

  it('refuses an item that runs past the end', () => {
    expect(() => applicationUsagePages(Uint8Array.of(0x06, 0x8c))).toThrow(MalformedDescriptorError);
  });
});
