/**
 * CRC-16/CCITT-FALSE (polynomial 0x1021, initial value 0xFFFF, no reflection, no final XOR), the
 * checksum EMVCo QR payloads carry in tag 63. It runs over the payload's UTF-8 bytes: Chinese text in
 * the language template (64) counts as its bytes here, though its length field counts characters.
 */

const TABLE = (() => {
  const table = new Uint16Array(256);
  for (let byte = 0; byte < 256; byte++) {
    let crc = byte << 8;
    for (let bit = 0; bit < 8; bit++) crc = crc & 0x8000 ? ((crc << 1) ^ 0x1021) & 0xffff : (crc << 1) & 0xffff;
    table[byte] = crc;
  }
  return table;
})();

const utf8 = new TextEncoder();

export function crc16CcittFalse(bytes: Uint8Array): number {
  let crc = 0xffff;
  for (const byte of bytes) crc = ((crc << 8) & 0xffff) ^ TABLE[((crc >> 8) ^ byte) & 0xff]!;
  return crc;
}

/** The 4 upper-case hexadecimal digits of the CRC over `text`'s UTF-8 bytes. */
export function emvCrcHex(text: string): string {
  return crc16CcittFalse(utf8.encode(text)).toString(16).toUpperCase().padStart(4, '0');
}
