import { describe, expect, it } from 'vitest';
import { createCvkTable } from './cvk-table.ts';
import { computeCvv, prepareCvk, type CvvKey } from './cvv.ts';

const key = (byte: number) => Buffer.alloc(16, byte);
const card = { pan: '4111110000000013', expiry: '3106', serviceCode: '101' };
/** Which configured key the table picked, told apart by the CVV each gives. */
const cvvUnder = (cvk: CvvKey | undefined) => (cvk === undefined ? undefined : computeCvv(cvk, card));

describe('createCvkTable', () => {
  const table = createCvkTable([
    { binPrefix: '62', cvk: key(1) },
    { binPrefix: '621234', cvk: key(2) },
    { binPrefix: '4111', cvk: key(3) },
  ]);

  it('picks the longest configured BIN prefix', () => {
    expect(cvvUnder(table.cvkFor('6212345678901232'))).toBe(computeCvv(prepareCvk(key(2)), card));
    expect(cvvUnder(table.cvkFor('6214830000000017'))).toBe(computeCvv(prepareCvk(key(1)), card));
    expect(cvvUnder(table.cvkFor('4111110000000013'))).toBe(computeCvv(prepareCvk(key(3)), card));
  });

  it('has no key for a BIN nobody configured', () => {
    expect(table.cvkFor('5454540000000039')).toBeUndefined();
  });
});
