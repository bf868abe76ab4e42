/** Lines an outsider can cause are rate-limited: the first few written, the rest counted in one line. */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { createThrottledLog } from './throttled-log.ts';

afterEach(() => vi.useRealTimers());

describe('throttled log', () => {
  it('writes the first lines of a window, counts the rest, and sums them up when the window ends', () => {
    vi.useFakeTimers();
    const written: string[] = [];
    const log = createThrottledLog((line) => written.push(line), 'station server', { linesPerWindow: 2, windowMs: 1000 });
    for (let index = 1; index <= 5; index++) log.note(`refused ${index}`);
    expect(written).toEqual(['station server: refused 1', 'station server: refused 2']);
    vi.advanceTimersByTime(1000);
    expect(written.at(-1)).toBe('station server: 3 more lines like these in the last 1 s, not written');
    log.note('refused 6');
    expect(written.at(-1)).toBe('station server: refused 6');
  });

  it('writes its summary at once on flush, and nothing when nothing was held back', () => {
    const written: string[] = [];
    const log = createThrottledLog((line) => written.push(line), 'x', { linesPerWindow: 1 });
    log.note('a');
    log.flush();
    expect(written).toEqual(['x: a']);
    log.note('b');
    log.note('c');
    log.flush();
    expect(written).toEqual(['x: a', 'x: b', 'x: 1 more lines like these in the last 60 s, not written']);
  });
});
