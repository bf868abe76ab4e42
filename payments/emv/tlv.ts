/**
 * BER-TLV as EMV uses it (EMV Book 3 Annex B), parsed and built here and nowhere else: the card
 * applications, the terminal kernel, the ISO 8583 DE55 field and the host all go through this file.
 * Also the data object lists (DOL: PDOL, CDOL1/2, DDOL) of Book 3 §5.4, which are tag + length
 * pairs without values.
 *
 * Tags are handled as upper-case hex strings ("9F26"), the form the data dictionary and the docs use.
 * Malformed input throws TlvError with the offset; a card or a host message is never half parsed.
 */

export class TlvError extends Error {
  override readonly name = 'TlvError';
  readonly offset: number;
  constructor(message: string, offset: number) {
    super(`${message} (at byte ${offset})`);
    this.offset = offset;
  }
}

export interface Tlv {
  readonly tag: string;
  readonly value: Buffer;
  /** Set for constructed tags (bit 6 of the first tag byte): the parsed children. */
  readonly children?: readonly Tlv[];
}

/** Whether a tag (hex) is constructed: its value is itself BER-TLV. */
export function isConstructed(tag: string): boolean {
  return (Number.parseInt(tag.slice(0, 2), 16) & 0x20) !== 0;
}

/**
 * Parses a sequence of TLV objects. Padding bytes 00 and FF between objects are skipped, as Book 3
 * Annex B allows; constructed objects are parsed recursively.
 */
export function parseTlv(bytes: Uint8Array): Tlv[] {
  const buf = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const out: Tlv[] = [];
  let offset = 0;
  while (offset < buf.length) {
    if (buf[offset] === 0x00 || buf[offset] === 0xff) {
      offset++;
      continue;
    }
    const tagStart = offset;
    offset = readTagEnd(buf, offset);
    const tag = buf.toString('hex', tagStart, offset).toUpperCase();
    const { length, next } = readLength(buf, offset);
    offset = next;
    if (offset + length > buf.length) throw new TlvError(`tag ${tag}: value of ${length} bytes runs past the end`, offset);
    const value = Buffer.from(buf.subarray(offset, offset + length));
    offset += length;
    out.push(isConstructed(tag) ? { tag, value, children: parseTlv(value) } : { tag, value });
  }
  return out;
}

function readTagEnd(buf: Buffer, offset: number): number {
  const first = buf[offset]!;
  offset++;
  if ((first & 0x1f) !== 0x1f) return offset;
  // Subsequent tag bytes: b8 set means another follows.
  for (let count = 0; count < 3; count++) {
    if (offset >= buf.length) throw new TlvError('tag runs past the end', offset);
    const byte = buf[offset]!;
    offset++;
    if ((byte & 0x80) === 0) return offset;
  }
  throw new TlvError('tag longer than 4 bytes', offset);
}

function readLength(buf: Buffer, offset: number): { length: number; next: number } {
  if (offset >= buf.length) throw new TlvError('length missing', offset);
  const first = buf[offset]!;
  if (first < 0x80) return { length: first, next: offset + 1 };
  const count = first & 0x7f;
  if (count === 0 || count > 3) throw new TlvError(`length form 0x${first.toString(16)} not allowed`, offset);
  if (offset + 1 + count > buf.length) throw new TlvError('length runs past the end', offset);
  let length = 0;
  for (let i = 1; i <= count; i++) length = length * 256 + buf[offset + i]!;
  return { length, next: offset + 1 + count };
}

/** Encodes one object (definite length, shortest form). */
export function encodeTlv(tag: string, value: Uint8Array): Buffer {
  if (!/^([0-9A-F]{2})+$/i.test(tag)) throw new TypeError(`tag must be hex: ${tag}`);
  return Buffer.concat([Buffer.from(tag, 'hex'), encodeLength(value.length), value]);
}

export function encodeLength(length: number): Buffer {
  if (length < 0x80) return Buffer.from([length]);
  if (length < 0x100) return Buffer.from([0x81, length]);
  if (length < 0x10000) return Buffer.from([0x82, length >> 8, length & 0xff]);
  throw new RangeError(`TLV length ${length} too large`);
}

/** Encodes objects in the order given. */
export function buildTlv(entries: Iterable<readonly [string, Uint8Array]>): Buffer {
  return Buffer.concat([...entries].map(([tag, value]) => encodeTlv(tag, value)));
}

/** The first object with `tag`, searching constructed objects depth first. */
export function findTlv(list: readonly Tlv[], tag: string): Tlv | undefined {
  const wanted = tag.toUpperCase();
  for (const entry of list) {
    if (entry.tag === wanted) return entry;
    const inner = entry.children ? findTlv(entry.children, wanted) : undefined;
    if (inner) return inner;
  }
  return undefined;
}

/** Every primitive object, constructed ones flattened, as a map (the first occurrence of a tag wins). */
export function flattenTlv(list: readonly Tlv[], into = new Map<string, Buffer>()): Map<string, Buffer> {
  for (const entry of list) {
    if (entry.children) flattenTlv(entry.children, into);
    else if (!into.has(entry.tag)) into.set(entry.tag, entry.value);
  }
  return into;
}

export interface DolEntry {
  readonly tag: string;
  readonly length: number;
}

/** A data object list: tags and lengths, no values (Book 3 §5.4). */
export function parseDol(bytes: Uint8Array): DolEntry[] {
  const buf = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const out: DolEntry[] = [];
  let offset = 0;
  while (offset < buf.length) {
    const start = offset;
    offset = readTagEnd(buf, offset);
    const tag = buf.toString('hex', start, offset).toUpperCase();
    const { length, next } = readLength(buf, offset);
    offset = next;
    out.push({ tag, length });
  }
  return out;
}

export function encodeDol(entries: readonly DolEntry[]): Buffer {
  return Buffer.concat(entries.map(({ tag, length }) => Buffer.concat([Buffer.from(tag, 'hex'), encodeLength(length)])));
}

/** How a DOL pads or cuts a value to its listed length (Book 3 §5.4), by the data element's format. */
export type DolPadding = 'numeric' | 'compressed-numeric' | 'other';

/**
 * The concatenated values a DOL asks for (Book 3 §5.4), each cut or padded to the listed length:
 * numeric (n) values are left-padded with zeros and cut from the left; compressed numeric (cn)
 * values right-padded with FF and cut from the right; others right-padded with zeros and cut from
 * the right. A missing value is zeros.
 */
export function buildDolData(dol: readonly DolEntry[], values: (tag: string) => Buffer | undefined, paddingOf: (tag: string) => DolPadding): Buffer {
  return Buffer.concat(
    dol.map(({ tag, length }) => {
      const value = values(tag);
      if (value === undefined) return Buffer.alloc(length);
      if (value.length === length) return value;
      const padding = paddingOf(tag);
      if (padding === 'numeric') return value.length > length ? value.subarray(value.length - length) : Buffer.concat([Buffer.alloc(length - value.length), value]);
      if (value.length > length) return value.subarray(0, length);
      return Buffer.concat([value, Buffer.alloc(length - value.length, padding === 'compressed-numeric' ? 0xff : 0x00)]);
    }),
  );
}

/** Splits DOL-related data back into values by the DOL, as the card does with CDOL data. */
export function splitDolData(dol: readonly DolEntry[], data: Uint8Array): Map<string, Buffer> {
  const total = dol.reduce((sum, entry) => sum + entry.length, 0);
  if (data.length !== total) throw new TlvError(`DOL data is ${data.length} bytes, the DOL asks for ${total}`, 0);
  const out = new Map<string, Buffer>();
  let offset = 0;
  for (const { tag, length } of dol) {
    out.set(tag, Buffer.from(data.subarray(offset, offset + length)));
    offset += length;
  }
  return out;
}
