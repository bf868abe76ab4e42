/**
 * The kernel's card transport on one slot of a CCID reader: power the card on, exchange APDUs,
 * power it off. What the station registers as the "insert" (contact slot) and "tap" (contactless
 * slot) transports. Reader failures reach the kernel as the card failures they amount to: the reader
 * unplugged mid-transaction is the card gone (CardRemovedError), a reader or slot error or a transfer
 * that timed out a chip that cannot be used (CardMuteError), so every kernel run still ends in an
 * outcome. The kernel's signal reaches the driver, so a cancel abandons a command in flight.
 */
import { CardMuteError, CardRemovedError, type CardTransport } from '../../payments/emv/kernel/ports.ts';
import { isUsbTimeout, UsbDisconnectedError } from '../usb/minimal-usb-device.ts';
import { CcidError, type CcidReaderDriver } from './ccid-driver.ts';
import { CcidFormatError } from './ccid-messages.ts';

export interface SlotSession extends CardTransport {
  readonly atr: Buffer;
  end(): Promise<void>;
}

function asCardError(error: unknown): unknown {
  if (error instanceof UsbDisconnectedError) return new CardRemovedError(`the reader went away: ${error.message}`);
  if (error instanceof CcidError || error instanceof CcidFormatError) return new CardMuteError(error.message);
  // A bulk transfer that timed out (usb's LIBUSB_ERROR_TIMEOUT): the reader or its card stopped answering.
  if (isUsbTimeout(error)) return new CardMuteError(`no answer from the reader: ${error instanceof Error ? error.message : String(error)}`);
  return error;
}

/** Powers the card in `slot` on (CardRemovedError when empty, CardMuteError when it stays mute). */
export async function openSlot(driver: CcidReaderDriver, slot: number): Promise<SlotSession> {
  const atr = await driver.powerOn(slot).catch((error: unknown) => Promise.reject(asCardError(error)));
  return {
    atr,
    transceive: async (command, signal) => {
      try {
        return await driver.transmit(slot, command, signal);
      } catch (error) {
        throw signal?.aborted ? error : asCardError(error);
      }
    },
    end: () => driver.powerOff(slot).catch(() => undefined),
  };
}
