/**
 * Cross-check against an independent implementation, the npm package `iso_8583`: messages we pack
 * unpack identically there, and messages it packs unpack identically here. Its field formats are
 * derived from PROFILE_FIELDS below, so the two agree on this profile by construction of the table,
 * not by copying our packer's logic.
 */
import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';
import type { FieldSpec } from './field-spec.ts';
import { createMessage, type IsoMessage } from './message.ts';
import { createPackager } from './packager.ts';
import { PROFILE_FIELDS } from './profile.ts';
import { samplePurchaseRequest, samplePurchaseResponse, sampleSettlementRequest } from './sample-messages.ts';

/** The slice of iso_8583's API these tests use (the package ships no types). */
interface NpmIsoFormat {
  ContentType: string;
  Label: string;
  LenType: 'fixed' | 'llvar' | 'lllvar';
  MaxLen: number;
}
type NpmIsoJson = Record<string, string>;
interface NpmIsoMessage {
  getRawMessage(): Buffer | { error: string };
  /** The message as { '0': mti, '2': …}, or { error } when it cannot unpack. */
  getIsoJSON(bytes: Buffer, config: { lenHeader: boolean }): NpmIsoJson;
}
type NpmIsoConstructor = new (message: NpmIsoJson | undefined, formats: Record<string, NpmIsoFormat>) => NpmIsoMessage;

const NpmIso8583 = createRequire(import.meta.url)('iso_8583') as NpmIsoConstructor;

/**
 * PROFILE_FIELDS in iso_8583's terms. Its binary MaxLen counts hex digits (it carries bytes as hex
 * strings), its 'an' rejects the space our fixed 'an' fields are padded with, so 'anp' (alphanumeric
 * and pad) is the same set, and DE97's sign-plus-digits is its 'x+n'.
 */
function npmFormat(number: number, spec: FieldSpec): NpmIsoFormat {
  const contentType = number === 97 ? 'x+n' : spec.type === 'an' ? 'anp' : spec.type;
  return {
    ContentType: contentType,
    Label: spec.name,
    LenType: spec.prefix === 'fixed' ? 'fixed' : spec.prefix === 'LL' ? 'llvar' : 'lllvar',
    MaxLen: spec.type === 'b' ? spec.length * 2 : spec.length,
  };
}
const npmFormats = Object.fromEntries([...PROFILE_FIELDS].map(([number, spec]) => [String(number), npmFormat(number, spec)]));
const packager = createPackager(PROFILE_FIELDS);

function toNpmJson(message: IsoMessage): NpmIsoJson {
  const json: NpmIsoJson = { '0': message.mti };
  for (const [field, value] of message.fields) json[String(field)] = typeof value === 'string' ? value : Buffer.from(value).toString('hex');
  return json;
}

function fromNpmJson(json: NpmIsoJson): IsoMessage {
  const message = createMessage(json['0'] ?? '');
  for (const [key, value] of Object.entries(json)) {
    const field = Number(key);
    if (field === 0) continue;
    message.fields.set(field, PROFILE_FIELDS.get(field)?.type === 'b' ? Buffer.from(value, 'hex') : value);
  }
  return message;
}

function npmPack(message: IsoMessage): Buffer {
  const raw = new NpmIso8583(toNpmJson(message), npmFormats).getRawMessage();
  if (!Buffer.isBuffer(raw)) throw new Error(`iso_8583 could not pack: ${raw.error}`);
  return raw;
}

function npmUnpack(bytes: Buffer): IsoMessage {
  const json = new NpmIso8583(undefined, npmFormats).getIsoJSON(bytes, { lenHeader: false });
  if (json['0'] === undefined) throw new Error(`iso_8583 could not unpack: ${json['error']}`);
  return fromNpmJson(json);
}

function sortedFields(message: IsoMessage): [number, string | Uint8Array][] {
  return [...message.fields].sort(([a], [b]) => a - b);
}

const samples: [string, IsoMessage][] = [
  ['0200 purchase', samplePurchaseRequest()],
  ['0210 approval', samplePurchaseResponse()],
  ['0500 settlement with secondary bitmap fields', sampleSettlementRequest()],
  ['0800 echo', createMessage('0800', { 7: '1121101530', 11: '000001', 41: 'POS00001', 70: '301' })],
];

describe('interop with npm iso_8583', () => {
  it.each(samples)('%s packed by us unpacks identically in iso_8583', (_name, message) => {
    const theirs = npmUnpack(packager.pack(message));
    expect(theirs.mti).toBe(message.mti);
    expect(sortedFields(theirs)).toEqual(sortedFields(message));
  });

  it.each(samples)('%s packed by iso_8583 unpacks identically here', (_name, message) => {
    const ours = packager.unpack(npmPack(message));
    expect(ours.mti).toBe(message.mti);
    expect(sortedFields(ours)).toEqual(sortedFields(message));
  });

  it('produces the same bytes when the message has secondary-bitmap fields', () => {
    // iso_8583 always sends a secondary bitmap, so the bytes can only match when one is needed.
    const message = sampleSettlementRequest();
    expect(packager.pack(message)).toEqual(npmPack(message));
  });

  it('differs from iso_8583 only by its always-present secondary bitmap otherwise', () => {
    const message = samplePurchaseRequest();
    const ours = packager.pack(message);
    const theirs = npmPack(message);
    expect(theirs.length).toBe(ours.length + 8);
    expect(theirs.subarray(20)).toEqual(ours.subarray(12));
  });
});
