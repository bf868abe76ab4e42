/** The host's PIN check for both key types: TDES DUKPT format 0 and AES DUKPT format 4. */
import { describe, expect, it } from 'vitest';
import { deriveInitialKeyAes, encryptPinAesDukpt } from '../../payments/crypto/dukpt-aes.ts';
import { deriveIpek, encryptPinTdesDukpt } from '../../payments/crypto/dukpt-tdes.ts';
import { createDukptPinVerifier } from './pin-verifier.ts';

// Test keys only: the ANSI X9.24-1 TDES and X9.24-3 AES example BDKs, as in config/host.json.
const TDES_BDK = Buffer.from('0123456789ABCDEFFEDCBA9876543210', 'hex');
const AES_BDK = Buffer.from('FEDCBA9876543210F1F1F1F1F1F1F1F1', 'hex');
const TDES_KSN = Buffer.from('FFFF9876543210E00001', 'hex');
const AES_KSN = Buffer.from('123456789012345600000001', 'hex');
const PAN = '6212345678901232';

const tdesBlock = (pin: string) => encryptPinTdesDukpt({ ipek: deriveIpek(TDES_BDK, TDES_KSN), ksn: TDES_KSN, pin, pan: PAN });
const aesBlock = (pin: string) => encryptPinAesDukpt({ initialKey: deriveInitialKeyAes(AES_BDK, AES_KSN.subarray(0, 8)), ksn: AES_KSN, pin, pan: PAN });

describe('DUKPT PIN verifier', () => {
  const verify = createDukptPinVerifier({ tdes: TDES_BDK, aes: AES_BDK });

  it('verifies a format 0 block under the TDES BDK and a format 4 block under the AES BDK', () => {
    expect(verify({ pinBlock: tdesBlock('123456'), ksn: TDES_KSN, pan: PAN, expectedPin: '123456' })).toBe(true);
    expect(verify({ pinBlock: aesBlock('123456'), ksn: AES_KSN, pan: PAN, expectedPin: '123456' })).toBe(true);
  });

  it('refuses a wrong PIN of either key type', () => {
    expect(verify({ pinBlock: tdesBlock('654321'), ksn: TDES_KSN, pan: PAN, expectedPin: '123456' })).toBe(false);
    expect(verify({ pinBlock: aesBlock('654321'), ksn: AES_KSN, pan: PAN, expectedPin: '123456' })).toBe(false);
  });

  it('refuses a block checked against another PAN, as a tampered request would be', () => {
    expect(verify({ pinBlock: aesBlock('123456'), ksn: AES_KSN, pan: '6212345678901240', expectedPin: '123456' })).toBe(false);
  });

  it('refuses an AES block under the wrong BDK, and sizes that fit no key type', () => {
    const wrongKey = createDukptPinVerifier({ tdes: TDES_BDK, aes: Buffer.alloc(16, 0x11) });
    expect(wrongKey({ pinBlock: aesBlock('123456'), ksn: AES_KSN, pan: PAN, expectedPin: '123456' })).toBe(false);
    expect(verify({ pinBlock: aesBlock('123456'), ksn: TDES_KSN, pan: PAN, expectedPin: '123456' })).toBe(false);
    expect(verify({ pinBlock: tdesBlock('123456'), ksn: AES_KSN, pan: PAN, expectedPin: '123456' })).toBe(false);
  });
});
