/**
 * Card key and session key derivations. Which one a card uses is its cryptogram version's business
 * (cryptogram-versions.ts): schemes differ, so each derivation is named for who defines it.
 *
 *   ICC master key, EMV option A (Book 2 A1.4.1): Y = rightmost 16 digits of PAN || PAN sequence
 *     number (left-padded with 0); MK = TDES(IMK)[Y] || TDES(IMK)[Y ⊕ FF…FF], parity adjusted.
 *   ICC master key, EMV option B (Book 2 A1.4.2), for PANs of 17–19 digits (option A below that):
 *     SHA-1 of PAN || PAN sequence number (BCD, left-padded to whole bytes); Y = its first 16
 *     decimal digits, topped up with its letters A–F as 0–5 in order; then option A's step on Y.
 *     Which option a card uses is its cryptogram version's (cryptogram-versions.ts).
 *   EMV common session key derivation (Book 2 A1.3.1): R is 8 bytes; SK = TDES(MK)[R with byte 3 = F0]
 *     || TDES(MK)[R with byte 3 = 0F]. With R = ATC || 00…00 for Visa CVN 18 and M/Chip CVN 20, and
 *     R = ATC || 00 00 || UN for Mastercard's M/Chip 4 "MCHIP" derivation (CVN 16).
 *   PBOC / UnionPay IC (JR/T 0025 part 5, CVN 01): SK = TDES(MK)[00…00 || ATC] || TDES(MK)[00…00 || ATC ⊕ FFFF].
 *   Visa secure messaging (VIS): SK = (MK_A ⊕ 00…00||ATC) || (MK_B ⊕ 00…00||(ATC ⊕ FFFF)), parity adjusted.
 */
import { createHash } from 'node:crypto';
import { xor } from '../../crypto/xor.ts';
import { adjustParity, tdesEncryptEcb } from './emv-des.ts';

const FF8 = Buffer.alloc(8, 0xff);

export function deriveIccMasterKeyOptionA(issuerMasterKey: Buffer, pan: string, panSequenceNumber: string): Buffer {
  if (!/^\d{2}$/.test(panSequenceNumber)) throw new RangeError('the PAN sequence number is 2 digits');
  if (!/^\d{12,19}$/.test(pan)) throw new RangeError('a PAN is 12–19 digits');
  const y = Buffer.from(`${pan}${panSequenceNumber}`.slice(-16).padStart(16, '0'), 'hex');
  return adjustParity(tdesEncryptEcb(issuerMasterKey, Buffer.concat([y, xor(y, FF8)])));
}

export function deriveIccMasterKeyOptionB(issuerMasterKey: Buffer, pan: string, panSequenceNumber: string): Buffer {
  if (!/^\d{2}$/.test(panSequenceNumber)) throw new RangeError('the PAN sequence number is 2 digits');
  if (!/^\d{12,19}$/.test(pan)) throw new RangeError('a PAN is 12–19 digits');
  if (pan.length <= 16) return deriveIccMasterKeyOptionA(issuerMasterKey, pan, panSequenceNumber);
  const digits = `${pan}${panSequenceNumber}`;
  const hash = createHash('sha1').update(Buffer.from(digits.length % 2 ? `0${digits}` : digits, 'hex')).digest('hex').toUpperCase();
  const decimals = [...hash].filter((digit) => digit <= '9');
  const letters = [...hash].filter((digit) => digit > '9').map((letter) => String(letter.charCodeAt(0) - 'A'.charCodeAt(0)));
  const y = [...decimals, ...letters].slice(0, 16).join('');
  return deriveIccMasterKeyOptionA(issuerMasterKey, y.slice(0, 14), y.slice(14));
}

export function deriveEmvCommonSessionKey(masterKey: Buffer, r: Buffer): Buffer {
  if (r.length !== 8) throw new RangeError('the diversification value R is 8 bytes');
  const left = Buffer.from(r);
  const right = Buffer.from(r);
  left[2] = 0xf0;
  right[2] = 0x0f;
  return adjustParity(tdesEncryptEcb(masterKey, Buffer.concat([left, right])));
}

/** R = ATC || 00 00 00 00 00 00. */
export function atcDiversifier(atc: Buffer): Buffer {
  return Buffer.concat([atc, Buffer.alloc(6)]);
}

/** R = ATC || 00 00 || UN (Mastercard's SKD for M/Chip 4). */
export function atcUnDiversifier(atc: Buffer, unpredictableNumber: Buffer): Buffer {
  return Buffer.concat([atc, Buffer.alloc(2), unpredictableNumber]);
}

export function derivePbocSessionKey(masterKey: Buffer, atc: Buffer): Buffer {
  if (atc.length !== 2) throw new RangeError('the ATC is 2 bytes');
  return tdesEncryptEcb(masterKey, Buffer.concat([Buffer.alloc(6), atc, Buffer.alloc(6), xor(atc, Buffer.from([0xff, 0xff]))]));
}

export function deriveVisaSecureMessagingKey(masterKey: Buffer, atc: Buffer): Buffer {
  if (atc.length !== 2) throw new RangeError('the ATC is 2 bytes');
  const left = xor(masterKey.subarray(0, 8), Buffer.concat([Buffer.alloc(6), atc]));
  const right = xor(masterKey.subarray(8, 16), Buffer.concat([Buffer.alloc(6), xor(atc, Buffer.from([0xff, 0xff]))]));
  return adjustParity(Buffer.concat([left, right]));
}
