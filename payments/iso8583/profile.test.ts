import { describe, expect, it } from 'vitest';
import { createPackager } from './packager.ts';
import { PROFILE_FIELDS } from './profile.ts';
import { samplePurchaseRequest, samplePurchaseResponse, sampleSettlementRequest } from './sample-messages.ts';

const packager = createPackager(PROFILE_FIELDS);

describe('PROFILE_FIELDS', () => {
  it('defines the fields the station and host exchange, with their formats', () => {
    const formats = Object.fromEntries([...PROFILE_FIELDS].map(([number, { type, length, prefix }]) => [number, `${type}${prefix === 'fixed' ? '' : '..'}${length}${prefix === 'fixed' ? '' : ` ${prefix}`}`]));
    expect(formats).toEqual({
      2: 'n..19 LL', 3: 'n6', 4: 'n12', 7: 'n10', 11: 'n6', 12: 'n6', 13: 'n4', 14: 'n4', 22: 'n3', 23: 'n3', 25: 'n2',
      35: 'z..37 LL', 37: 'an12', 38: 'an6', 39: 'an2', 41: 'ans8', 42: 'ans15', 49: 'n3', 52: 'b8', 53: 'b10',
      54: 'an..120 LLL', 55: 'b..255 LLL', 60: 'ans..999 LLL', 62: 'ans..999 LLL', 66: 'n1', 70: 'n3', 74: 'n10', 76: 'n10', 77: 'n10',
      86: 'n16', 88: 'n16', 89: 'n16', 90: 'n42', 97: 'an17', 111: 'b..999 LLL', 120: 'b..999 LLL', 128: 'b8',
    });
  });

  it.each([
    ['0200 purchase', samplePurchaseRequest()],
    ['0210 response', samplePurchaseResponse()],
    ['0500 settlement', sampleSettlementRequest()],
  ])('round-trips a full %s', (_name, message) => {
    expect(packager.unpack(packager.pack(message))).toEqual(message);
  });

  it('packs a 0200 purchase to the expected size: primary bitmap only', () => {
    const bytes = packager.pack(samplePurchaseRequest());
    // MTI 4 + bitmap 8 + DE2 18 + 6 + 12 + 10 + 6 + 6 + 4 + 4 + 3 + 2 + DE35 36 + 8 + 15 + 3 + 8 + 10
    expect(bytes.length).toBe(4 + 8 + 18 + 6 + 12 + 10 + 6 + 6 + 4 + 4 + 3 + 2 + 36 + 8 + 15 + 3 + 8 + 10);
    expect(bytes[4]! & 0x80).toBe(0);
  });
});
