/**
 * ISO 8583 field specifications as plain data, in the spirit of jPOS's GenericPackager XML: a
 * profile is a table, and the packager interprets it. Nothing here knows a particular network.
 */

import type { TlvSubfieldSpec } from './icc-data-field.ts';

/**
 * Content types this station's profiles use.
 *   n   digits 0–9
 *   an  letters and digits; space is accepted too, because fixed `an` fields are space-padded
 *   ans printable ASCII (0x20–0x7E)
 *   z   track 2 data in ASCII: digits and the '=' field separator (ISO/IEC 7813)
 *   b   raw bytes; the length counts bytes
 */
export type FieldType = 'n' | 'an' | 'ans' | 'z' | 'b';

/** 'fixed' fields always occupy `length`; LL/LLL fields carry a 2/3 ASCII-digit length before the data. */
export type LengthPrefix = 'fixed' | 'LL' | 'LLL';

export interface FieldSpec {
  readonly type: FieldType;
  /** Exact length for fixed fields, maximum length for LL/LLL fields (characters, or bytes for `b`). */
  readonly length: number;
  readonly prefix: LengthPrefix;
  readonly name: string;
  /** For a `b` field that is BER-TLV (DE55): its subfields; the packager checks the value against them. */
  readonly tlv?: ReadonlyMap<string, TlvSubfieldSpec>;
}

/** Data element number (2–128) → spec. Field 1 is the secondary bitmap and is never listed. */
export type MessageSpec = ReadonlyMap<number, FieldSpec>;

/**
 * The text a fixed field carries on the wire for `value`: numbers right-justified and zero-padded,
 * text left-justified and space-padded. Variable-length fields are sent as given. Used by the packer
 * and by anything that must compare a value it set with the one a peer echoes back (the mux).
 */
export function canonicalText(spec: FieldSpec, value: string): string {
  if (spec.prefix !== 'fixed' || value.length >= spec.length) return value;
  return spec.type === 'n' ? value.padStart(spec.length, '0') : value.padEnd(spec.length, ' ');
}
