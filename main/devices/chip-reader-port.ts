/**
 * Connects the chip reader's slot changes to a card tender waiting for a card: a card inserted into
 * the contact slot, or coming into the contactless field, after the tender started is powered on
 * and handed over. A card that was already in the slot is not taken: the customer inserts (or taps)
 * for this payment, as the screen asks, so a card left in the reader is never charged again.
 *
 * A card that does not answer the reset (mute) is still handed over: the kernel meets the failure at
 * its first command and ends in chip_error, which counts towards fallback (payments/emv/kernel).
 */
import { openSlot } from '../../peripherals/ccid/ccid-card-transport.ts';
import { CONTACT_SLOT, CONTACTLESS_SLOT } from '../../peripherals/ccid/virtual-ccid-reader.ts';
import type { ManagedDevice } from '../../peripherals/devices/managed-device.ts';
import type { ChipReaderPort, PresentedChipCard } from '../checkout/ports.ts';
import type { ChipReaderSession, ChipSlotEvents } from './chip-reader-device.ts';
import { waitForRead } from './wait-for-read.ts';

export function chipReaderPort(reader: ManagedDevice<ChipReaderSession>, slots: ChipSlotEvents): ChipReaderPort {
  return {
    nextChipCard(signal) {
      return waitForRead<PresentedChipCard>(signal, (take) =>
        slots.subscribe((change) => {
          if (!change.present || (change.slot !== CONTACT_SLOT && change.slot !== CONTACTLESS_SLOT)) return;
          const driver = reader.session?.driver;
          if (!driver) return;
          const cardInterface = change.slot === CONTACT_SLOT ? 'contact' : 'contactless';
          take(
            openSlot(driver, change.slot).then(
              (session): PresentedChipCard => ({ cardInterface, transport: session, end: () => session.end() }),
              (error: unknown): PresentedChipCard => ({ cardInterface, transport: { transceive: () => Promise.reject(error) }, end: async () => undefined }),
            ),
          );
        }),
      );
    },
  };
}
