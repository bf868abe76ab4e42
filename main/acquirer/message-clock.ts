/**
 * The date and time fields every request carries: DE7 (transmission, MMDDhhmmss in UTC) and DE12/DE13
 * (the transaction's local time hhmmss and date MMDD, in the till's time zone).
 */
const two = (value: number) => String(value).padStart(2, '0');

/** DE7: transmission date and time, MMDDhhmmss in UTC. */
export function transmissionDateTime(now: Date): string {
  return `${two(now.getUTCMonth() + 1)}${two(now.getUTCDate())}${two(now.getUTCHours())}${two(now.getUTCMinutes())}${two(now.getUTCSeconds())}`;
}

/** DE12: local time, hhmmss. */
export function localTime(now: Date): string {
  return `${two(now.getHours())}${two(now.getMinutes())}${two(now.getSeconds())}`;
}

/** DE13: local date, MMDD. */
export function localDate(now: Date): string {
  return `${two(now.getMonth() + 1)}${two(now.getDate())}`;
}
