/**
 * DE54 additional amounts: 20-character blocks of account type (2), amount type (2), currency
 * (n3), sign ('C' credit / 'D' debit balance) and amount (n12), as profile v2 lays them out.
 */

/** "01" ledger balance, "02" available balance (available credit for a credit account). */
export type AmountType = '01' | '02';

/** The profile's only account type: "00", default/unspecified. */
const DEFAULT_ACCOUNT_TYPE = '00';

export function formatAdditionalAmount(amountType: AmountType, currencyNumeric: string, amountMinor: number): string {
  const sign = amountMinor < 0 ? 'D' : 'C';
  return `${DEFAULT_ACCOUNT_TYPE}${amountType}${currencyNumeric}${sign}${String(Math.abs(amountMinor)).padStart(12, '0')}`;
}
