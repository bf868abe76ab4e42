/**
 * Online PIN verification: the PIN block in DE52 is decrypted with the DUKPT key the KSN in DE53
 * derives from the BDK, and compared with the PIN on file. The clear PIN exists only inside this
 * call and is never logged or stored.
 */
import { timingSafeEqual } from 'node:crypto';
import { decryptPinTdesDukpt } from '../../payments/crypto/dukpt-tdes.ts';
import { KsnError } from '../../payments/crypto/ksn-error.ts';
import { PinBlockError } from '../../payments/crypto/pin-block-error.ts';

export interface PinCheck {
  readonly pinBlock: Buffer;
  readonly ksn: Buffer;
  readonly pan: string;
  readonly expectedPin: string;
}

export type PinVerifier = (check: PinCheck) => boolean;

export function createTdesDukptPinVerifier(bdk: Buffer): PinVerifier {
  return ({ pinBlock, ksn, pan, expectedPin }) => {
    let pin: string;
    try {
      pin = decryptPinTdesDukpt({ bdk, ksn, encryptedPinBlock: pinBlock, pan });
    } catch (error) {
      // A block that does not decrypt to format 0 for this PAN, or a KSN no device could send, is
      // what a wrong key or a tampered block looks like: the PIN is not verified.
      if (error instanceof PinBlockError || error instanceof KsnError) return false;
      throw error;
    }
    const entered = Buffer.from(pin);
    const onFile = Buffer.from(expectedPin);
    return entered.length === onFile.length && timingSafeEqual(entered, onFile);
  };
}
