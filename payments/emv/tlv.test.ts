/** BER-TLV and data object lists: the DOL padding rules of EMV Book 3 §5.4 per format. */
import { describe, expect, it } from 'vitest';
import { dolPaddingOf } from './data-dictionary.ts';
import { buildDolData, parseDol, splitDolData } from './tlv.ts';

const hex = (value: string) => Buffer.from(value, 'hex');

describe('DOL data (Book 3 §5.4)', () => {
  const values = new Map<string, Buffer>([
    ['9F02', hex('0000012345')], // n, 5 bytes given for 6
    ['5A', hex('6212345678901232')], // cn, 8 bytes given for 10
    ['9F37', hex('0102030405')], // b, 5 bytes given for 4
    ['5F2A', hex('000156')], // n, 3 bytes given for 2
  ]);
  const dol = parseDol(hex('9F0206' + '5A0A' + '9F3704' + '5F2A02' + '9F1A02'));

  it('n is left-padded with zeros and cut from the left; cn right-padded with FF; b cut from the right; a missing value is zeros', () => {
    const data = buildDolData(dol, (tag) => values.get(tag), dolPaddingOf);
    const split = splitDolData(dol, data);
    expect(split.get('9F02')!.toString('hex')).toBe('000000012345');
    expect(split.get('5A')!.toString('hex')).toBe('6212345678901232ffff');
    expect(split.get('9F37')!.toString('hex')).toBe('01020304');
    expect(split.get('5F2A')!.toString('hex')).toBe('0156');
    expect(split.get('9F1A')!.toString('hex')).toBe('0000');
  });

  it('cn longer than listed is cut from the right', () => {
    const data = buildDolData(parseDol(hex('5A04')), () => hex('6212345678901232'), dolPaddingOf);
    expect(data.toString('hex')).toBe('62123456');
  });
});
