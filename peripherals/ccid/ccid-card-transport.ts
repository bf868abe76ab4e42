/**
 * The kernel's card transport on one slot of a CCID reader: power the card on, exchange APDUs,
 * power it off. What the station registers as the "insert" (contact slot) and "tap" (contactless
 * slot) transports. Reader failures reach the kernel as the card failures they amount to: the reader
 * unplugged mid-transaction is the card gone (CardRemovedError), a reader or slot error a chip that
 * cannot be used (CardMuteError), so every kernel run still ends in an outcome.
 */
import { CardMuteError, CardRemovedError, type CardTransport } from '../../payments/emv/kernel/ports.ts';
import { UsbDisconnectedError } from '../usb/minimal-usb-device.ts';
import { CcidError, type CcidReaderDriver } from './ccid-driver.ts';
import { CcidFormatError } from './ccid-messages.ts';

export interface SlotSession extends CardTransport {
  readonly atr: Buffer;
  end(): Promise<void>;
}

function asCardError(error: unknown): unknown {
  if (error instanceof UsbDisconnectedError) return new CardRemovedError(`the reader went away: ${error.message}`);
  if (error instanceof CcidError || error instanceof CcidFormatError) return new CardMuteError(error.message);
  return error;
}

/** Powers the card in `slot` on (CardRemovedError when empty, CardMuteError when it stays mute). */
export async function openSlot(driver: CcidReaderDriver, slot: number): Promise<SlotSession> {
  const atr = await driver.powerOn(slot).catch((error: unknown) => Promise.reject(asCardError(error)));
  return {
    atr,
    transceive: async (command, signal) => {
      signal?.throwIfAborted();
      try {
        return await driver.transmit(slot, command);
      } catch (error) {
        throw asCardError(error);
      }
    },
    end: () => driver.powerOff(slot).catch(() => undefined),
  };
}
