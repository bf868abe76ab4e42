/** The card reader driver against the virtual keyboard-emulation reader, over the USB transfer subset. */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { UsbDisconnectedError } from '../usb/minimal-usb-device.ts';
import type { CardRead } from './card-read.ts';
import { CARD_READER_POLL_MS, CardReaderDriver } from './card-reader-driver.ts';
import { VIRTUAL_KEYBOARD_CARD_READER } from './known-readers.ts';
import { VirtualKeyboardCardReader } from './virtual-keyboard-card-reader.ts';

const CARD = { pan: '4111110000000013', expiry: '3106', serviceCode: '101', discretionary: '0000012345', cardholderName: 'SMITH/ANNA' };

async function reading(reader = new VirtualKeyboardCardReader()) {
  const driver = new CardReaderDriver(reader, VIRTUAL_KEYBOARD_CARD_READER);
  await driver.open();
  const reads: CardRead[] = [];
  const loop = driver.readLoop((read) => reads.push(read));
  loop.catch(() => undefined);
  return { reader, driver, reads, loop };
}

afterEach(() => vi.useRealTimers());

describe('keyboard-emulation card reader over USB', () => {
  it('claims the boot keyboard interface and reads a typed swipe as the card, track 1 name included', async () => {
    const { reader, driver, reads } = await reading();
    reader.swipe(CARD);
    await vi.waitUntil(() => reads.length === 1);
    expect(reads[0]).toEqual({
      kind: 'card',
      card: { pan: CARD.pan, expiry: '3106', serviceCode: '101', discretionary: '0000012345', cardholderName: 'SMITH/ANNA', track2: '4111110000000013=31061010000012345' },
    });
    await driver.close();
  });

  it('reports an unreadable stripe and a half swipe as bad reads', async () => {
    const { reader, driver, reads } = await reading();
    reader.swipe(CARD, 'bad_read');
    reader.swipe(CARD, 'partial_track');
    await vi.waitUntil(() => reads.length === 2);
    expect(reads).toEqual([
      { kind: 'bad_read', reason: 'track2_unreadable' },
      { kind: 'bad_read', reason: 'track2_unreadable' },
    ]);
    await driver.close();
  });

  it(`ends a swipe whose keystrokes stop for ${CARD_READER_POLL_MS} ms as a bad read`, async () => {
    vi.useFakeTimers();
    const { reader, driver, reads } = await reading();
    reader.type(';4111110000000013=3106', false);
    await vi.advanceTimersByTimeAsync(CARD_READER_POLL_MS - 1);
    expect(reads).toEqual([]);
    await vi.advanceTimersByTimeAsync(1);
    expect(reads).toEqual([{ kind: 'bad_read', reason: 'track2_unreadable' }]);
    await driver.close();
    await vi.advanceTimersByTimeAsync(CARD_READER_POLL_MS);
  });

  it('ends its read loop with UsbDisconnectedError when unplugged mid-swipe, and reads cleanly after a replug', async () => {
    const { reader, reads, loop } = await reading();
    reader.type('%B4111110000', false);
    reader.unplug();
    await expect(loop).rejects.toThrow(UsbDisconnectedError);
    reader.plug();
    const again = await reading(reader);
    reader.swipe(CARD);
    await vi.waitUntil(() => again.reads.length === 1);
    expect(again.reads[0]?.kind).toBe('card');
    expect(reads).toEqual([]);
    await again.driver.close();
  });
});
