/**
 * What an encrypting PIN pad's secure processor does with a swipe its stripe head read: lay the
 * tracks out (payments/sred/track-plaintext.ts), advance and persist the data key's serial number,
 * and encrypt them under that DUKPT data key, all inside the device. The data key has its own
 * initial key and KSN, apart from the PIN key's, so the two counters never share a key.
 */
import type { CardDataKeyType, EncryptedCardData } from '../../common/card/encrypted-card-read.ts';
import { encryptDataAesDukpt } from '../../payments/crypto/dukpt-aes.ts';
import { encryptDataTdesDukpt } from '../../payments/crypto/dukpt-tdes.ts';
import { nextAesKsn } from '../../payments/crypto/ksn-aes.ts';
import { nextKsn } from '../../payments/crypto/ksn.ts';
import { formatTrackPlaintext } from '../../payments/sred/track-plaintext.ts';
import type { KsnStore } from './ksn-store.ts';

export interface CardDataEncryptor {
  readonly keyType: CardDataKeyType;
  currentKsn(): Buffer;
  encryptTracks(tracks: { readonly track1: string; readonly track2: string }): EncryptedCardData;
}

/** ANSI X9.24-1 TDES DUKPT, data variant (request) with its one-way function, from an injected IPEK. */
export function tdesDukptDataEncryptor(ipek: Buffer, store: KsnStore): CardDataEncryptor {
  return encryptorOf('tdes-dukpt', store, nextKsn, 8, (ksn, data) => encryptDataTdesDukpt({ ipek, ksn, data }));
}

/** ANSI X9.24-3 AES-128 DUKPT, key usage "Data Encryption, encrypt", from an injected initial key. */
export function aesDukptDataEncryptor(initialKey: Buffer, store: KsnStore): CardDataEncryptor {
  return encryptorOf('aes-dukpt', store, nextAesKsn, 16, (ksn, data) => encryptDataAesDukpt({ initialKey, ksn, data }));
}

function encryptorOf(keyType: CardDataKeyType, store: KsnStore, next: (ksn: Buffer) => Buffer, blockBytes: 8 | 16, encrypt: (ksn: Buffer, data: Buffer) => Buffer): CardDataEncryptor {
  return {
    keyType,
    currentKsn: () => store.load(),
    encryptTracks(tracks) {
      // As for PINs: the KSN is spent before its key is used, so a crash never reuses a key.
      const ksn = next(store.load());
      store.save(ksn);
      const plaintext = formatTrackPlaintext(tracks, blockBytes);
      try {
        return { keyType, ksn, ciphertext: encrypt(ksn, plaintext) };
      } finally {
        plaintext.fill(0);
      }
    },
  };
}
