/**
 * Online PIN verification: the encrypted PIN block is decrypted with the DUKPT key its KSN derives
 * from the BDK, and compared with the PIN on file. Two key types, told apart by size
 * (payments/iso8583/pin-data.ts): an 8-byte ISO 9564 format 0 block with a 10-byte KSN under the
 * TDES BDK (ANSI X9.24-1; DE52/DE53), or a 16-byte format 4 block with a 12-byte KSN under the AES
 * BDK (ANSI X9.24-3; DE111). The clear PIN exists only inside this call and is never logged or stored.
 */
import { timingSafeEqual } from 'node:crypto';
import { decryptPinAesDukpt } from '../../payments/crypto/dukpt-aes.ts';
import { decryptPinTdesDukpt } from '../../payments/crypto/dukpt-tdes.ts';
import { KsnError } from '../../payments/crypto/ksn-error.ts';
import { PinBlockError } from '../../payments/crypto/pin-block-error.ts';
import { pinKeyTypeOf } from '../../payments/iso8583/pin-data.ts';

export interface PinCheck {
  readonly pinBlock: Buffer;
  readonly ksn: Buffer;
  readonly pan: string;
  readonly expectedPin: string;
}

export type PinVerifier = (check: PinCheck) => boolean;

type Decrypt = (input: { ksn: Buffer; encryptedPinBlock: Buffer; pan: string }) => string;

export function createTdesDukptPinVerifier(bdk: Buffer): PinVerifier {
  return verifierWith((input) => decryptPinTdesDukpt({ bdk, ...input }));
}

/** Verifies format 0 blocks under the TDES BDK and format 4 blocks under the AES BDK. */
export function createDukptPinVerifier(bdks: { readonly tdes: Buffer; readonly aes: Buffer }): PinVerifier {
  const tdes = createTdesDukptPinVerifier(bdks.tdes);
  const aes = verifierWith((input) => decryptPinAesDukpt({ bdk: bdks.aes, ...input }));
  return (check) => {
    const keyType = pinKeyTypeOf(check);
    if (keyType === 'tdes-dukpt') return tdes(check);
    if (keyType === 'aes-dukpt') return aes(check);
    return false;
  };
}

function verifierWith(decrypt: Decrypt): PinVerifier {
  return ({ pinBlock, ksn, pan, expectedPin }) => {
    let pin: string;
    try {
      pin = decrypt({ ksn, encryptedPinBlock: pinBlock, pan });
    } catch (error) {
      // A block that does not decrypt to its format for this PAN, or a KSN no device could send, is
      // what a wrong key or a tampered block looks like: the PIN is not verified.
      if (error instanceof PinBlockError || error instanceof KsnError) return false;
      throw error;
    }
    const entered = Buffer.from(pin);
    const onFile = Buffer.from(expectedPin);
    return entered.length === onFile.length && timingSafeEqual(entered, onFile);
  };
}
