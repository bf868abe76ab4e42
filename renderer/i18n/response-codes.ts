/** ISO 8583 response codes (DE39) the cashier may see, each with a translated meaning in every locale. */

export const RESPONSE_CODES = ['00', '05', '12', '13', '14', '30', '41', '43', '51', '54', '55', '57', '58', '59', '61', '75', '91', '94', '96'] as const;
export type ResponseCode = (typeof RESPONSE_CODES)[number];

export function isKnownResponseCode(code: string): code is ResponseCode {
  return (RESPONSE_CODES as readonly string[]).includes(code);
}
