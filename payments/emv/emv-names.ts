/**
 * Names both sides of the card interface use, kept once: the payment system directories (EMV Book 1
 * §12.2.2 for contact, Book B §3.3 for contactless) and the cryptogram types with their bits, the
 * same in the cryptogram information data (9F27) and in GENERATE AC's P1 (Book 3 §6.5.5).
 */

/** The contact Payment System Environment. */
export const PSE_NAME = Buffer.from('1PAY.SYS.DDF01', 'ascii');
/** The contactless Proximity Payment System Environment. */
export const PPSE_NAME = Buffer.from('2PAY.SYS.DDF01', 'ascii');

export type AcType = 'AAC' | 'TC' | 'ARQC';

/** Bits 8–7 of 9F27 and of GENERATE AC's P1. */
export const AC_TYPE_BITS: Readonly<Record<AcType, number>> = { AAC: 0x00, TC: 0x40, ARQC: 0x80 };

/** The type a CID or P1 names; bits 11 (reserved) read as AAC. */
export function acTypeOf(bits: number): AcType {
  const type = bits & 0xc0;
  return type === 0x40 ? 'TC' : type === 0x80 ? 'ARQC' : 'AAC';
}
