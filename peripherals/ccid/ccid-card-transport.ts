/**
 * The kernel's card transport on one slot of a CCID reader: power the card on, exchange APDUs,
 * power it off. What the station registers as the "insert" (contact slot) and "tap" (contactless
 * slot) transports.
 */
import type { CardTransport } from '../../payments/emv/kernel/ports.ts';
import type { CcidReaderDriver } from './ccid-driver.ts';

export interface SlotSession extends CardTransport {
  readonly atr: Buffer;
  end(): Promise<void>;
}

/** Powers the card in `slot` on (CardRemovedError when empty, CardMuteError when it stays mute). */
export async function openSlot(driver: CcidReaderDriver, slot: number): Promise<SlotSession> {
  const atr = await driver.powerOn(slot);
  return {
    atr,
    transceive: (command, signal) => {
      signal?.throwIfAborted();
      return driver.transmit(slot, command);
    },
    end: () => driver.powerOff(slot).catch(() => undefined),
  };
}
