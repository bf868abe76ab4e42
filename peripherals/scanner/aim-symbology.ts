/**
 * AIM symbology identifiers (ISO/IEC 15424): the three characters "]" + code character + modifier a
 * scanner may put in front of (or, over HID POS, beside) the data to say what it read. The names are
 * for people; the station looks codes up by their digits whatever the symbology.
 */
const NAMES: Readonly<Record<string, string>> = {
  ']E0': 'EAN-13 / UPC-A',
  ']E4': 'EAN-8',
  ']C0': 'Code 128',
  ']C1': 'GS1-128',
  ']A0': 'Code 39',
  ']Q1': 'QR Code',
  ']d1': 'Data Matrix',
  ']d2': 'GS1 DataMatrix',
};

export function symbologyName(aimId: string): string | undefined {
  return NAMES[aimId];
}

/**
 * The identifier a scanner sends for a code it printed itself: EAN-13 or EAN-8 by length (a UPC-A
 * goes as EAN-13 with a leading 0, as scanners transmit it), Code 128 for anything else.
 */
export function aimIdFor(code: string): { aimId: string; data: string } {
  if (/^\d{13}$/.test(code)) return { aimId: ']E0', data: code };
  if (/^\d{12}$/.test(code)) return { aimId: ']E0', data: `0${code}` };
  if (/^\d{8}$/.test(code)) return { aimId: ']E4', data: code };
  return { aimId: ']C0', data: code };
}
