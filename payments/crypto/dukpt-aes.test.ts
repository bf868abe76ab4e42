import { describe, expect, it } from 'vitest';
import { aesDecryptBlock } from './block-cipher.ts';
import {
  decryptPinAesDukpt,
  deriveInitialKeyAes,
  derivePinKeyAes,
  deriveTransactionKeyAes,
  encryptPinAesDukpt,
} from './dukpt-aes.ts';
import { aesKsnFromHex, nextAesKsn } from './ksn-aes.ts';
import { KsnError } from './ksn-error.ts';
import { PinBlockError } from './pin-block-error.ts';
import { encipherIso4PinBlock, formatIso4PanField, formatIso4PinField } from './pin-block-iso4.ts';
import { xor } from './xor.ts';

const hex = (s: string): Buffer => Buffer.from(s, 'hex');
const hexOf = (b: Buffer): string => b.toString('hex').toUpperCase();

// ANSI X9.24-3:2017 B.1 sample test vectors and supplement test vectors for the AES-128 BDK, as
// transcribed in openemv/dukpt test/dukpt_aes128_test.c.
const BDK = hex('FEDCBA9876543210F1F1F1F1F1F1F1F1');
const INITIAL_KEY_ID = hex('1234567890123456');
const INITIAL_KEY = '1273671EA26AC29AFA4D1084127652A1';
const PIN = '1234';
const PAN = '4111111111111111';
const RANDOM_FILL = hex('2F69ADDE2E9E7ACE');

// First eight transactions: [KSN, transaction (derivation) key, PIN encryption key, encrypted PIN block].
const FIRST_EIGHT: readonly (readonly [string, string, string, string])[] = [
  ['123456789012345600000001', '4F21B565BAD9835E112B6465635EAE44', 'AF8CB133A78F8DC2D1359F18527593FB', 'A912150391AB65A67E52883D81CE2D15'],
  ['123456789012345600000002', '2F34D68DE10F68D38091A73B9E7C437C', 'D30BDC73EC9714B000BEC66BDB7B6D09', '52A00503BD34BA1383F6A7EE9FE2547F'],
  ['123456789012345600000003', '031504E530365CF81264238540518318', '7D69F01F3B45449F62C7816ECE723268', 'A5A27E82B43A9A866A93D7ABE89CEF93'],
  ['123456789012345600000004', '0EEFC7ADA628BA68878DA9165A8A1887', '91A0588318EC2673214271F70137896E', '71B3D0528669498777555A8BE6698E44'],
  ['123456789012345600000005', 'C2A7AC328A5DA2D6002D62465BFC028B', '35A43BC9EFEB09C756204B57E3FB7D4D', '881A7F77A2E04E5BEA985E342FD0B628'],
  ['123456789012345600000006', 'D30F7D9351DA58448A2F5E92B4EE3B7D', '02DCC6CD1201A3A2CA7099559C862123', 'BDC1C3871AFB0B340AA5B5CEFD08695E'],
  ['123456789012345600000007', 'A8253CEED9AC042C54F75D35C8352278', '6ECF912F3B18CA11A7A27BB60705FD09', '4A8E6B8C7DBEE6CBA6DC774F0CB83396'],
  ['123456789012345600000008', '718EE6CF0B27E53D5F7AF99C4D8146A2', '4D9DF3FBEE3448FC3E676D04320A90F5', '8308BB857C17F390369F761F8EB358FA'],
];

// Transaction keys around the 16-one-bit limit and at the end of the counter space.
const LATER_TRANSACTION_KEYS: readonly (readonly [string, string])[] = [
  ['12345678901234560001FFFE', 'E21E8C8D347F8561A2BE752DAA85A111'],
  ['123456789012345600020000', 'F7AE9025468A25D37B7249CFFED224C8'],
  ['123456789012345600020001', '692C8EA4013645135B36497131DF9D2C'],
  ['1234567890123456FFFE2000', '48E585B694EB0B18D5C35443E163C0BA'],
  ['1234567890123456FFFE4000', '396C2C7CA1EA701C03B86B7D41F0C562'],
  ['1234567890123456FFFE8000', '0387625F189B58AE03EF0E8CCA41105E'],
  ['1234567890123456FFFF0000', 'F6BA59389BD14A9855BE9727E7C52E3C'],
];

describe('AES DUKPT, ANSI X9.24-3:2017 test vectors', () => {
  it('derives the initial key from the AES-128 BDK', () => {
    expect(hexOf(deriveInitialKeyAes(BDK, INITIAL_KEY_ID))).toBe(INITIAL_KEY);
  });

  it('derives the first eight transaction keys, PIN keys and encrypted PIN blocks', () => {
    const initialKey = hex(INITIAL_KEY);
    let ksn = aesKsnFromHex('123456789012345600000000');
    for (const [ksnHex, transactionKey, pinKey, encryptedPinBlock] of FIRST_EIGHT) {
      ksn = nextAesKsn(ksn);
      expect(hexOf(ksn)).toBe(ksnHex);
      const derivedTransactionKey = deriveTransactionKeyAes(initialKey, ksn);
      expect(hexOf(derivedTransactionKey)).toBe(transactionKey);
      const derivedPinKey = derivePinKeyAes(derivedTransactionKey, ksn);
      expect(hexOf(derivedPinKey)).toBe(pinKey);
      expect(hexOf(encipherIso4PinBlock(derivedPinKey, formatIso4PinField(PIN, RANDOM_FILL), PAN))).toBe(encryptedPinBlock);
      expect(decryptPinAesDukpt({ bdk: BDK, ksn, encryptedPinBlock: hex(encryptedPinBlock), pan: PAN })).toBe(PIN);
    }
  });

  it.each(LATER_TRANSACTION_KEYS)('derives the transaction key for KSN %s', (ksnHex, transactionKey) => {
    expect(hexOf(deriveTransactionKeyAes(hex(INITIAL_KEY), aesKsnFromHex(ksnHex)))).toBe(transactionKey);
  });
});

describe('AES DUKPT PIN encryption', () => {
  it('encrypts a PIN the host decrypts, under the published PIN key, with fresh random fill', () => {
    const ksn = aesKsnFromHex('123456789012345600000001');
    const first = encryptPinAesDukpt({ initialKey: hex(INITIAL_KEY), ksn, pin: PIN, pan: PAN });
    const second = encryptPinAesDukpt({ initialKey: hex(INITIAL_KEY), ksn, pin: PIN, pan: PAN });
    expect(first).not.toEqual(second);
    expect(decryptPinAesDukpt({ bdk: BDK, ksn, encryptedPinBlock: first, pan: PAN })).toBe(PIN);

    // Independently of our decrypt path: undo the format 4 encipherment with the published PIN key.
    const pinKey = hex(FIRST_EIGHT[0]![2]);
    const pinField = aesDecryptBlock(pinKey, xor(aesDecryptBlock(pinKey, first), formatIso4PanField(PAN)));
    expect(hexOf(pinField.subarray(0, 8))).toBe('441234AAAAAAAAAA');
  });

  it('round-trips 4- to 12-digit PINs at an arbitrary counter', () => {
    const ksn = aesKsnFromHex('1234567890123456000A5F03');
    const initialKey = deriveInitialKeyAes(BDK, INITIAL_KEY_ID);
    for (const pin of ['0000', '98765', '123456789012']) {
      const encryptedPinBlock = encryptPinAesDukpt({ initialKey, ksn, pin, pan: '4012345678909' });
      expect(decryptPinAesDukpt({ bdk: BDK, ksn, encryptedPinBlock, pan: '4012345678909' })).toBe(pin);
    }
  });

  it('reports a wrong BDK, a wrong PAN or a short block as a PIN block error', () => {
    const ksn = aesKsnFromHex('123456789012345600000001');
    const encryptedPinBlock = hex(FIRST_EIGHT[0]![3]);
    const otherBdk = hex('F1F1F1F1F1F1F1F1FEDCBA9876543210');
    expect(() => decryptPinAesDukpt({ bdk: otherBdk, ksn, encryptedPinBlock, pan: PAN })).toThrow(PinBlockError);
    expect(() => decryptPinAesDukpt({ bdk: BDK, ksn, encryptedPinBlock, pan: '4111111111111112' })).toThrow(PinBlockError);
    expect(() => decryptPinAesDukpt({ bdk: BDK, ksn, encryptedPinBlock: encryptedPinBlock.subarray(0, 8), pan: PAN })).toThrow(
      new PinBlockError('encrypted AES PIN block must be 16 bytes, got 8'),
    );
  });

  it('rejects the initial KSN, impossible counters and keys that are not AES-128', () => {
    expect(() => deriveTransactionKeyAes(hex(INITIAL_KEY), aesKsnFromHex('123456789012345600000000'))).toThrow(
      new KsnError('AES KSN counter 0 is the initial KSN; no transaction uses it'),
    );
    const seventeenBits = hex('12345678901234560001FFFF');
    expect(() => deriveTransactionKeyAes(hex(INITIAL_KEY), seventeenBits)).toThrow(KsnError);
    expect(() => deriveInitialKeyAes(Buffer.concat([BDK, BDK]), INITIAL_KEY_ID)).toThrow(
      'BDK must be a 16-byte AES-128 key, got 32 bytes',
    );
    expect(() => deriveInitialKeyAes(BDK, INITIAL_KEY_ID.subarray(0, 6))).toThrow('AES initial key ID must be 8 bytes, got 6');
  });
});
