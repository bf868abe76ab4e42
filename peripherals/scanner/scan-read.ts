/** What a barcode scanner hands the station per scan: the code and, when the scanner says, its symbology; or a bad read. */

export type ScanBadReadReason =
  /** A report that breaks the HID POS layout (a length past its buffer, a scan too long). */
  | 'malformed_report'
  /** A scan that stopped half way: more data was promised, or keystrokes stopped before Enter. */
  | 'incomplete'
  /** A keyboard scanner typed a key that types no character in the US layout. */
  | 'untypeable_key';

export type ScanRead =
  | {
      readonly kind: 'scan';
      readonly code: string;
      /** The AIM symbology identifier ("]E0" is EAN-13), when the scanner sends one. */
      readonly symbology?: string;
    }
  | { readonly kind: 'bad_read'; readonly reason: ScanBadReadReason };

/** The longest scan the station takes (a 2D code can carry a few kilobytes; a product code is 8–14 digits). */
export const MAX_SCAN_LENGTH = 4096;
