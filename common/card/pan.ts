/** Primary account number helpers. A PAN is shown masked: first 6 and last 4 digits at most (PCI DSS 3.3). */

export function isPanShaped(pan: string): boolean {
  return /^\d{12,19}$/.test(pan);
}

export function luhnValid(pan: string): boolean {
  if (!/^\d+$/.test(pan)) return false;
  let sum = 0;
  for (let i = 0; i < pan.length; i++) {
    let digit = pan.charCodeAt(pan.length - 1 - i) - 48;
    if (i % 2 === 1) {
      digit *= 2;
      if (digit > 9) digit -= 9;
    }
    sum += digit;
  }
  return sum % 10 === 0;
}

/** "6212345678901232" → "621234******1232". Short or odd input is masked completely. */
export function maskPan(pan: string): string {
  if (!isPanShaped(pan)) return '*'.repeat(Math.max(pan.length, 4));
  return `${pan.slice(0, 6)}${'*'.repeat(pan.length - 10)}${pan.slice(-4)}`;
}

/** The last four digits, the only part a cashier needs to compare with the card. */
export function panLast4(pan: string): string {
  return pan.slice(-4);
}

/** What maskPan produces: at most the first 6 and last 4 digits (PCI DSS 3.3) with stars between, or all stars. */
export function isMaskedPan(value: string): boolean {
  return /^(\d{6}\*{2,9}\d{4}|\*{4,19})$/.test(value);
}
