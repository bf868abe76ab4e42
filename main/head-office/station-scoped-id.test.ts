import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { stationScopedId } from './station-scoped-id.ts';

describe('station-scoped ids', () => {
  it('are UUIDv7s of the thing’s moment, the same every time, and differ by station, kind and key', () => {
    const at = '2026-12-04T09:30:00.123Z';
    const id = stationScopedId('SH01-01', 'tender', 'sale/1', at);
    expect(z.uuidv7().safeParse(id).success).toBe(true);
    expect(parseInt(id.replace(/-/g, '').slice(0, 12), 16)).toBe(Date.parse(at));
    expect(stationScopedId('SH01-01', 'tender', 'sale/1', at)).toBe(id);
    expect(new Set([id, stationScopedId('SH01-02', 'tender', 'sale/1', at), stationScopedId('SH01-01', 'shift', 'sale/1', at), stationScopedId('SH01-01', 'tender', 'sale/2', at)]).size).toBe(4);
    expect(() => stationScopedId('SH01-01', 'tender', 'x', 'not a date')).toThrow(RangeError);
  });
});
