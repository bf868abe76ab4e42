/**
 * The customer's payment code (customer-presented mode): the 18-digit numeric code Chinese wallets
 * show as a barcode and a QR code, its first two digits 10–15 (the range WeChat Pay codes use; the
 * bundled platform issues the same). No item barcode has this shape (GTINs are 8–14 digits), so a
 * scanner read of this shape is a payment, never an item, and is never logged or shown.
 */
const PAYMENT_CODE = /^1[0-5]\d{16}$/;

export function isPaymentCode(code: string): boolean {
  return PAYMENT_CODE.test(code);
}
