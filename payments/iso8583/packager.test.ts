import { describe, expect, it } from 'vitest';
import type { FieldSpec, MessageSpec } from './field-spec.ts';
import { IsoFormatError } from './iso-format-error.ts';
import { createMessage } from './message.ts';
import { createPackager } from './packager.ts';

// A small profile with one field of every type and prefix, independent of the station's profile.
const spec: MessageSpec = new Map<number, FieldSpec>([
  [2, { type: 'n', length: 19, prefix: 'LL', name: 'PAN' }],
  [3, { type: 'n', length: 6, prefix: 'fixed', name: 'Processing code' }],
  [11, { type: 'n', length: 6, prefix: 'fixed', name: 'STAN' }],
  [35, { type: 'z', length: 37, prefix: 'LL', name: 'Track 2' }],
  [37, { type: 'an', length: 12, prefix: 'fixed', name: 'RRN' }],
  [41, { type: 'ans', length: 8, prefix: 'fixed', name: 'TID' }],
  [48, { type: 'b', length: 20, prefix: 'LLL', name: 'Binary var' }],
  [52, { type: 'b', length: 8, prefix: 'fixed', name: 'PIN block' }],
  [60, { type: 'ans', length: 999, prefix: 'LLL', name: 'Private' }],
  [70, { type: 'n', length: 3, prefix: 'fixed', name: 'Network code' }],
  [128, { type: 'b', length: 8, prefix: 'fixed', name: 'MAC' }],
]);
const packager = createPackager(spec);

function ascii(bytes: Uint8Array, from: number, to: number): string {
  return Buffer.from(bytes).toString('latin1', from, to);
}

function catchFormatError(action: () => unknown): IsoFormatError {
  try {
    action();
  } catch (error) {
    if (error instanceof IsoFormatError) return error;
    throw error;
  }
  throw new Error('expected an IsoFormatError');
}

describe('pack layout', () => {
  it('writes the MTI, an 8-byte primary bitmap and no secondary bitmap when no field is above 64', () => {
    const bytes = packager.pack(createMessage('0800', { 11: '000001', 41: 'TERM0001' }));
    expect(ascii(bytes, 0, 4)).toBe('0800');
    // Fields 11 and 41: byte 1 bit 3 (0x20), byte 6 bit 1 (0x80).
    expect([...bytes.subarray(4, 12)]).toEqual([0x00, 0x20, 0x00, 0x00, 0x00, 0x80, 0x00, 0x00]);
    expect(ascii(bytes, 12, bytes.length)).toBe('000001TERM0001');
  });

  it('adds the secondary bitmap and sets bit 1 when a field above 64 is present', () => {
    const bytes = packager.pack(createMessage('0800', { 11: '000001', 70: '301' }));
    expect(bytes[4]! & 0x80).toBe(0x80);
    // Field 70 is bit 6 of the secondary bitmap's first byte.
    expect([...bytes.subarray(12, 20)]).toEqual([0x04, 0, 0, 0, 0, 0, 0, 0]);
    expect(ascii(bytes, 20, bytes.length)).toBe('000001301');
  });

  it('sets bit 128 as the last bit of the secondary bitmap', () => {
    const mac = Buffer.from('0102030405060708', 'hex');
    const bytes = packager.pack(createMessage('0200', { 128: mac }));
    expect(bytes[19]).toBe(0x01);
    expect(bytes.subarray(20)).toEqual(mac);
  });

  it('right-justifies fixed numeric fields with zeros and left-justifies fixed text with spaces', () => {
    const bytes = packager.pack(createMessage('0200', { 3: '42', 37: 'AB1', 41: 'T1' }));
    expect(ascii(bytes, 12, bytes.length)).toBe('000042' + 'AB1         ' + 'T1      ');
  });

  it('prefixes LL fields with 2 ASCII digits and LLL fields with 3', () => {
    const bytes = packager.pack(createMessage('0200', { 2: '6212345678901232', 60: 'BATCH000001' }));
    expect(ascii(bytes, 12, bytes.length)).toBe('16' + '6212345678901232' + '011' + 'BATCH000001');
  });

  it('writes binary fields as raw bytes, with a byte-count prefix when variable', () => {
    const pin = Buffer.from('A1B2C3D4E5F60718', 'hex');
    const blob = Buffer.from([0x00, 0xff, 0x30]);
    const bytes = packager.pack(createMessage('0200', { 48: blob, 52: pin }));
    expect(ascii(bytes, 12, 15)).toBe('003');
    expect(bytes.subarray(15, 18)).toEqual(blob);
    expect(bytes.subarray(18)).toEqual(pin);
  });

  it('accepts empty variable-length fields', () => {
    const message = createMessage('0200', { 60: '' });
    expect(packager.unpack(packager.pack(message))).toEqual(message);
  });
});

describe('round trip', () => {
  it('unpacks what it packed, field for field, with fields in ascending order', () => {
    const message = createMessage('0210', {
      128: Buffer.from('1122334455667788', 'hex'),
      2: '6212345678901232',
      3: '000000',
      35: '6212345678901232=30121011234567',
      37: 'A1B2C3D4E5F6',
      41: 'POS-01 #',
      48: Buffer.from([1, 2, 3]),
      52: Buffer.from('0011223344556677', 'hex'),
      60: 'free text: ~!@#$%^&*()_+{}|',
      70: '001',
    });
    const unpacked = packager.unpack(packager.pack(message));
    expect(unpacked.mti).toBe('0210');
    expect([...unpacked.fields.keys()]).toEqual([2, 3, 35, 37, 41, 48, 52, 60, 70, 128]);
    for (const [field, value] of message.fields) expect(unpacked.fields.get(field)).toEqual(value);
  });

  it('keeps the padding it put on the wire, so a round trip is lossless', () => {
    const unpacked = packager.unpack(packager.pack(createMessage('0200', { 11: '7', 41: 'T1' })));
    expect(unpacked.fields.get(11)).toBe('000007');
    expect(unpacked.fields.get(41)).toBe('T1      ');
  });

  it('accepts a secondary bitmap that is present but empty (some packers always send one)', () => {
    const bytes = Buffer.concat([Buffer.from('0800'), Buffer.from('8020000000000000' + '0000000000000000', 'hex'), Buffer.from('000001')]);
    const unpacked = packager.unpack(bytes);
    expect(unpacked.fields).toEqual(new Map([[11, '000001']]));
  });

  it('returns binary values as copies that do not alias the input', () => {
    const bytes = packager.pack(createMessage('0200', { 52: Buffer.alloc(8, 0xaa) }));
    const unpacked = packager.unpack(bytes);
    bytes.fill(0);
    expect(unpacked.fields.get(52)).toEqual(Buffer.alloc(8, 0xaa));
  });

  it('unpacks from a Uint8Array view into a larger buffer', () => {
    const packed = packager.pack(createMessage('0800', { 11: '000001' }));
    const larger = new Uint8Array(packed.length + 10);
    larger.set(packed, 5);
    expect(packager.unpack(larger.subarray(5, 5 + packed.length)).fields.get(11)).toBe('000001');
  });
});

describe('charsets', () => {
  it.each([
    ['n', 3, '12a'],
    ['z', 35, '6212345678901232D3012'],
    ['an', 37, 'ABC-12'],
    ['ans', 41, 'TÉRM'],
    ['ans', 60, 'line\nbreak'],
  ])("rejects data outside '%s' on pack", (_type, field, value) => {
    const error = catchFormatError(() => packager.pack(createMessage('0200', { [field]: value })));
    expect(error.field).toBe(field);
    expect(error.message).toContain('not allowed');
  });

  it("accepts spaces in 'an' (its padding) and all printable ASCII in 'ans'", () => {
    const printable = Array.from({ length: 0x7f - 0x20 }, (_, i) => String.fromCharCode(0x20 + i)).join('');
    const message = createMessage('0200', { 37: 'AB 12', 60: printable });
    expect(packager.unpack(packager.pack(message)).fields.get(60)).toBe(printable);
  });

  it('never quotes field data in an error message', () => {
    const error = catchFormatError(() => packager.pack(createMessage('0200', { 2: '62123456789X1232' })));
    expect(error.message).not.toContain('6212');
    expect(error.message).toContain('DE2 (PAN)');
    expect(error.offset).toBe(12 + 2 + 11);
  });
});

describe('pack errors', () => {
  it.each(['020', '02000', '02a0', ''])('rejects the MTI %j', (mti) => {
    const error = catchFormatError(() => packager.pack(createMessage(mti, {})));
    expect(error.field).toBe(0);
    expect(error.offset).toBe(0);
  });

  it('rejects a field the profile does not define', () => {
    expect(catchFormatError(() => packager.pack(createMessage('0200', { 4: '000000000100' }))).field).toBe(4);
  });

  it('rejects text longer than a fixed field', () => {
    const error = catchFormatError(() => packager.pack(createMessage('0200', { 3: '0000000' })));
    expect(error.field).toBe(3);
    expect(error.message).toContain('at most 6');
  });

  it('rejects text longer than a variable field', () => {
    expect(catchFormatError(() => packager.pack(createMessage('0200', { 2: '1'.repeat(20) }))).field).toBe(2);
  });

  it('rejects binary of the wrong size: fixed binary fields are never padded', () => {
    const error = catchFormatError(() => packager.pack(createMessage('0200', { 52: Buffer.alloc(7) })));
    expect(error.message).toContain('exactly 8 bytes');
  });

  it('rejects bytes in a text field and text in a binary field', () => {
    expect(catchFormatError(() => packager.pack(createMessage('0200', { 3: Buffer.from('000000') }))).message).toContain('must be text');
    expect(catchFormatError(() => packager.pack(createMessage('0200', { 52: 'A1B2C3D4E5F60718' }))).message).toContain('must be bytes');
  });

  it('reports the offset where the failing field would start', () => {
    const error = catchFormatError(() => packager.pack(createMessage('0200', { 3: '000000', 11: '1234567' })));
    expect(error.offset).toBe(12 + 6);
  });
});

describe('unpack errors', () => {
  const valid = packager.pack(createMessage('0200', { 2: '6212345678901232', 3: '000000', 41: 'TERM0001' }));

  it('rejects a message too short for an MTI', () => {
    expect(catchFormatError(() => packager.unpack(Buffer.from('02'))).field).toBe(0);
  });

  it('rejects a non-numeric MTI', () => {
    const bytes = Buffer.from(valid);
    bytes.write('02X0', 0, 'latin1');
    expect(catchFormatError(() => packager.unpack(bytes)).field).toBe(0);
  });

  it('rejects a message that ends inside the primary bitmap', () => {
    const error = catchFormatError(() => packager.unpack(valid.subarray(0, 9)));
    expect(error.field).toBe(1);
  });

  it('rejects a message that ends inside the secondary bitmap', () => {
    const bytes = Buffer.concat([Buffer.from('0200'), Buffer.from('8000000000000000', 'hex'), Buffer.alloc(3)]);
    expect(catchFormatError(() => packager.unpack(bytes)).message).toContain('secondary bitmap');
  });

  it('rejects a bitmap bit for a field the profile does not define', () => {
    const bytes = Buffer.concat([Buffer.from('0200'), Buffer.from('1000000000000000', 'hex'), Buffer.from('000000000100')]);
    const error = catchFormatError(() => packager.unpack(bytes));
    expect(error.field).toBe(4);
    expect(error.offset).toBe(4);
  });

  it('rejects a length prefix that is not digits', () => {
    const bytes = Buffer.from(valid);
    bytes.write('1X', 12, 'latin1');
    const error = catchFormatError(() => packager.unpack(bytes));
    expect(error.field).toBe(2);
    expect(error.offset).toBe(12);
  });

  it('rejects a length above the field maximum', () => {
    const bytes = Buffer.from(valid);
    bytes.write('20', 12, 'latin1');
    expect(catchFormatError(() => packager.unpack(bytes)).message).toContain('exceeds the maximum 19');
  });

  it('rejects a message that ends inside a length prefix', () => {
    expect(catchFormatError(() => packager.unpack(valid.subarray(0, 13))).message).toContain('length prefix');
  });

  it('rejects a message that ends inside a field', () => {
    const error = catchFormatError(() => packager.unpack(valid.subarray(0, valid.length - 1)));
    expect(error.field).toBe(41);
    expect(error.message).toContain('ends inside the field');
  });

  it('rejects bytes left over after the last field', () => {
    const error = catchFormatError(() => packager.unpack(Buffer.concat([valid, Buffer.from('XY')])));
    expect(error.field).toBeUndefined();
    expect(error.offset).toBe(valid.length);
  });

  it('rejects data outside the field type, pointing at the bad byte', () => {
    const bytes = Buffer.from(valid);
    bytes.write('A', 12 + 2 + 3, 'latin1');
    const error = catchFormatError(() => packager.unpack(bytes));
    expect(error.field).toBe(2);
    expect(error.offset).toBe(17);
    expect(error.message).not.toContain('621');
  });
});

describe('peekIdentity', () => {
  const request = createMessage('0200', { 2: '6212345678901232', 3: '000000', 11: '000123', 35: '6212345678901232=3012101', 41: 'TERM0001' });

  it('reads MTI, STAN and TID from a message whose later fields are broken', () => {
    const bytes = Buffer.concat([packager.pack(request), Buffer.from('trailing')]);
    expect(() => packager.unpack(bytes)).toThrow(IsoFormatError);
    expect(packager.peekIdentity(bytes)).toEqual({ mti: '0200', stan: '000123', tid: 'TERM0001' });
  });

  it('reads past fields whose content is bad but whose length is known', () => {
    const bytes = packager.pack(request);
    bytes.write('X', 12 + 2, 'latin1'); // inside the PAN
    expect(packager.peekIdentity(bytes)).toEqual({ mti: '0200', stan: '000123', tid: 'TERM0001' });
  });

  it('stops where the structure breaks and keeps what it read before', () => {
    const bytes = packager.pack(request);
    const track2Prefix = 12 + 2 + 16 + 6 + 6;
    bytes.write('9X', track2Prefix, 'latin1');
    expect(packager.peekIdentity(bytes)).toEqual({ mti: '0200', stan: '000123' });
  });

  it('leaves out a STAN that is not well formed', () => {
    const bytes = packager.pack(request);
    bytes.write('00012?', 12 + 2 + 16 + 6, 'latin1');
    expect(packager.peekIdentity(bytes)).toEqual({ mti: '0200', tid: 'TERM0001' });
  });

  it('returns nothing for garbage and never throws', () => {
    expect(packager.peekIdentity(Buffer.from('hello'))).toEqual({});
    expect(packager.peekIdentity(new Uint8Array(0))).toEqual({});
    expect(packager.peekIdentity(Buffer.from('0200'))).toEqual({ mti: '0200' });
  });
});

describe('createPackager', () => {
  it.each([
    [1, { type: 'b', length: 8, prefix: 'fixed', name: 'bitmap' }],
    [129, { type: 'n', length: 1, prefix: 'fixed', name: 'too far' }],
    [2, { type: 'n', length: 100, prefix: 'LL', name: 'too long for LL' }],
    [2, { type: 'n', length: 1000, prefix: 'LLL', name: 'too long for LLL' }],
    [2, { type: 'n', length: 0, prefix: 'fixed', name: 'empty' }],
    [2, { type: 'x', length: 1, prefix: 'fixed', name: 'unknown type' }],
  ])('rejects a spec with field %i %o', (number, fieldSpec) => {
    expect(() => createPackager(new Map([[number, fieldSpec as FieldSpec]]))).toThrow(TypeError);
  });
});
