/**
 * DE55 as the station builds it, through the real packager, parsed tag by tag by an independent
 * BER-TLV parser from npm (`ber-tlv`); and the subfield checks both ways.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { OnlineRequest } from '../emv/kernel/ports.ts';
import { onlineRequestOf } from '../emv/kernel/kernel-test-rig.fixture.ts';
import { buildTlv } from '../emv/tlv.ts';
import { ICC_DATA_SUBFIELDS, readIccData } from './icc-data-field.ts';
import { IsoFormatError } from './iso-format-error.ts';
import { createMessage, getBytes } from './message.ts';
import { createPackager } from './packager.ts';
import { PROFILE_FIELDS, PROFILE_VERSION } from './profile.ts';

interface BerTlv {
  tag: string;
  value: Buffer;
}
const berTlv = createRequire(import.meta.url)('ber-tlv') as { TlvFactory: { parse(bytes: Buffer): BerTlv[] } };
const packager = createPackager(PROFILE_FIELDS);

/** The DE55 a real kernel run builds with a test deck card. */
const kernelIccData = (cardId: string): Promise<OnlineRequest> => onlineRequestOf(cardId, 'contact', 12_345);

describe('DE55 ICC data', () => {
  it.each(['unionpay-chip-debit', 'visa-chip-credit', 'mastercard-chip-credit'])('%s: the kernel\'s DE55 packs, unpacks, and reads the same tag by tag in ber-tlv', async (cardId) => {
    const request = await kernelIccData(cardId);
    const message = createMessage('0200', { 3: '000000', 11: '000001', 23: request.panSequenceNumber!.padStart(3, '0'), 41: 'POS00001', 55: request.iccData });
    const unpacked = packager.unpack(packager.pack(message));
    const de55 = Buffer.from(getBytes(unpacked, 55)!);
    expect(de55.equals(request.iccData)).toBe(true);
    const ours = readIccData(de55).tags;
    const theirs = berTlv.TlvFactory.parse(de55);
    expect(theirs.map((tlv) => tlv.tag)).toEqual([...ours.keys()]);
    for (const tlv of theirs) expect(Buffer.from(tlv.value).toString('hex'), tlv.tag).toBe(ours.get(tlv.tag)!.toString('hex'));
    for (const tag of ['9F26', '9F27', '9F10', '9F37', '9F36', '95', '9A', '9C', '9F02', '5F2A', '82', '9F1A', '9F33', '9F34', '9F35', '84']) expect(ours.has(tag), tag).toBe(true);
  });

  it('refuses, both ways, a DE55 with clear track 2 (57), an unknown tag, a tag twice, a bad length or broken TLV', () => {
    const cases = [
      buildTlv([['57', Buffer.from('6212340010000017D3012201', 'hex')]]),
      buildTlv([['9F7F', Buffer.alloc(2)]]),
      buildTlv([['9F36', Buffer.alloc(2)], ['9F36', Buffer.alloc(2)]]),
      buildTlv([['9F26', Buffer.alloc(4)]]),
      Buffer.from('9F2608AABB', 'hex'),
    ];
    for (const de55 of cases) {
      expect(() => packager.pack(createMessage('0200', { 11: '000001', 55: de55 }))).toThrow(IsoFormatError);
      // Hand-made bytes: the same field arriving from a peer.
      const good = packager.pack(createMessage('0200', { 11: '000001', 55: buildTlv([['9F36', Buffer.alloc(2)]]) }));
      const bad = Buffer.concat([good.subarray(0, good.length - 8), Buffer.from(String(de55.length).padStart(3, '0')), de55]);
      expect(() => packager.unpack(bad)).toThrow(/DE55/);
    }
  });

  it('refuses, both ways, a tag in the wrong direction: issuer data (91, scripts) in a 0200, card data in a 0210', () => {
    const issuerData = buildTlv([['91', Buffer.alloc(10)]]);
    expect(() => packager.pack(createMessage('0200', { 11: '000001', 55: issuerData }))).toThrow(/tag 91 travels only in a response/);
    expect(() => packager.pack(createMessage('0210', { 11: '000001', 55: buildTlv([['9F26', Buffer.alloc(8)]]) }))).toThrow(/tag 9F26 travels only in a request/);
    const answer = packager.pack(createMessage('0210', { 11: '000001', 55: issuerData }));
    const asRequest = Buffer.concat([Buffer.from('0200'), answer.subarray(4)]);
    expect(() => packager.unpack(asRequest)).toThrow(/DE55 .*: tag 91 travels only in a response/);
    expect(getBytes(packager.unpack(answer), 55)).toEqual(issuerData);
  });

  it('never names a sensitive tag among its subfields', () => {
    for (const tag of ['57', '5A', '56', '9F6B', '9F1F']) expect(ICC_DATA_SUBFIELDS.has(tag)).toBe(false);
  });
});

describe('profile version and docs/host-interface.md', () => {
  const doc = readFileSync(join(import.meta.dirname, '..', '..', 'docs', 'host-interface.md'), 'utf8');
  it('the doc carries the code\'s version number', () => {
    expect(doc.split('\n')[0]).toBe(`# Host interface (ISO 8583, profile v${PROFILE_VERSION})`);
  });
  it('the doc\'s field table lists every field of the profile, and no other', () => {
    const table = doc.slice(doc.indexOf('| DE | Name | Format | Notes |'));
    const rows = table.split('\n').slice(2).filter((line) => line.startsWith('| ')).map((line) => Number(line.split('|')[1]!.trim()));
    const listed = rows.slice(0, rows.findIndex((value) => Number.isNaN(value)) === -1 ? rows.length : rows.findIndex((value) => Number.isNaN(value)));
    expect(listed).toEqual([...PROFILE_FIELDS.keys()].sort((a, b) => a - b));
  });
});
