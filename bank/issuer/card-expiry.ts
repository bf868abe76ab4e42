/**
 * A card's YYMM expiry means "valid through the last day of that month", in the issuer's own
 * calendar (the host's local time). Two-digit years are 20YY: no card lives a century.
 */
export function isCardExpired(expiry: string, now: Date): boolean {
  const year = 2000 + Number(expiry.slice(0, 2));
  const month = Number(expiry.slice(2, 4));
  const currentYear = now.getFullYear();
  const currentMonth = now.getMonth() + 1;
  return currentYear > year || (currentYear === year && currentMonth > month);
}
