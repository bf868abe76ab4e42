/**
 * Packs and unpacks ISO 8583 messages by interpreting a MessageSpec (jPOS GenericPackager style).
 * Wire format: MTI as 4 ASCII digits, 8-byte binary primary bitmap, 8-byte secondary bitmap when
 * bit 1 is set, then the fields in ascending order. Text is ASCII; LL/LLL prefixes are ASCII digits.
 *
 * Speed matters (the host packs and unpacks every message): the spec is compiled once into an array
 * indexed by field number, characters are checked against lookup tables while they are copied, and
 * the output buffer is allocated once at its exact size.
 */
import { CHARSETS } from './charsets.ts';
import type { FieldSpec, MessageSpec } from './field-spec.ts';
import { tlvFieldProblem } from './icc-data-field.ts';
import { IsoFormatError } from './iso-format-error.ts';
import type { FieldValue, IsoMessage } from './message.ts';

export interface PeekedIdentity {
  mti?: string;
  /** DE11, when it could be read and is well formed. */
  stan?: string;
  /** DE41, when it could be read and is well formed. */
  tid?: string;
}

export interface IsoPackager {
  readonly spec: MessageSpec;
  /** Throws IsoFormatError when the message does not fit the profile. */
  pack(message: IsoMessage): Buffer;
  /** Throws IsoFormatError when the bytes are not exactly one well-formed message. */
  unpack(bytes: Uint8Array): IsoMessage;
  /**
   * Best-effort MTI, DE11 and DE41 from bytes that failed to unpack, so a host can still answer the
   * sender (DE39=30). Whatever cannot be read is left out; it never throws.
   */
  peekIdentity(bytes: Uint8Array): PeekedIdentity;
}

interface CompiledField {
  readonly number: number;
  readonly spec: FieldSpec;
  /** "DE4 (Amount, transaction)", for error messages. */
  readonly label: string;
  readonly prefixDigits: 0 | 2 | 3;
  /** Charset table for text fields; undefined for binary fields. */
  readonly allowed: Uint8Array | undefined;
}

const MTI_BYTES = 4;
const BITMAP_BYTES = 8;
const STAN_FIELD = 11;
const TID_FIELD = 41;

export function createPackager(spec: MessageSpec): IsoPackager {
  const compiled = compileSpec(spec);
  const order = compiled.filter((field): field is CompiledField => field !== undefined);

  function pack(message: IsoMessage): Buffer {
    const { mti, fields } = message;
    if (typeof mti !== 'string' || mti.length !== MTI_BYTES || !allDigits(mti)) {
      throw new IsoFormatError('MTI must be 4 digits', 0, 0);
    }
    let secondary = false;
    for (const number of fields.keys()) {
      if (compiled[number] === undefined) throw new IsoFormatError(`field ${number} is not defined in the profile`, 0, number);
      if (number > 64) secondary = true;
    }

    // Pass 1: types and lengths, so the buffer can be allocated once at its exact size.
    let size = MTI_BYTES + BITMAP_BYTES * (secondary ? 2 : 1);
    const present: CompiledField[] = [];
    for (const field of order) {
      const value = fields.get(field.number);
      if (value === undefined) continue;
      size += field.prefixDigits + encodedLength(field, value, size, mti);
      present.push(field);
    }

    // Pass 2: write, checking each character as it is copied.
    const out = Buffer.allocUnsafe(size);
    for (let i = 0; i < MTI_BYTES; i++) out[i] = mti.charCodeAt(i);
    const bitmapEnd = MTI_BYTES + BITMAP_BYTES * (secondary ? 2 : 1);
    out.fill(0, MTI_BYTES, bitmapEnd);
    if (secondary) out[MTI_BYTES] = 0x80;
    let offset = bitmapEnd;
    for (const field of present) {
      const bit = field.number - 1;
      out[MTI_BYTES + (bit >> 3)]! |= 0x80 >> (bit & 7);
      offset = writeField(out, offset, field, fields.get(field.number)!);
    }
    return out;
  }

  function unpack(bytes: Uint8Array): IsoMessage {
    const buf = asBuffer(bytes);
    if (buf.length < MTI_BYTES || !digitsAt(buf, 0, MTI_BYTES)) throw new IsoFormatError('MTI must be 4 ASCII digits', 0, 0);
    const mti = buf.toString('latin1', 0, MTI_BYTES);
    const fields = new Map<number, FieldValue>();
    walkFields(buf, compiled, (field, start, end) => {
      fields.set(field.number, readValue(buf, field, start, end, mti));
      return true;
    });
    return { mti, fields };
  }

  function peekIdentity(bytes: Uint8Array): PeekedIdentity {
    const buf = asBuffer(bytes);
    const identity: PeekedIdentity = {};
    if (buf.length >= MTI_BYTES && digitsAt(buf, 0, MTI_BYTES)) identity.mti = buf.toString('latin1', 0, MTI_BYTES);
    try {
      walkFields(buf, compiled, (field, start, end) => {
        if (field.number === STAN_FIELD || field.number === TID_FIELD) {
          const value = wellFormedText(buf, field, start, end);
          if (value !== undefined && field.number === STAN_FIELD) identity.stan = value;
          if (value !== undefined && field.number === TID_FIELD) identity.tid = value;
        }
        return field.number < TID_FIELD;
      });
    } catch (error) {
      if (!(error instanceof IsoFormatError)) throw error;
      // The walk stopped where the structure broke; whatever was read before that stands.
    }
    return identity;
  }

  return { spec, pack, unpack, peekIdentity };
}

function compileSpec(spec: MessageSpec): (CompiledField | undefined)[] {
  const compiled: (CompiledField | undefined)[] = new Array(129).fill(undefined);
  for (const [number, fieldSpec] of [...spec].sort(([a], [b]) => a - b)) {
    if (!Number.isInteger(number) || number < 2 || number > 128) throw new TypeError(`field number ${number} must be 2–128 (field 1 is the bitmap)`);
    const { type, length, prefix } = fieldSpec;
    const maxLength = prefix === 'LL' ? 99 : prefix === 'LLL' ? 999 : Infinity;
    if (!Number.isInteger(length) || length < 1 || length > maxLength) throw new TypeError(`field ${number}: length ${length} does not fit prefix ${prefix}`);
    if (type !== 'b' && !Object.hasOwn(CHARSETS, type)) throw new TypeError(`field ${number}: unknown type ${String(type)}`);
    compiled[number] = {
      number,
      spec: fieldSpec,
      label: `DE${number} (${fieldSpec.name})`,
      prefixDigits: prefix === 'LL' ? 2 : prefix === 'LLL' ? 3 : 0,
      allowed: type === 'b' ? undefined : CHARSETS[type],
    };
  }
  return compiled;
}

/** The data length `value` will occupy (without its prefix); throws when type or length is wrong. */
function encodedLength(field: CompiledField, value: FieldValue, offset: number, mti: string): number {
  const { spec, label } = field;
  const binary = spec.type === 'b';
  if (binary ? !(value instanceof Uint8Array) : typeof value !== 'string') {
    throw new IsoFormatError(`${label} must be ${binary ? 'bytes' : 'text'}`, offset, field.number);
  }
  const length = binary ? (value as Uint8Array).byteLength : (value as string).length;
  const unit = binary ? 'bytes' : 'characters';
  if (spec.prefix === 'fixed') {
    // Text is padded to the fixed length; bytes never are, since a padded key or PIN block is wrong.
    if (binary ? length !== spec.length : length > spec.length) {
      throw new IsoFormatError(`${label} must be ${binary ? 'exactly' : 'at most'} ${spec.length} ${unit}, got ${length}`, offset, field.number);
    }
    return spec.length;
  }
  if (length > spec.length) throw new IsoFormatError(`${label} must be at most ${spec.length} ${unit}, got ${length}`, offset, field.number);
  if (spec.tlv) checkTlv(field, value as Uint8Array, offset, mti);
  return length;
}

/**
 * A BER-TLV field (DE55) must fit its subfields, each in the direction it may travel (ISO 8583's third
 * MTI digit: even for a request or advice, odd for the answer); the error names the tag, never a value.
 */
function checkTlv(field: CompiledField, value: Uint8Array, offset: number, mti: string): void {
  const problem = tlvFieldProblem(field.spec.tlv!, value, Number(mti[2]) % 2 === 0 ? 'request' : 'response');
  if (problem !== undefined) throw new IsoFormatError(`${field.label}: ${problem}`, offset, field.number);
}

/** Writes prefix and data at `offset`, returns the offset after the field. */
function writeField(out: Buffer, offset: number, field: CompiledField, value: FieldValue): number {
  const { spec, allowed } = field;
  if (allowed === undefined) {
    const bytes = value as Uint8Array;
    if (field.prefixDigits > 0) offset = writeDigits(out, offset, bytes.byteLength, field.prefixDigits);
    out.set(bytes, offset);
    return offset + bytes.byteLength;
  }
  const text = value as string;
  if (field.prefixDigits > 0) offset = writeDigits(out, offset, text.length, field.prefixDigits);
  const padding = spec.prefix === 'fixed' ? spec.length - text.length : 0;
  if (padding > 0 && spec.type === 'n') {
    out.fill(0x30, offset, offset + padding);
    offset += padding;
  }
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (code > 0xff || allowed[code] === 0) {
      throw new IsoFormatError(`${field.label}: character ${i + 1} is not allowed in '${spec.type}' data`, offset + i, field.number);
    }
    out[offset + i] = code;
  }
  offset += text.length;
  if (padding > 0 && spec.type !== 'n') {
    out.fill(0x20, offset, offset + padding);
    offset += padding;
  }
  return offset;
}

function writeDigits(out: Buffer, offset: number, value: number, width: number): number {
  for (let i = width - 1; i >= 0; i--) {
    out[offset + i] = 0x30 + (value % 10);
    value = Math.floor(value / 10);
  }
  return offset + width;
}

/**
 * Walks the bitmap(s) and fields, checking structure only (MTI length, bitmaps, prefixes, bounds),
 * and hands each field's data bounds to `visit`; `visit` returns false to stop early.
 */
function walkFields(
  buf: Buffer,
  compiled: readonly (CompiledField | undefined)[],
  visit: (field: CompiledField, start: number, end: number) => boolean,
): void {
  const total = buf.length;
  if (total < MTI_BYTES + BITMAP_BYTES) throw new IsoFormatError(`message is ${total} bytes, too short for an MTI and a bitmap`, Math.min(total, MTI_BYTES), 1);
  const bitmapBytes = (buf[MTI_BYTES]! & 0x80) !== 0 ? 2 * BITMAP_BYTES : BITMAP_BYTES;
  if (total < MTI_BYTES + bitmapBytes) throw new IsoFormatError('message ends inside the secondary bitmap', total, 1);
  let offset = MTI_BYTES + bitmapBytes;
  for (let byteIndex = 0; byteIndex < bitmapBytes; byteIndex++) {
    const bits = buf[MTI_BYTES + byteIndex]!;
    if (bits === 0) continue;
    for (let bit = 0; bit < 8; bit++) {
      if ((bits & (0x80 >> bit)) === 0) continue;
      const number = byteIndex * 8 + bit + 1;
      if (number === 1) continue;
      const field = compiled[number];
      if (field === undefined) throw new IsoFormatError(`bitmap has field ${number}, which the profile does not define`, MTI_BYTES + byteIndex, number);
      let length = field.spec.length;
      let start = offset;
      if (field.prefixDigits > 0) {
        start = offset + field.prefixDigits;
        if (start > total) throw new IsoFormatError(`${field.label}: message ends inside the length prefix`, offset, number);
        if (!digitsAt(buf, offset, field.prefixDigits)) throw new IsoFormatError(`${field.label}: length prefix is not ASCII digits`, offset, number);
        length = readDigits(buf, offset, field.prefixDigits);
        if (length > field.spec.length) throw new IsoFormatError(`${field.label}: length ${length} exceeds the maximum ${field.spec.length}`, offset, number);
      }
      const end = start + length;
      if (end > total) throw new IsoFormatError(`${field.label}: message ends inside the field (needs ${length} bytes)`, start, number);
      if (!visit(field, start, end)) return;
      offset = end;
    }
  }
  if (offset !== total) throw new IsoFormatError(`${total - offset} bytes left over after the last field`, offset);
}

function readValue(buf: Buffer, field: CompiledField, start: number, end: number, mti: string): FieldValue {
  const { allowed } = field;
  if (allowed === undefined) {
    const bytes = Buffer.copyBytesFrom(buf, start, end - start);
    if (field.spec.tlv) checkTlv(field, bytes, start, mti);
    return bytes;
  }
  for (let i = start; i < end; i++) {
    if (allowed[buf[i]!] === 0) throw new IsoFormatError(`${field.label}: byte ${i - start + 1} is not allowed in '${field.spec.type}' data`, i, field.number);
  }
  return buf.toString('latin1', start, end);
}

function wellFormedText(buf: Buffer, field: CompiledField, start: number, end: number): string | undefined {
  try {
    // Only text fields (DE11, DE41) are peeked, so no TLV field and its direction is ever read here.
    const value = readValue(buf, field, start, end, '0000');
    return typeof value === 'string' ? value : undefined;
  } catch (error) {
    if (error instanceof IsoFormatError) return undefined;
    throw error;
  }
}

function asBuffer(bytes: Uint8Array): Buffer {
  return Buffer.isBuffer(bytes) ? bytes : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}

function allDigits(text: string): boolean {
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (code < 0x30 || code > 0x39) return false;
  }
  return true;
}

function digitsAt(buf: Buffer, offset: number, count: number): boolean {
  if (offset + count > buf.length) return false;
  for (let i = offset; i < offset + count; i++) {
    const code = buf[i]!;
    if (code < 0x30 || code > 0x39) return false;
  }
  return true;
}

function readDigits(buf: Buffer, offset: number, count: number): number {
  let value = 0;
  for (let i = offset; i < offset + count; i++) value = value * 10 + buf[i]! - 0x30;
  return value;
}
