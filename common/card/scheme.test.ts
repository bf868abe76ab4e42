import { describe, expect, it } from 'vitest';
import { binOf, detectScheme, detectSchemeByBin, panCheckDigitOk } from './scheme.ts';

describe('card schemes by BIN', () => {
  it.each([
    ['6212345678901232', 'unionpay'],
    ['6222020000000004', 'unionpay'], // 622126–622925: co-branded with Discover, routed as UnionPay
    ['8171999927660000', 'unionpay'],
    ['4111111111111111', 'visa'],
    ['4222222222222', 'visa'],
    ['5555555555554444', 'mastercard'],
    ['2223000048410010', 'mastercard'],
    ['2720999999999996', 'mastercard'],
    ['378282246310005', 'amex'],
    ['341111111111111', 'amex'],
    ['3530111333300000', 'jcb'],
    ['6011111111111117', 'discover'],
    ['6445644564456445', 'discover'],
    ['6511111111111117', 'discover'],
  ])('%s is %s', (pan, scheme) => {
    expect(detectScheme(pan)).toBe(scheme);
  });

  it.each(['2220999999999999', '2721000000000000', '1234567890123456', '37828224631000', '411111'])('%s belongs to no accepted scheme', (pan) => {
    expect(detectScheme(pan)).toBeUndefined();
  });

  it('accepts UnionPay PANs that fail Luhn, as the network does, but not other schemes', () => {
    expect(panCheckDigitOk('6212345678901233', 'unionpay')).toBe(true);
    expect(panCheckDigitOk('4111111111111112', 'visa')).toBe(false);
  });
});

describe('card schemes from an encrypting reader: BIN and PAN length only', () => {
  it.each([
    ['6212345678901232', '621234'],
    ['4111111111111111', '41111111'],
    ['4222222222222', '422222'],
    ['5555555555554444', '55555555'],
    ['378282246310005', '378282'],
  ])('%s has the BIN %s, which names the same scheme as the PAN', (pan, bin) => {
    expect(binOf(pan)).toBe(bin);
    expect(detectSchemeByBin(bin, pan.length)).toBe(detectScheme(pan));
  });

  it('needs a length the scheme issues and a BIN of 6 to 8 digits', () => {
    expect(detectSchemeByBin('378282', 16)).toBeUndefined();
    expect(detectSchemeByBin('37828', 15)).toBeUndefined();
    expect(detectSchemeByBin('621234', 20)).toBeUndefined();
  });
});
