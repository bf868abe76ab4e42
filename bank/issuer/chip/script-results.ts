/**
 * The issuer script results (DF31) a terminal reports in the card's next chip request: per script,
 * one result byte (high nibble 0 not performed, 1 failed, 2 successful; low nibble the failing
 * command's number) and the 4-byte script id. A script that did not run or failed means the card
 * did not take the issuer's change (a PUT DATA, an APPLICATION BLOCK): a risk signal for the
 * issuer, logged with the request; successful ones say nothing new.
 */
export function scriptResultSignals(df31: Buffer | undefined): string[] {
  if (df31 === undefined) return [];
  const signals: string[] = [];
  for (let offset = 0; offset + 5 <= df31.length; offset += 5) {
    const result = df31[offset]! >> 4;
    if (result === 2) continue;
    const id = df31.subarray(offset + 1, offset + 5).toString('hex').toUpperCase();
    const command = df31[offset]! & 0x0f;
    signals.push(`issuer-script-result: script ${id} ${result === 1 ? `failed at command ${command}` : 'not performed'} on the card`);
  }
  return signals;
}
