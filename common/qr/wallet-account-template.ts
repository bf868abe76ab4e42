/**
 * The bundled wallet platform's merchant account information template (EMVCo tag 26): what the
 * customer's wallet app needs from a merchant-presented code to pay it.
 *   00 globally unique identifier: the platform's reverse domain name (WALLET_GLOBALLY_UNIQUE_ID)
 *   01 the merchant's number at the platform (mchid)
 *   02 the platform's order code, from create order: dynamic codes only; a static code has none
 *      and the phone asks the customer for the amount
 */
import type { MerchantAccountTemplate, MerchantPresentedPayload } from './merchant-presented.ts';
import { QrPayloadError } from './qr-payload-error.ts';

export const WALLET_GLOBALLY_UNIQUE_ID = 'cn.posstation.wallet';
export const WALLET_TEMPLATE_ID = '26';

export interface WalletAccountInfo {
  readonly merchantId: string;
  /** Absent in a static code. */
  readonly orderCode?: string;
}

export function walletAccountTemplate(info: WalletAccountInfo): MerchantAccountTemplate {
  return {
    id: WALLET_TEMPLATE_ID,
    globallyUniqueId: WALLET_GLOBALLY_UNIQUE_ID,
    fields: { '01': info.merchantId, ...(info.orderCode === undefined ? {} : { '02': info.orderCode }) },
  };
}

/** The platform's template of a parsed payload; refuses a payload without one, or one that contradicts its point of initiation. */
export function readWalletAccount(payload: MerchantPresentedPayload): WalletAccountInfo {
  const template = payload.merchantAccounts.find((account) => account.globallyUniqueId === WALLET_GLOBALLY_UNIQUE_ID);
  if (template === undefined) throw new QrPayloadError('unknown_template', `no merchant account template for ${WALLET_GLOBALLY_UNIQUE_ID}`);
  const merchantId = template.fields['01'];
  const orderCode = template.fields['02'];
  if (merchantId === undefined || !/^\d{1,32}$/.test(merchantId)) throw new QrPayloadError('bad_field', `template ${template.id}.01 (merchant number) must be 1–32 digits`);
  if (payload.pointOfInitiation === 'dynamic' && orderCode === undefined) throw new QrPayloadError('missing_field', `a dynamic code needs the order code (template ${template.id}.02)`);
  if (payload.pointOfInitiation === 'static' && orderCode !== undefined) throw new QrPayloadError('bad_field', `a static code carries no order code (template ${template.id}.02)`);
  if (orderCode !== undefined && !/^[A-Za-z0-9]{8,64}$/.test(orderCode)) throw new QrPayloadError('bad_field', `template ${template.id}.02 (order code) must be 8–64 letters and digits`);
  return { merchantId, ...(orderCode === undefined ? {} : { orderCode }) };
}
