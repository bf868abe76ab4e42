import { describe, expect, it } from 'vitest';
import { encodeTracks } from '../../common/card/tracks.ts';
import { deriveInitialKeyAes } from '../../payments/crypto/dukpt-aes.ts';
import { deriveIpek } from '../../payments/crypto/dukpt-tdes.ts';
import { CardDataDecryptError, decryptCardData } from '../../payments/sred/decrypt-card-data.ts';
import { aesDukptDataEncryptor, tdesDukptDataEncryptor } from './card-data-encryption.ts';
import { memoryKsnStore } from './ksn-store.ts';

const TDES_BDK = Buffer.from('0123456789ABCDEFFEDCBA9876543210', 'hex');
const AES_BDK = Buffer.from('FEDCBA9876543210F1F1F1F1F1F1F1F1', 'hex');
const BDKS = { tdes: TDES_BDK, aes: AES_BDK };
const CARD = { pan: '4761739001010010', expiry: '3012', serviceCode: '201', discretionary: '1143878089', cardholderName: 'TEST/CARD' };

describe('an encrypting reader and the host, end to end over the DUKPT data keys', () => {
  const tdesKsn = Buffer.from('FFFF9876543211E00000', 'hex');
  const aesKsn = Buffer.from('123456789012345700000000', 'hex');
  const encryptors = {
    tdes: () => tdesDukptDataEncryptor(deriveIpek(TDES_BDK, tdesKsn), memoryKsnStore(tdesKsn)),
    aes: () => aesDukptDataEncryptor(deriveInitialKeyAes(AES_BDK, aesKsn.subarray(0, 8)), memoryKsnStore(aesKsn)),
  };

  it.each(['tdes', 'aes'] as const)('%s: the host reads back the card from each swipe, a new KSN and ciphertext every time', (kind) => {
    const encryptor = encryptors[kind]();
    const seen = new Set<string>();
    for (let i = 0; i < 5; i++) {
      const encrypted = encryptor.encryptTracks(encodeTracks(CARD));
      expect(encrypted.keyType).toBe(kind === 'tdes' ? 'tdes-dukpt' : 'aes-dukpt');
      expect(encrypted.ksn).toEqual(encryptor.currentKsn());
      expect(Buffer.from(encrypted.ciphertext).toString('latin1')).not.toContain(CARD.pan);
      const card = decryptCardData(encrypted, BDKS);
      expect(card).toMatchObject({ pan: CARD.pan, expiry: '3012', serviceCode: '201', cardholderName: 'TEST/CARD' });
      seen.add(Buffer.from(encrypted.ciphertext).toString('hex'));
    }
    expect(seen.size).toBe(5);
  });

  it('the wrong BDK, a tampered block or a KSN of the other key type yields a decrypt error, never a card', () => {
    const encrypted = encryptors.tdes().encryptTracks(encodeTracks(CARD));
    expect(() => decryptCardData(encrypted, { tdes: Buffer.from('FEDCBA98765432100123456789ABCDEF', 'hex'), aes: AES_BDK })).toThrow(CardDataDecryptError);
    const tampered = Buffer.from(encrypted.ciphertext);
    tampered[3]! ^= 0x40;
    expect(() => decryptCardData({ ...encrypted, ciphertext: tampered }, BDKS)).toThrow(CardDataDecryptError);
    expect(() => decryptCardData({ ...encrypted, keyType: 'aes-dukpt' }, BDKS)).toThrow(CardDataDecryptError);
  });
});
