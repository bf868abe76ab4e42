import { describe, expect, it } from 'vitest';
import { money } from '../money.ts';
import { crc16CcittFalse, emvCrcHex } from './crc16.ts';
import { buildMerchantPresentedPayload, parseMerchantPresentedPayload, type MerchantPresentedPayload } from './merchant-presented.ts';
import { parseQrAmount, qrAmount } from './qr-amount.ts';
import { QrPayloadError } from './qr-payload-error.ts';
import { demoShopPayload, EMVCO_CN_SAMPLE } from './sample-payloads.ts';
import { readWalletAccount, WALLET_GLOBALLY_UNIQUE_ID, walletAccountTemplate } from './wallet-account-template.ts';

const encode = (text: string) => new TextEncoder().encode(text);
const shopPayload = demoShopPayload;

describe('CRC-16/CCITT-FALSE', () => {
  it('gives the catalogue check value for "123456789"', () => {
    expect(crc16CcittFalse(encode('123456789'))).toBe(0x29b1);
  });

  it('gives 0xFFFF for no input (the initial value, no final XOR)', () => {
    expect(crc16CcittFalse(new Uint8Array())).toBe(0xffff);
  });

  it('reproduces the CRC of the EMVCo Chinese sample, over UTF-8 bytes', () => {
    expect(emvCrcHex(EMVCO_CN_SAMPLE.slice(0, -4))).toBe('A13A');
  });

});

describe('EMVCo sample payload', () => {
  it('parses the published Chinese sample', () => {
    const payload = parseMerchantPresentedPayload(EMVCO_CN_SAMPLE);
    expect(payload.pointOfInitiation).toBe('dynamic');
    expect(payload.amount).toBe('23.72');
    expect(payload.merchantName).toBe('BEST TRANSPORT');
    expect(payload.language).toEqual({ languagePreference: 'ZH', merchantName: '最佳运输', merchantCity: '北京' });
    expect(payload.merchantAccounts.map((account) => account.globallyUniqueId)).toEqual(['D15600000000', 'D15600000001']);
    expect(payload.additionalData?.storeLabel).toBe('1234');
  });
});

describe('building a dynamic code', () => {
  const text = buildMerchantPresentedPayload(shopPayload());

  it('writes the fields in order, the amount as a decimal and the CRC last', () => {
    expect(text.startsWith('000201010212')).toBe(true);
    expect(text).toContain('5303156');
    expect(text).toContain('540512.50');
    expect(text).toContain('5802CN');
    expect(text).toContain('64200002ZH0104演示超市0202上海');
    expect(text).toMatch(/6304[0-9A-F]{4}$/);
  });

  it('reads back to the same payload', () => {
    expect(parseMerchantPresentedPayload(text)).toEqual(shopPayload());
    expect(readWalletAccount(parseMerchantPresentedPayload(text))).toEqual({ merchantId: '1900000001', orderCode: 'Q2026112100000001' });
  });

});

describe('static code', () => {
  it('has point of initiation 11, no amount and no order code; the phone asks for the amount', () => {
    const text = buildMerchantPresentedPayload(shopPayload({ pointOfInitiation: 'static', amount: undefined, merchantAccounts: [walletAccountTemplate({ merchantId: '1900000001' })] }));
    expect(text.startsWith('000201010211')).toBe(true);
    expect(text).not.toContain('5405');
    const payload = parseMerchantPresentedPayload(text, { knownGloballyUniqueIds: [WALLET_GLOBALLY_UNIQUE_ID] });
    expect(readWalletAccount(payload)).toEqual({ merchantId: '1900000001' });
  });

  it('a dynamic code without an amount is refused by the builder', () => {
    expect(() => buildMerchantPresentedPayload(shopPayload({ amount: undefined }))).toThrow(/dynamic \(12\) payload carries the amount/);
  });
});

describe('refusals the virtual phone shows', () => {
  const text = buildMerchantPresentedPayload(shopPayload());
  const refusal = (payload: string, options = {}) => {
    try {
      parseMerchantPresentedPayload(payload, options);
    } catch (error) {
      if (error instanceof QrPayloadError) return { code: error.code, message: error.message };
      throw error;
    }
    throw new Error('accepted');
  };
  /** Re-signs a changed payload, so the check under test is not the CRC's. */
  const withCrc = (body: string) => `${body}6304${emvCrcHex(`${body}6304`)}`;

  it('a bad CRC', () => {
    const altered = text.replace('540512.50', '540502.50');
    expect(refusal(altered)).toMatchObject({ code: 'bad_crc', message: expect.stringMatching(/CRC mismatch/) });
    expect(refusal(text.slice(0, -8))).toMatchObject({ code: 'bad_crc' });
  });

  it('a wrong currency', () => {
    const usd = withCrc(text.slice(0, -8).replace('5303156', '5303840'));
    expect(refusal(usd)).toEqual({ code: 'wrong_currency', message: 'tag 53 (currency) is 840; this reader pays in 156 only' });
  });

  it('an unknown template: no template of a payment system the phone knows, or a reserved ID', () => {
    expect(refusal(EMVCO_CN_SAMPLE, { knownGloballyUniqueIds: [WALLET_GLOBALLY_UNIQUE_ID] })).toMatchObject({ code: 'unknown_template', message: expect.stringMatching(/found 29:D15600000000, 31:D15600000001/) });
    expect(refusal(withCrc(`${text.slice(0, -8)}65020X`.replace(/^/, '')))).toMatchObject({ code: 'unknown_template', message: expect.stringMatching(/tag 65 is reserved/) });
  });

  it('a length that runs past the end, a missing field, a non-Latin name in 59', () => {
    expect(refusal(withCrc('0002010102125999SHORT'))).toMatchObject({ code: 'malformed' });
    expect(refusal(withCrc(text.slice(0, -8).replace('5802CN', '')))).toMatchObject({ code: 'missing_field', message: 'tag 58 (country code) is missing' });
    expect(() => buildMerchantPresentedPayload(shopPayload({ merchantName: '演示超市' }))).toThrow(/put Chinese in template 64/);
  });
});

describe('amounts in tag 54', () => {
  it('converts exactly both ways', () => {
    expect(qrAmount(money(1250, 'CNY'))).toBe('12.50');
    expect(qrAmount(money(5, 'CNY'))).toBe('0.05');
    expect(qrAmount(money(500, 'JPY'))).toBe('500');
    expect(parseQrAmount('12.5', 'CNY')).toEqual(money(1250, 'CNY'));
    expect(parseQrAmount('23.72', 'CNY')).toEqual(money(2372, 'CNY'));
    expect(() => parseQrAmount('1.234', 'CNY')).toThrow(/more decimals/);
    expect(() => parseQrAmount('1,00', 'CNY')).toThrow(/digits with an optional decimal point/);
  });
});
