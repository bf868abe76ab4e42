/**
 * Where an encrypted PIN travels in a profile v1 request, by the PIN pad's key type:
 *
 *   ISO 9564 format 0 under ANSI X9.24-1 TDES DUKPT: DE52 (b8) the block, DE53 (b10) the KSN.
 *   ISO 9564 format 4 under ANSI X9.24-3 AES DUKPT:  DE111 (b..999, LLL), 29 bytes:
 *       key type (1 byte, 0x01 = AES-128 DUKPT PIN key, format 4) | KSN (12 bytes) | block (16 bytes)
 *
 * DE52 and DE53 are too small for a 16-byte block and a 12-byte KSN, so the AES PIN travels in a
 * private field that holds all three together: a block can never be paired with the wrong KSN, and
 * the key type byte leaves room for other AES key lengths. A request carries one or the other,
 * never both. docs/host-interface.md has the same in prose.
 */
import { getBytes, type IsoMessage } from './message.ts';

export const TDES_PIN_BLOCK_FIELD = 52;
export const TDES_KSN_FIELD = 53;
export const AES_PIN_DATA_FIELD = 111;
/** DE111's first byte: AES-128 DUKPT PIN encryption key, ISO 9564-1 format 4 block. */
export const AES_128_DUKPT_FORMAT_4 = 0x01;

const TDES = { pinBlock: 8, ksn: 10 } as const;
const AES = { pinBlock: 16, ksn: 12 } as const;
const AES_PIN_DATA_LENGTH = 1 + AES.ksn + AES.pinBlock;

export type PinKeyType = 'tdes-dukpt' | 'aes-dukpt';

export interface EncryptedPinData {
  readonly keyType: PinKeyType;
  readonly pinBlock: Buffer;
  readonly ksn: Buffer;
}

/** The key type a block and KSN come from, told by their sizes; undefined when they fit neither. */
export function pinKeyTypeOf(pin: { readonly pinBlock: Uint8Array; readonly ksn: Uint8Array }): PinKeyType | undefined {
  if (pin.pinBlock.length === TDES.pinBlock && pin.ksn.length === TDES.ksn) return 'tdes-dukpt';
  if (pin.pinBlock.length === AES.pinBlock && pin.ksn.length === AES.ksn) return 'aes-dukpt';
  return undefined;
}

/** The request fields that carry this PIN block and KSN. */
export function pinDataFields(pin: { readonly pinBlock: Uint8Array; readonly ksn: Uint8Array }): Record<number, Uint8Array> {
  const keyType = pinKeyTypeOf(pin);
  if (keyType === 'tdes-dukpt') return { [TDES_PIN_BLOCK_FIELD]: pin.pinBlock, [TDES_KSN_FIELD]: pin.ksn };
  if (keyType === 'aes-dukpt') return { [AES_PIN_DATA_FIELD]: Uint8Array.from([AES_128_DUKPT_FORMAT_4, ...pin.ksn, ...pin.pinBlock]) };
  throw new RangeError(`a ${pin.pinBlock.length}-byte PIN block with a ${pin.ksn.length}-byte KSN is neither TDES nor AES DUKPT`);
}

/**
 * The encrypted PIN a request carries. `missing`: no PIN fields at all. `malformed`: half of the TDES
 * pair, both kinds at once, or a DE111 of the wrong size or key type; a host answers that with 30.
 */
export function readPinData(message: IsoMessage): { readonly ok: true; readonly pin: EncryptedPinData } | { readonly ok: false; readonly reason: 'missing' | 'malformed' } {
  const block = getBytes(message, TDES_PIN_BLOCK_FIELD);
  const ksn = getBytes(message, TDES_KSN_FIELD);
  const aes = getBytes(message, AES_PIN_DATA_FIELD);
  if (aes !== undefined) {
    if (block !== undefined || ksn !== undefined) return { ok: false, reason: 'malformed' };
    if (aes.length !== AES_PIN_DATA_LENGTH || aes[0] !== AES_128_DUKPT_FORMAT_4) return { ok: false, reason: 'malformed' };
    return { ok: true, pin: { keyType: 'aes-dukpt', ksn: Buffer.from(aes.subarray(1, 1 + AES.ksn)), pinBlock: Buffer.from(aes.subarray(1 + AES.ksn)) } };
  }
  if (block === undefined && ksn === undefined) return { ok: false, reason: 'missing' };
  if (block === undefined || ksn === undefined) return { ok: false, reason: 'malformed' };
  return { ok: true, pin: { keyType: 'tdes-dukpt', pinBlock: Buffer.from(block), ksn: Buffer.from(ksn) } };
}
