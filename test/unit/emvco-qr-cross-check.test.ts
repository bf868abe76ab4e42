/**
 * Our EMVCo merchant-presented payloads (common/qr/) read by two third-party parsers from npm,
 * field by field: emvqr (which also checks the CRC) and emvco-qr-sdk. Here rather than next to the
 * code because common/ may not import Node built-ins, and these CommonJS packages load through
 * createRequire.
 */
import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';
import { buildMerchantPresentedPayload } from '../../common/qr/merchant-presented.ts';
import { demoShopPayload } from '../../common/qr/sample-payloads.ts';
import { WALLET_GLOBALLY_UNIQUE_ID, walletAccountTemplate } from '../../common/qr/wallet-account-template.ts';

const require = createRequire(import.meta.url);
const emvqr = require('emvqr') as { decode(text: string): Record<string, { data: unknown }> };
const emvcoSdk = require('emvco-qr-sdk') as {
  parseQR(text: string, options: { parseMode: string }): { tag: string; value: string; subTags?: { tag: string; value: string }[] }[];
  getCrcInfo(text: string, tlvs: unknown): { isValid: boolean };
};

const payload = demoShopPayload({ merchantAccounts: [walletAccountTemplate({ merchantId: '1900000001', orderCode: 'W0123456789ABCDEF01234567' })] });
const text = buildMerchantPresentedPayload(payload);
const template26 = { '00': WALLET_GLOBALLY_UNIQUE_ID, '01': '1900000001', '02': 'W0123456789ABCDEF01234567' };

describe('cross-check with third-party EMVCo QR parsers', () => {
  it('emvco-qr-sdk reads every field as we wrote it', () => {
    const tlv = new Map(emvcoSdk.parseQR(text, { parseMode: 'TLV' }).map((entity) => [entity.tag, entity]));
    const subs = (tag: string) => Object.fromEntries(tlv.get(tag)!.subTags!.map((sub) => [sub.tag, sub.value]));
    expect(tlv.get('00')!.value).toBe('01');
    expect(tlv.get('01')!.value).toBe('12');
    expect(subs('26')).toEqual(template26);
    expect(tlv.get('52')!.value).toBe('5411');
    expect(tlv.get('53')!.value).toBe('156');
    expect(tlv.get('54')!.value).toBe('12.50');
    expect(tlv.get('58')!.value).toBe('CN');
    expect(tlv.get('59')!.value).toBe('DEMO GROCERY');
    expect(tlv.get('60')!.value).toBe('SHANGHAI');
    expect(subs('62')).toEqual({ '01': 'S0001-000042', '07': 'POS00001' });
    expect(subs('64')).toEqual({ '00': 'ZH', '01': '演示超市', '02': '上海' });
    expect(tlv.get('63')!.value).toBe(text.slice(-4));
  });

  it('emvco-qr-sdk agrees on the CRC of a Latin-only payload', () => {
    // emvco-qr-sdk runs its CRC over UTF-16 code units, not UTF-8 bytes, so it disagrees on any
    // payload with Chinese in template 64 (EMVCo's own Chinese sample, A13A, confirms UTF-8).
    const latin = buildMerchantPresentedPayload({ ...payload, language: undefined });
    expect(emvcoSdk.getCrcInfo(latin, emvcoSdk.parseQR(latin, { parseMode: 'TLV' })).isValid).toBe(true);
  });

  it('emvqr reads every field as we wrote it, and its CRC check (over UTF-8) passes', () => {
    const decoded = emvqr.decode(text);
    const sub = (id: string) => Object.fromEntries(Object.entries(decoded[id]!.data as Record<string, { data: string }>).map(([tag, entry]) => [tag, entry.data]));
    expect(decoded['00']!.data).toBe('01');
    expect(decoded['01']!.data).toBe('12');
    expect(sub('26')).toEqual(template26);
    expect(String(decoded['52']!.data).startsWith('5411')).toBe(true);
    expect(decoded['53']!.data).toBe('156 (CNY)');
    expect(decoded['54']!.data).toBe('12.50');
    expect(String(decoded['58']!.data).startsWith('CN')).toBe(true);
    expect(decoded['59']!.data).toBe('DEMO GROCERY');
    expect(decoded['60']!.data).toBe('SHANGHAI');
    expect(sub('62')).toEqual({ '01': 'S0001-000042', '07': 'POS00001' });
    expect(decoded['64']!.data).toBe('0002ZH0104演示超市0202上海');
  });

  it('emvqr refuses our payload once a byte is changed (its own CRC check)', () => {
    expect(() => emvqr.decode(text.replace('12.50', '12.60'))).toThrow(/checksum/);
  });
});
