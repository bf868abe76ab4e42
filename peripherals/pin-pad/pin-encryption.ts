/**
 * What a PIN pad's secure processor does with a PIN: format the clear PIN block, encrypt it under
 * the current DUKPT key and advance the key serial number, all inside the device. Only the
 * encrypted block and the KSN ever leave it.
 */
import { encryptPinAesDukpt } from '../../payments/crypto/dukpt-aes.ts';
import { encryptPinTdesDukpt } from '../../payments/crypto/dukpt-tdes.ts';
import { nextAesKsn } from '../../payments/crypto/ksn-aes.ts';
import { nextKsn } from '../../payments/crypto/ksn.ts';
import type { KsnStore } from './ksn-store.ts';

export interface EncryptedPin {
  readonly pinBlock: Buffer;
  readonly ksn: Buffer;
}

export interface PinEncryptor {
  readonly keyType: 'TDES-DUKPT' | 'AES-DUKPT';
  currentKsn(): Buffer;
  encrypt(pin: string, pan: string): EncryptedPin;
}

/** ANSI X9.24-1 TDES DUKPT with an ISO 9564 format 0 block, from an injected IPEK. */
export function tdesDukptEncryptor(ipek: Buffer, store: KsnStore): PinEncryptor {
  return {
    keyType: 'TDES-DUKPT',
    currentKsn: () => store.load(),
    encrypt(pin, pan) {
      // The KSN advances and is persisted before the key is used, so a crash never reuses a key.
      const ksn = nextKsn(store.load());
      store.save(ksn);
      return { pinBlock: encryptPinTdesDukpt({ ipek, ksn, pin, pan }), ksn };
    },
  };
}

/**
 * ANSI X9.24-3 AES DUKPT (AES-128 keys) with an ISO 9564 format 4 block, from an injected initial
 * key: a 16-byte block and a 12-byte KSN leave the pad.
 */
export function aesDukptEncryptor(initialKey: Buffer, store: KsnStore): PinEncryptor {
  return {
    keyType: 'AES-DUKPT',
    currentKsn: () => store.load(),
    encrypt(pin, pan) {
      // As for TDES: the KSN is spent before its key is used.
      const ksn = nextAesKsn(store.load());
      store.save(ksn);
      return { pinBlock: encryptPinAesDukpt({ initialKey, ksn, pin, pan }), ksn };
    },
  };
}
