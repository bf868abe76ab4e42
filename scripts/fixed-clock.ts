/**
 * For `npm run screenshots` only, loaded with `--import` through NODE_OPTIONS into the station and
 * its bundled host: every `new Date()` and `Date.now()` in the process reads one fixed instant
 * (POS_FIXED_CLOCK), so the times on the receipts, the reports and the recent sales, and the
 * references made from them, are the same on every run and the committed pictures change only when
 * the UI does. Timers are untouched (they run on the monotonic clock), and UUIDv7 ids stay ordered by
 * their counter. Never loaded by the product.
 */
const fixedMs = Date.parse(process.env['POS_FIXED_CLOCK'] ?? '');
if (Number.isNaN(fixedMs)) throw new Error('scripts/fixed-clock.ts needs POS_FIXED_CLOCK, an ISO instant');

const RealDate = Date;
class FixedDate extends RealDate {
  constructor(...args: unknown[]) {
    if (args.length === 0) super(fixedMs);
    else super(...(args as [string | number | Date]));
  }

  static override now(): number {
    return fixedMs;
  }
}
globalThis.Date = FixedDate as DateConstructor;
