/**
 * Test support: payloads to test the EMVCo code against. The Chinese (CN, Beijing) sample of
 * EMVCo's merchant-presented mode specification (as quoted in emvqr's README; CRC A13A), and a
 * dynamic code of the bundled wallet platform's demo merchant as the station would show it.
 */
import { money } from '../money.ts';
import type { MerchantPresentedPayload } from './merchant-presented.ts';
import { qrAmount } from './qr-amount.ts';
import { walletAccountTemplate } from './wallet-account-template.ts';

export const EMVCO_CN_SAMPLE =
  '00020101021229300012D156000000000510A93FO3230Q31280012D15600000001030812345678520441115802CN5914BEST TRANSPORT6007BEIJING64200002ZH0104最佳运输0202北京540523.7253031565502016233030412340603***0708A60086670902ME91320016A0112233449988770708123456786304A13A';

export function demoShopPayload(overrides: Partial<MerchantPresentedPayload> = {}): MerchantPresentedPayload {
  return {
    pointOfInitiation: 'dynamic',
    merchantAccounts: [walletAccountTemplate({ merchantId: '1900000001', orderCode: 'Q2026112100000001' })],
    merchantCategoryCode: '5411',
    currencyNumeric: '156',
    amount: qrAmount(money(1250, 'CNY')),
    countryCode: 'CN',
    merchantName: 'DEMO GROCERY',
    merchantCity: 'SHANGHAI',
    additionalData: { billNumber: 'S0001-000042', terminalLabel: 'POS00001' },
    language: { languagePreference: 'ZH', merchantName: '演示超市', merchantCity: '上海' },
    ...overrides,
  };
}
