import { describe, expect, it } from 'vitest';
import { cardBlocker, receiptBlocker } from './device-readiness.ts';
import type { DeviceStatus } from './devices.ts';

const status = (device: DeviceStatus['device'], state: DeviceStatus['state'], alerts: DeviceStatus['alerts'] = []): DeviceStatus => ({ device, state, source: 'virtual', model: 'virtual', alerts });
const allReady = [status('cardReader', 'ready'), status('pinPad', 'ready'), status('printer', 'ready'), status('chipReader', 'ready')];
const replace = (next: DeviceStatus) => allReady.map((existing) => (existing.device === next.device ? next : existing));

describe('device readiness before a tender', () => {
  it('lets a card payment start with the reader and the PIN pad there, busy counting as there', () => {
    expect(cardBlocker(allReady)).toBeUndefined();
    expect(cardBlocker(replace(status('pinPad', 'busy')))).toBeUndefined();
  });

  it.each(['absent', 'connecting', 'recovering', 'disconnected', 'fault'] as const)('blocks it with the reason while both card readers are %s, or the PIN pad is', (state) => {
    const noReaders = allReady.map((existing) => (['cardReader', 'chipReader'].includes(existing.device) ? status(existing.device, state) : existing));
    expect(cardBlocker(noReaders)).toBe('card_reader_missing');
    expect(cardBlocker(replace(status('pinPad', state)))).toBe('pin_pad_missing');
  });

  it('lets it start with either reader: the stripe reader alone, or the chip reader alone (insert or tap)', () => {
    expect(cardBlocker(replace(status('chipReader', 'disconnected')))).toBeUndefined();
    expect(cardBlocker(replace(status('cardReader', 'disconnected')))).toBeUndefined();
  });

  it('blocks it before the station has said anything about its devices', () => {
    expect(cardBlocker([])).toBe('card_reader_missing');
  });

  it('says why a receipt would not print: unplugged, paper out, cover open, error; paper low still prints', () => {
    expect(receiptBlocker(allReady)).toBeUndefined();
    expect(receiptBlocker(replace(status('printer', 'ready', ['paper_near_end'])))).toBeUndefined();
    expect(receiptBlocker(replace(status('printer', 'disconnected')))).toBe('printer_missing');
    expect(receiptBlocker(replace(status('printer', 'ready', ['paper_out'])))).toBe('paper_out');
    expect(receiptBlocker(replace(status('printer', 'ready', ['cover_open', 'paper_out'])))).toBe('paper_out');
    expect(receiptBlocker(replace(status('printer', 'ready', ['cover_open'])))).toBe('cover_open');
    expect(receiptBlocker(replace(status('printer', 'fault')))).toBe('printer_missing');
  });
});
