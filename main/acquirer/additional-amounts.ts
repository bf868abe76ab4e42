/**
 * DE54 of a balance inquiry's 0210: 20-character blocks of account type (2), amount type (2:
 * 01 ledger, 02 available), currency (n3), sign (C credit / D debit) and amount (n12).
 * Blocks of an amount type or currency the station does not know are skipped, not guessed at.
 */
import type { Balance } from '../../common/payment.ts';
import { currencyByNumeric, money } from '../../common/money.ts';

const BLOCK = /^(\d{2})(\d{2})(\d{3})([CD])(\d{12})$/;
const AMOUNT_TYPES: Readonly<Record<string, Balance['type']>> = { '01': 'ledger', '02': 'available' };

export function parseAdditionalAmounts(de54: string): Balance[] {
  const balances: Balance[] = [];
  for (let offset = 0; offset + 20 <= de54.length; offset += 20) {
    const match = BLOCK.exec(de54.slice(offset, offset + 20));
    if (match === null) continue;
    const [, , amountType = '', currencyNumeric = '', sign, amount = ''] = match;
    const type = AMOUNT_TYPES[amountType];
    const currency = currencyByNumeric(currencyNumeric);
    if (type === undefined || currency === undefined) continue;
    balances.push({ type, amount: money(Number(amount), currency), sign: sign === 'D' ? 'debit' : 'credit' });
  }
  return balances;
}
