/**
 * The host's side of reader encryption: the card data an encrypting reader sent (DE120), decrypted
 * with the reader's BDK for its key type and read back into tracks, to be checked as a swipe
 * (CVV, service code, and the PIN block formed with this PAN). The clear tracks exist only for the
 * length of the authorization that asked for them.
 */
import type { EncryptedCardData } from '../../common/card/encrypted-card-read.ts';
import type { CardData } from '../../common/card/tracks.ts';
import { decryptDataAesDukpt } from '../crypto/dukpt-aes.ts';
import { decryptDataTdesDukpt } from '../crypto/dukpt-tdes.ts';
import { KsnError } from '../crypto/ksn-error.ts';
import { readTrackPlaintext, TrackPlaintextError } from './track-plaintext.ts';

/** The BDKs of the encrypting readers, one per key type: never the PIN BDKs' job. */
export interface CardDataBdks {
  readonly tdes: Buffer;
  readonly aes: Buffer;
}

export class CardDataDecryptError extends Error {
  override readonly name = 'CardDataDecryptError';
}

/** The card the block holds; CardDataDecryptError when it does not decrypt to tracks (wrong key, KSN or block). */
export function decryptCardData(encrypted: EncryptedCardData, bdks: CardDataBdks): CardData {
  const ksn = Buffer.from(encrypted.ksn);
  const ciphertext = Buffer.from(encrypted.ciphertext);
  let plaintext: Buffer;
  try {
    plaintext = encrypted.keyType === 'tdes-dukpt' ? decryptDataTdesDukpt({ bdk: bdks.tdes, ksn, ciphertext }) : decryptDataAesDukpt({ bdk: bdks.aes, ksn, ciphertext });
  } catch (error) {
    if (error instanceof KsnError || error instanceof RangeError) throw new CardDataDecryptError(`encrypted card data does not decrypt: ${error.message}`);
    throw error;
  }
  try {
    return readTrackPlaintext(plaintext).card;
  } catch (error) {
    if (error instanceof TrackPlaintextError) throw new CardDataDecryptError(error.message);
    throw error;
  } finally {
    plaintext.fill(0);
  }
}
