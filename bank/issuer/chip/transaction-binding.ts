/**
 * The ARQC covers the transaction as the card saw it (9F02, 9F03, 5F2A, 9C, 9F1A in DE55); the
 * host charges the transaction the message names (DE4, DE49, DE3) at the terminal it knows. The two
 * must be the same transaction, or a station could charge 4,000.00 on a cryptogram for 20.00: each
 * covered value is compared with its message field before the cryptogram is checked, and any
 * difference is a cryptogram that does not verify for this request (82, with the reason in the risk
 * log).
 *
 *   9F02 amount, authorised   = DE4 (both 12 digits of minor units)
 *   9F03 amount, other        = 0 (this profile carries no cashback amount)
 *   5F2A currency             = DE49
 *   9C   transaction type     = DE3's first two digits
 *   9F1A terminal country     = the country of the acquirer's terminals (host config)
 */

/** What the message and the acquirer say about the transaction being authorised. */
export interface AuthorisedTransaction {
  readonly amountMinor: number;
  /** DE49, 3 digits. */
  readonly currencyNumeric: string;
  /** DE3, 6 digits. */
  readonly processingCode: string;
  /** ISO 3166 numeric, 3 digits: where the terminal (DE41) stands. */
  readonly terminalCountry: string;
}

const digitsOf = (value: Buffer | undefined) => value?.toString('hex').toUpperCase() ?? '';

/** What differs between the cryptogram's data and the request, or undefined when they agree. */
export function bindingProblem(tags: ReadonlyMap<string, Buffer>, transaction: AuthorisedTransaction): string | undefined {
  const expected: readonly [tag: string, name: string, value: string][] = [
    ['9F02', 'DE4', String(transaction.amountMinor).padStart(12, '0')],
    ['9F03', 'no cashback', '000000000000'],
    ['5F2A', 'DE49', transaction.currencyNumeric.padStart(4, '0')],
    ['9C', 'DE3', transaction.processingCode.slice(0, 2)],
    ['9F1A', 'the terminal country', transaction.terminalCountry.padStart(4, '0')],
  ];
  const differences = expected.filter(([tag, , value]) => digitsOf(tags.get(tag)) !== value).map(([tag, name, value]) => `${tag} ${digitsOf(tags.get(tag))} ≠ ${name} ${value}`);
  return differences.length === 0 ? undefined : `arqc-binding: ${differences.join(', ')}`;
}
