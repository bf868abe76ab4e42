/** The HID card reader driver against the virtual reader over the USB transfer subset. */
import { describe, expect, it, vi } from 'vitest';
import { UsbDisconnectedError } from '../usb/minimal-usb-device.ts';
import type { CardRead } from './card-read.ts';
import { CardReaderDriver, interpretReport } from './card-reader-driver.ts';
import { VIRTUAL_CARD_READER } from './known-readers.ts';
import { encodeMagtekReport, MAGTEK_REPORT_LENGTH, TRACK_DECODE_OK } from './magtek-report.ts';
import { VirtualCardReader } from './virtual-card-reader.ts';

const CARD = { pan: '6212345678901232', expiry: '3012', serviceCode: '101', discretionary: '1234567890', cardholderName: 'ZHANG/WEI' };

async function reading() {
  const reader = new VirtualCardReader();
  const driver = new CardReaderDriver(reader, VIRTUAL_CARD_READER);
  await driver.open();
  const reads: CardRead[] = [];
  const loop = driver.readLoop((read) => reads.push(read));
  loop.catch(() => undefined);
  return { reader, driver, reads, loop };
}

describe('card reader over USB', () => {
  it('reads a swipe as the card: PAN, expiry, service code, name and DE35 track 2', async () => {
    const { reader, driver, reads } = await reading();
    reader.swipe(CARD);
    await vi.waitUntil(() => reads.length === 1);
    expect(reads[0]).toEqual({
      kind: 'card',
      card: { pan: CARD.pan, expiry: '3012', serviceCode: '101', discretionary: '1234567890', cardholderName: 'ZHANG/WEI', track2: '6212345678901232=30121011234567890' },
    });
    await driver.close();
  });

  it('reports a bad read and a half swipe as bad reads, never as a card', async () => {
    const { reader, driver, reads } = await reading();
    reader.swipe(CARD, 'bad_read');
    reader.swipe(CARD, 'partial_track');
    await vi.waitUntil(() => reads.length === 2);
    expect(reads.map((read) => read.kind)).toEqual(['bad_read', 'bad_read']);
    await driver.close();
  });

  it('refuses a report whose track length overruns its buffer', () => {
    const report = encodeMagtekReport([{ status: TRACK_DECODE_OK, data: '' }, { status: TRACK_DECODE_OK, data: ';1?' }]);
    report[4] = 200;
    expect(interpretReport(report)).toEqual({ kind: 'bad_read', reason: 'malformed_report' });
    expect(interpretReport(new Uint8Array(MAGTEK_REPORT_LENGTH - 1))).toEqual({ kind: 'bad_read', reason: 'malformed_report' });
  });

  it('ends its read loop with UsbDisconnectedError when unplugged, and drops nothing stale after a replug', async () => {
    const { reader, loop } = await reading();
    reader.unplug();
    await expect(loop).rejects.toThrow(UsbDisconnectedError);
    expect(() => reader.swipe(CARD)).toThrow(UsbDisconnectedError);
    reader.plug();
    const again = new CardReaderDriver(reader, VIRTUAL_CARD_READER);
    await again.open();
    const reads: CardRead[] = [];
    void again.readLoop((read) => reads.push(read)).catch(() => undefined);
    reader.swipe(CARD);
    await vi.waitUntil(() => reads.length === 1);
    expect(reads[0]?.kind).toBe('card');
    await again.close();
  });
});
