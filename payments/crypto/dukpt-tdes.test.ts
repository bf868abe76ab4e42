import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';
import {
  decryptPinBlockTdesDukpt,
  decryptPinTdesDukpt,
  deriveIpek,
  deriveTransactionKey,
  encryptPinBlockTdesDukpt,
  encryptPinTdesDukpt,
  pinKeyFromTransactionKey,
} from './dukpt-tdes.ts';
import { countOneBits } from './dukpt-counter.ts';
import { pseudoRandomBytes as bytes, pseudoRandomTdesKsn as randomKsn } from './dukpt-test-cases.fixture.ts';
import { ksnFromHex, nextKsn, setKsnCounter } from './ksn.ts';
import { KsnError } from './ksn-error.ts';
import { PinBlockError } from './pin-block-error.ts';
import { formatIso0PinBlock } from './pin-block-iso0.ts';

const hex = (s: string): Buffer => Buffer.from(s, 'hex');
const hexOf = (b: Buffer): string => b.toString('hex').toUpperCase();

// ANSI X9.24-1:2009 A.4 "DUKPT Test Data Examples", as transcribed in openemv/dukpt test/dukpt_tdes_test.c.
const BDK = hex('0123456789ABCDEFFEDCBA9876543210');
const INITIAL_KSN = ksnFromHex('FFFF9876543210E00000');
const IPEK = '6AC292FAA1315B4D858AB3A3D7D5933A';
const PIN = '1234';
const PAN = '4012345678909';

// A.4.2 initial sequence: [KSN, transaction key, encrypted PIN block].
const INITIAL_SEQUENCE: readonly (readonly [string, string, string])[] = [
  ['FFFF9876543210E00001', '042666B49184CFA368DE9628D0397BC9', '1B9C1845EB993A7A'],
  ['FFFF9876543210E00002', 'C46551CEF9FD24B0AA9AD834130D3BC7', '10A01C8D02C69107'],
  ['FFFF9876543210E00003', '0DF3D9422ACA56E547676D07AD6BADFA', '18DC07B94797B466'],
  ['FFFF9876543210E00004', '279C0F6AEED0BE652B2C733E1383AE91', '0BC79509D5645DF7'],
  ['FFFF9876543210E00005', '5F8DC6D2C845C125508DDC048093B83F', '5BC0AF22AD87B327'],
  ['FFFF9876543210E00006', '5E415CB0BAF9F03CD0C14B63FB62FF43', 'A16DF70AE36158D8'],
  ['FFFF9876543210E00007', '0C8F780B7C8B49D0AE84A9EB2A6CE660', '27711C16CB257F8E'],
  ['FFFF9876543210E00008', '27F66D5244FF62E1AA6F6120EDEB4280', '50E55547A5027551'],
  ['FFFF9876543210E00009', '27E31064FDC565698900E2057F658E7E', '536CF7F678ACFC8D'],
  ['FFFF9876543210E0000A', '6CF2500A22507C7CC776CEADC1E33014', 'EDABBA23221833FE'],
  ['FFFF9876543210E0000B', '3E8260BA04B2D620C01482B3819A18B7', '2328981C57B4BDBA'],
  ['FFFF9876543210E0000C', 'B716E1E11CF53D80726CAEE75C3A624F', '038D03CC926CF286'],
  ['FFFF9876543210E0000D', 'E072EDF95340535FB6C581C58FBF2533', '6C8AA97088B62C68'],
  ['FFFF9876543210E0000E', 'A80046087F5B8F245AAD95E18429084F', 'F17C9E1D72CD4950'],
  ['FFFF9876543210E0000F', '93DD5B956C4878472E453AAEFD32A5AA', 'B170F6E7F7F2F64A'],
  ['FFFF9876543210E00010', '59598DCBD9BD94C094165CE453585F57', 'D5D9638559EF53D6'],
  ['FFFF9876543210E00011', '2B5F01F4F0CC05EA639D523231BF1BA2', 'D544F8CDD292C863'],
  ['FFFF9876543210E00012', '9CF640F279C2AEE615F725EEEAC2CBAF', '7A21BD10F36DC41D'],
  ['FFFF9876543210E00013', 'C3DF489FDF1153B4F03DE97C27DC4C2F', '78649BD17D0DFA60'],
  ['FFFF9876543210E00014', '658488507721B3F14737FA93F923CBD2', '7E7E16EA0C31AD56'],
  ['FFFF9876543210E00015', 'E161D1956A61F6D2F37AFD7F9CC3699A', '72105C22EBC791E6'],
];

// A.4.3 rollover sequence: counters around and beyond the 10-one-bit limit.
const ROLLOVER_SEQUENCE: readonly (readonly [string, string, string])[] = [
  ['FFFF9876543210EFF800', 'F9CDFEBF4F5B1D9EB3EC12454527E176', '33365F5CC6F23C35'],
  ['FFFF9876543210EFF801', '5BEE92627E97825C911BF619DF72CA3B', '3A86BF003F835C9D'],
  ['FFFF9876543210EFF802', '64CA2F8AB93F61B01620B00BF77C7301', '3DB977D05C36DF3F'],
  ['FFFF9876543210EFF804', '35A168695B3BA83307E871C42021DD37', 'BA83243305712099'],
  ['FFFF9876543210EFF808', '12C380FCB72ED3C26FC6079AF63F4787', 'B0DA04AC90A36D85'],
  ['FFFF9876543210EFF810', 'D8007C833A1E3C49C6889B97A68C54FF', '2CF02BD9C309EEDA'],
  ['FFFF9876543210EFF820', 'A9C9FF9B735FDD49591F296B0BF0FD70', '9D1E2F77AEEE81C6'],
  ['FFFF9876543210EFF840', '0E3E221062CB5E03A384602783A004FA', '40870B0F8BA2011C'],
  ['FFFF9876543210EFF880', 'CA8225C587124DFBB87F279C0BE29727', '22E340D6ABB40981'],
  ['FFFF9876543210EFF900', '906AAC1751D4971A144D52C76C6E1F97', '1A4C10AFBA03A430'],
  ['FFFF9876543210EFFA00', '2B9E2CE7C2750337E10B54D2989EA6AF', '849763B43E5F9CFF'],
  ['FFFF9876543210EFFC00', 'F9430DF975082491C77BE4EF4FDB91EE', 'DEFC6F09F8927B71'],
  ['FFFF9876543210F00000', 'AA4D58DB653EC74A48C75F2F047DD2B5', '73EC88AD0AC5830E'],
];

describe('TDES DUKPT, ANSI X9.24-1:2009 A.4 test data', () => {
  it('derives the initial PIN encryption key (A.6)', () => {
    expect(hexOf(deriveIpek(BDK, INITIAL_KSN))).toBe(IPEK);
    // Any counter value in the KSN is ignored: the IPEK belongs to the initial KSN.
    expect(hexOf(deriveIpek(BDK, ksnFromHex('FFFF9876543210E00015')))).toBe(IPEK);
  });

  it('clears to the X9.24-1 A.4 format 0 PIN block', () => {
    expect(hexOf(formatIso0PinBlock(PIN, PAN))).toBe('041274EDCBA9876F');
  });

  it('walks the A.4.2 initial sequence: KSNs, transaction keys and encrypted PIN blocks', () => {
    const ipek = hex(IPEK);
    let ksn = INITIAL_KSN;
    for (const [ksnHex, transactionKey, encryptedPinBlock] of INITIAL_SEQUENCE) {
      ksn = nextKsn(ksn);
      expect(hexOf(ksn)).toBe(ksnHex);
      expect(hexOf(deriveTransactionKey(ipek, ksn))).toBe(transactionKey);
      expect(hexOf(encryptPinTdesDukpt({ ipek, ksn, pin: PIN, pan: PAN }))).toBe(encryptedPinBlock);
      expect(decryptPinTdesDukpt({ bdk: BDK, ksn, encryptedPinBlock: hex(encryptedPinBlock), pan: PAN })).toBe(PIN);
    }
  });

  it('walks the A.4.3 rollover sequence', () => {
    const ipek = hex(IPEK);
    let ksn = ksnFromHex(ROLLOVER_SEQUENCE[0]![0]);
    for (const [index, [ksnHex, transactionKey, encryptedPinBlock]] of ROLLOVER_SEQUENCE.entries()) {
      if (index > 0) ksn = nextKsn(ksn);
      expect(hexOf(ksn)).toBe(ksnHex);
      expect(hexOf(deriveTransactionKey(ipek, ksn))).toBe(transactionKey);
      expect(hexOf(encryptPinTdesDukpt({ ipek, ksn, pin: PIN, pan: PAN }))).toBe(encryptedPinBlock);
      expect(decryptPinTdesDukpt({ bdk: BDK, ksn, encryptedPinBlock: hex(encryptedPinBlock), pan: PAN })).toBe(PIN);
    }
  });

  // A.4.1 table A-1: the PIN variant flips the last byte of each half.
  it('applies the PIN variant to the transaction key', () => {
    expect(hexOf(pinKeyFromTransactionKey(hex('042666B49184CFA368DE9628D0397BC9')))).toBe(
      '042666B49184CF5C68DE9628D0397B36',
    );
  });

  it('round-trips a clear PIN block at the block level', () => {
    const ksn = ksnFromHex('FFFF9876543210E00001');
    const clearPinBlock = hex('041274EDCBA9876F');
    const encrypted = encryptPinBlockTdesDukpt({ ipek: hex(IPEK), ksn, clearPinBlock });
    expect(hexOf(encrypted)).toBe('1B9C1845EB993A7A');
    expect(decryptPinBlockTdesDukpt({ bdk: BDK, ksn, encryptedPinBlock: encrypted })).toEqual(clearPinBlock);
  });
});

describe('TDES DUKPT against the npm package "dukpt"', () => {
  type Dukpt = {
    dukptEncrypt(data: string, options: { inputEncoding: 'hex'; outputEncoding: 'hex'; encryptionMode: '3DES' }): string;
  };
  const DukptPackage = createRequire(import.meta.url)('dukpt') as new (bdk: string, ksn: string, keyMode: 'pinkey') => Dukpt;

  const digits = (label: string, length: number): string =>
    [...bytes(label, length)].map((b) => String(b % 10)).join('');

  it.each(Array.from({ length: 24 }, (_, i) => i))('case %i', (i) => {
    const bdk = bytes(`bdk ${i}`, 16);
    const ksn = randomKsn(i);
    const pin = digits(`pin ${i}`, 4 + (i % 9));
    const pan = `4${digits(`pan ${i}`, 12 + (i % 7))}`;

    const ours = encryptPinTdesDukpt({ ipek: deriveIpek(bdk, ksn), ksn, pin, pan });
    const theirs = new DukptPackage(hexOf(bdk), hexOf(ksn), 'pinkey').dukptEncrypt(hexOf(formatIso0PinBlock(pin, pan)), {
      inputEncoding: 'hex',
      outputEncoding: 'hex',
      encryptionMode: '3DES',
    });
    expect(hexOf(ours)).toBe(theirs.toUpperCase());
    expect(decryptPinTdesDukpt({ bdk, ksn, encryptedPinBlock: ours, pan })).toBe(pin);
  });
});

describe('TDES DUKPT rejects what a host must not accept', () => {
  const ksn = ksnFromHex('FFFF9876543210E00001');
  const encryptedPinBlock = hex('1B9C1845EB993A7A');

  it('reports a wrong BDK or a wrong PAN as a PIN block error', () => {
    const otherBdk = hex('FEDCBA98765432100123456789ABCDEF');
    expect(() => decryptPinTdesDukpt({ bdk: otherBdk, ksn, encryptedPinBlock, pan: PAN })).toThrow(PinBlockError);
    expect(() => decryptPinTdesDukpt({ bdk: BDK, ksn, encryptedPinBlock, pan: '4012345678919' })).toThrow(PinBlockError);
  });

  it('keeps IPEKs of different BDKs apart for the same KSN', () => {
    const otherBdk = hex('FEDCBA98765432100123456789ABCDEF');
    const otherBlock = encryptPinTdesDukpt({ ipek: deriveIpek(otherBdk, ksn), ksn, pin: '9876', pan: PAN });
    expect(decryptPinTdesDukpt({ bdk: BDK, ksn, encryptedPinBlock, pan: PAN })).toBe(PIN);
    expect(decryptPinTdesDukpt({ bdk: otherBdk, ksn, encryptedPinBlock: otherBlock, pan: PAN })).toBe('9876');
    expect(decryptPinTdesDukpt({ bdk: BDK, ksn, encryptedPinBlock, pan: PAN })).toBe(PIN);
  });

  it('rejects an encrypted PIN block of the wrong size as a PIN block error', () => {
    expect(() => decryptPinTdesDukpt({ bdk: BDK, ksn, encryptedPinBlock: hex('1B9C1845EB99'), pan: PAN })).toThrow(
      new PinBlockError('encrypted TDES PIN block must be 8 bytes, got 6'),
    );
  });

  it('rejects the initial KSN and impossible counters', () => {
    expect(() => deriveTransactionKey(hex(IPEK), INITIAL_KSN)).toThrow(
      new KsnError('TDES KSN counter 0 is the initial KSN; no transaction uses it'),
    );
    const elevenBits = Buffer.from(hex('FFFF9876543210E007FF'));
    expect(() => decryptPinTdesDukpt({ bdk: BDK, ksn: elevenBits, encryptedPinBlock, pan: PAN })).toThrow(KsnError);
  });

  it('rejects keys that are not double-length', () => {
    expect(() => deriveIpek(Buffer.concat([BDK, BDK.subarray(0, 8)]), ksn)).toThrow(
      'BDK must be a 16-byte double-length TDES key, got 24 bytes',
    );
    expect(() => deriveTransactionKey(hex('6AC292FAA1315B4D'), ksn)).toThrow(RangeError);
  });
});

describe('TDES DUKPT host key cache', () => {
  it('derives from cached ancestors exactly what the full A.3 walk derives, in any order', () => {
    const bdk = Buffer.from('0123456789ABCDEFFEDCBA9876543210', 'hex');
    const initial = ksnFromHex('FFFF9876543210E00000');
    const ipek = deriveIpek(bdk, initial);
    // A fixed pseudo-random walk over valid counters (≤ 10 one-bits), out of order, with repeats.
    let seed = 20261121;
    const counters: number[] = [];
    while (counters.length < 300) {
      seed = (seed * 1103515245 + 12345) % 2 ** 31;
      const counter = (seed % (1 << 21)) || 1;
      if (countOneBits(counter) <= 10) counters.push(counter, counter & (counter - 1) || counter);
    }
    const clearPinBlock = formatIso0PinBlock('2468', '4012345678909');
    for (const counter of counters) {
      const ksn = setKsnCounter(initial, counter);
      const encryptedPinBlock = encryptPinBlockTdesDukpt({ ipek, ksn, clearPinBlock });
      expect(decryptPinBlockTdesDukpt({ bdk, ksn, encryptedPinBlock }).toString('hex'), `counter ${counter}`).toBe(clearPinBlock.toString('hex'));
    }
  });
});
