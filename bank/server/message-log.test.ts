import { describe, expect, it } from 'vitest';
import { formatExchangeLine, maskedPanOf } from './message-log.ts';

const at = new Date('2026-11-21T10:15:30.123Z');

describe('formatExchangeLine', () => {
  it('prints MTI, STAN, TID, masked PAN, DE39 and time taken', () => {
    const line = formatExchangeLine({ mti: '0200', stan: '000042', tid: 'POS00001', maskedPan: maskedPanOf('6212345678901232'), responseCode: '00', elapsedMs: 3.25 }, at);
    expect(line).toBe('2026-11-21T10:15:30.123Z 0200 stan=000042 tid=POS00001 pan=621234******1232 rc=00 3.3ms');
  });

  it('uses dashes for what a message lacks and appends a note', () => {
    const line = formatExchangeLine({ mti: '0800', stan: '000001', tid: 'T1      ', elapsedMs: 0, note: 'echo' }, at);
    expect(line).toBe('2026-11-21T10:15:30.123Z 0800 stan=000001 tid=T1 pan=- rc=- 0.0ms (echo)');
  });

  it('masks a malformed PAN completely rather than print it', () => {
    expect(formatExchangeLine({ mti: '0200', maskedPan: maskedPanOf('62123456789012321234567'), elapsedMs: 1 }, at)).not.toContain('6212345');
  });
});
