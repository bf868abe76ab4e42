/** Encrypted card data in profile v4: DE120, through the real packager. */
import { describe, expect, it } from 'vitest';
import type { EncryptedCardData } from '../../common/card/encrypted-card-read.ts';
import { ENCRYPTED_CARD_DATA_FIELD, EncryptedCardDataError, encryptedCardDataField, readEncryptedCardData } from './encrypted-card-data.ts';
import { createMessage } from './message.ts';
import { createPackager } from './packager.ts';
import { PROFILE_FIELDS } from './profile.ts';

const packager = createPackager(PROFILE_FIELDS);
const overTheWire = (fields: Record<number, Uint8Array>) => packager.unpack(packager.pack(createMessage('0200', { 3: '000000', ...fields })));
const tdes: EncryptedCardData = { keyType: 'tdes-dukpt', ksn: Buffer.from('FFFF9876543211E00001', 'hex'), ciphertext: Buffer.alloc(80, 0xc3) };
const aes: EncryptedCardData = { keyType: 'aes-dukpt', ksn: Buffer.from('123456789012345700000001', 'hex'), ciphertext: Buffer.alloc(96, 0xd4) };

describe('encrypted card data (DE120)', () => {
  it('carries key type, KSN and ciphertext in one private-use field, LLL-prefixed', () => {
    const fields = encryptedCardDataField(tdes);
    expect(Object.keys(fields)).toEqual([String(ENCRYPTED_CARD_DATA_FIELD)]);
    const bytes = Buffer.from(fields[120]!);
    expect(bytes.subarray(0, 11).toString('hex').toUpperCase()).toBe('01FFFF9876543211E00001');
    const wire = Buffer.from(packager.pack(createMessage('0200', { 3: '000000', ...fields })));
    expect(wire.subarray(-(3 + 91)).toString('latin1', 0, 3)).toBe('091');
    expect(readEncryptedCardData(overTheWire(fields))).toEqual({ ok: true, encrypted: tdes });
    expect(readEncryptedCardData(overTheWire(encryptedCardDataField(aes)))).toEqual({ ok: true, encrypted: aes });
  });

  it('refuses to build a field whose KSN, key type or ciphertext do not belong together', () => {
    expect(() => encryptedCardDataField({ ...tdes, keyType: 'aes-dukpt' })).toThrow(EncryptedCardDataError);
    expect(() => encryptedCardDataField({ ...aes, ciphertext: Buffer.alloc(24) })).toThrow(EncryptedCardDataError);
    expect(() => encryptedCardDataField({ ...tdes, ciphertext: Buffer.alloc(136) })).toThrow(EncryptedCardDataError);
  });

  it('says missing without DE120, and malformed for an unknown key type, a short KSN or a partial block', () => {
    const good = Buffer.from(encryptedCardDataField(tdes)[120]!);
    expect(readEncryptedCardData(overTheWire({}))).toEqual({ ok: false, reason: 'missing' });
    expect(readEncryptedCardData(overTheWire({ 120: Uint8Array.from([0x03, ...good.subarray(1)]) }))).toEqual({ ok: false, reason: 'malformed' });
    expect(readEncryptedCardData(overTheWire({ 120: good.subarray(0, 9) }))).toEqual({ ok: false, reason: 'malformed' });
    expect(readEncryptedCardData(overTheWire({ 120: good.subarray(0, good.length - 3) }))).toEqual({ ok: false, reason: 'malformed' });
    expect(readEncryptedCardData(overTheWire({ 120: Uint8Array.from([0x02, ...good.subarray(1)]) }))).toEqual({ ok: false, reason: 'malformed' });
  });
});
