/** PIN data in profile v1: DE52/DE53 for TDES DUKPT, DE111 for AES DUKPT, through the real packager. */
import { describe, expect, it } from 'vitest';
import { createMessage } from './message.ts';
import { createPackager } from './packager.ts';
import { AES_128_DUKPT_FORMAT_4, pinDataFields, readPinData } from './pin-data.ts';
import { PROFILE_FIELDS } from './profile.ts';

const packager = createPackager(PROFILE_FIELDS);
const tdes = { pinBlock: Buffer.alloc(8, 0xa1), ksn: Buffer.from('FFFF9876543210E00001', 'hex') };
const aes = { pinBlock: Buffer.alloc(16, 0xb2), ksn: Buffer.from('123456789012345600000001', 'hex') };

/** A request with these fields, packed to bytes and read back as the host would. */
const overTheWire = (fields: Record<number, Uint8Array>) => packager.unpack(packager.pack(createMessage('0200', { 3: '000000', ...fields })));

describe('PIN data fields', () => {
  it('puts a TDES block and KSN in DE52 and DE53', () => {
    expect(pinDataFields(tdes)).toEqual({ 52: tdes.pinBlock, 53: tdes.ksn });
    expect(readPinData(overTheWire(pinDataFields(tdes)))).toEqual({ ok: true, pin: { keyType: 'tdes-dukpt', ...tdes } });
  });

  it('puts an AES block and KSN in DE111 as key type, KSN, block: 29 bytes after an LLL prefix', () => {
    const fields = pinDataFields(aes);
    expect(Object.keys(fields)).toEqual(['111']);
    expect(Buffer.from(fields[111] as Uint8Array).toString('hex').toUpperCase()).toBe(`01123456789012345600000001${'B2'.repeat(16)}`);
    const wire = Buffer.from(packager.pack(createMessage('0200', { 3: '000000', ...fields })));
    expect(wire.subarray(-32).toString('latin1', 0, 3)).toBe('029');
    expect(readPinData(overTheWire(fields))).toEqual({ ok: true, pin: { keyType: 'aes-dukpt', ...aes } });
  });

  it('refuses a block and KSN that belong to neither key type', () => {
    expect(() => pinDataFields({ pinBlock: aes.pinBlock, ksn: tdes.ksn })).toThrow(RangeError);
    expect(() => pinDataFields({ pinBlock: tdes.pinBlock, ksn: aes.ksn })).toThrow(RangeError);
  });

  it('says missing when a request has no PIN fields, and malformed for anything half-made', () => {
    const aesData = pinDataFields(aes)[111] as Uint8Array;
    expect(readPinData(overTheWire({}))).toEqual({ ok: false, reason: 'missing' });
    expect(readPinData(overTheWire({ 52: tdes.pinBlock }))).toEqual({ ok: false, reason: 'malformed' });
    expect(readPinData(overTheWire({ 53: tdes.ksn }))).toEqual({ ok: false, reason: 'malformed' });
    expect(readPinData(overTheWire({ ...pinDataFields(tdes), 111: aesData }))).toEqual({ ok: false, reason: 'malformed' });
    expect(readPinData(overTheWire({ 111: aesData.subarray(0, 28) }))).toEqual({ ok: false, reason: 'malformed' });
    expect(readPinData(overTheWire({ 111: Uint8Array.from([AES_128_DUKPT_FORMAT_4 + 1, ...aesData.subarray(1)]) }))).toEqual({ ok: false, reason: 'malformed' });
  });
});
