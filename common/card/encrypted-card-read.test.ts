import { describe, expect, it } from 'vitest';
import type { CardData } from './tracks.ts';
import { isMaskedPan, type CarriesClearCardData, type EncryptedCardRead } from './encrypted-card-read.ts';

// Compile-time proofs (npm test typechecks test files): each line fails to compile if it stops holding.
const readCarriesNone: CarriesClearCardData<EncryptedCardRead> = false;
const swipeCarriesSome: CarriesClearCardData<CardData> = true;
const nestedIsFound: CarriesClearCardData<{ outer: { inner: readonly { track2: string }[] } }> = true;
// @ts-expect-error: a read that gained a clear PAN field is no longer an encrypted read
const withPan: CarriesClearCardData<EncryptedCardRead & { pan: string }> = false;

describe('the encrypted read type', () => {
  it('carries no clear PAN or track field, where a plain swipe does (checked by the compiler above)', () => {
    expect([readCarriesNone, swipeCarriesSome, nestedIsFound, withPan]).toEqual([false, true, true, false]);
  });

  it.each([
    ['621234******1232', true],
    ['411111******1111', true],
    ['378282*****0005', true],
    ['6212345678901232', false],
    ['6212**********32', false],
    ['621234*1232', false],
  ])('%s is a masked PAN: %s', (maskedPan, expected) => {
    expect(isMaskedPan(maskedPan)).toBe(expected);
  });
});
