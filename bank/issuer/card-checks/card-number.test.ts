import { describe, expect, it } from 'vitest';
import { cardNumberAcceptable } from './card-number.ts';

describe('cardNumberAcceptable', () => {
  it.each([
    ['UnionPay', '6212345678901232'],
    ['UnionPay 19 digits', '6214830000000000006'],
    ['UnionPay failing Luhn (the network routes these)', '6212345678901233'],
    ['Visa', '4111110000000013'],
    ['Mastercard 5-series', '5454540000000039'],
    ['Mastercard 2-series', '2223000048410010'],
    ['Amex', '378282000000016'],
    ['JCB', '3530110000000018'],
    ['Discover', '6011000990139424'],
  ])('accepts %s', (_scheme, pan) => {
    expect(cardNumberAcceptable(pan)).toBe(true);
  });

  it.each([
    ['Visa failing Luhn', '4111110000000014'],
    ['Mastercard failing Luhn', '5454540000000038'],
    ['2-series Mastercard failing Luhn', '2223000048410011'],
    ['Amex failing Luhn', '378282000000017'],
    ['JCB failing Luhn', '3530110000000019'],
    ['Discover failing Luhn', '6011000990139425'],
    ['no known scheme', '9111110000000012'],
    ['Mastercard of the wrong length', '545454000000003'],
    ['not digits', '41111100000000AB'],
  ])('refuses %s', (_case, pan) => {
    expect(cardNumberAcceptable(pan)).toBe(false);
  });
});
