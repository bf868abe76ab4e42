/**
 * The HID report descriptor of a HID POS barcode scanner's scanned-data report, as the virtual
 * scanner answers it: one Bar Code Scanner application collection (usage page 0x8C, usage 0x02)
 * holding the Scanned Data Report (0x12) in the 64-byte layout of hid-pos-report.ts.
 */
export const BAR_CODE_SCANNER_PAGE = 0x8c;

export const HID_POS_SCANNER_REPORT_DESCRIPTOR = Uint8Array.of(
  0x06, 0x8c, 0x00, //  Usage Page (Bar Code Scanner)
  0x09, 0x02, //        Usage (Bar Code Scanner)
  0xa1, 0x01, //        Collection (Application)
  0x09, 0x12, //          Usage (Scanned Data Report)
  0xa1, 0x02, //          Collection (Logical)
  0x85, 0x02, //            Report ID (2)
  0x15, 0x00, //            Logical Minimum (0)
  0x26, 0xff, 0x00, //      Logical Maximum (255)
  0x75, 0x08, //            Report Size (8)
  0x06, 0x66, 0xff, //      Usage Page (vendor): the data length byte
  0x09, 0x01, //            Usage (1)
  0x95, 0x01, //            Report Count (1)
  0x81, 0x02, //            Input (Data, Variable, Absolute)
  0x06, 0x8c, 0x00, //      Usage Page (Bar Code Scanner)
  0x09, 0xfb, 0x09, 0xfc, 0x09, 0xfd, // Usage (Symbology Identifier 1, 2, 3)
  0x95, 0x03, //            Report Count (3)
  0x81, 0x02, //            Input (Data, Variable, Absolute)
  0x09, 0xfe, //            Usage (Decoded Data)
  0x95, 0x38, //            Report Count (56)
  0x82, 0x02, 0x01, //      Input (Data, Variable, Absolute, Buffered Bytes)
  0x06, 0x66, 0xff, //      Usage Page (vendor): vendor symbology code, reserved
  0x09, 0x02, //            Usage (2)
  0x95, 0x02, //            Report Count (2)
  0x81, 0x02, //            Input (Data, Variable, Absolute)
  0x06, 0x8c, 0x00, //      Usage Page (Bar Code Scanner)
  0x09, 0xff, //            Usage (Decode Data Continued)
  0x25, 0x01, //            Logical Maximum (1)
  0x75, 0x01, //            Report Size (1)
  0x95, 0x01, //            Report Count (1)
  0x81, 0x02, //            Input (Data, Variable, Absolute)
  0x75, 0x07, //            Report Size (7)
  0x81, 0x03, //            Input (Constant): padding
  0xc0, //                End Collection
  0xc0, //              End Collection
);
