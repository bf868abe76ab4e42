/**
 * The chip reader role: a CCID reader (real, or the virtual dual-interface twin) run through the
 * device state machine like the other peripherals. Its session keeps the interrupt endpoint read
 * (insert, removal, tap, out of the field) and hands the driver to whoever runs a card
 * transaction (payments/emv/kernel through peripherals/ccid/ccid-card-transport.ts).
 */
import { ManagedDevice, type DeviceSession } from '../../peripherals/devices/managed-device.ts';
import { CcidReaderDriver } from '../../peripherals/ccid/ccid-driver.ts';
import type { SlotChange } from '../../peripherals/ccid/ccid-messages.ts';
import { VirtualCcidReader } from '../../peripherals/ccid/virtual-ccid-reader.ts';

export interface ChipReaderSession extends DeviceSession {
  readonly driver: CcidReaderDriver;
}

export interface ChipSlotEvents {
  subscribe(listener: (change: SlotChange) => void): () => void;
}

export function createChipReaderDevice(): { chipReader: ManagedDevice<ChipReaderSession>; virtualChipReader: VirtualCcidReader; chipSlots: ChipSlotEvents } {
  const listeners = new Set<(change: SlotChange) => void>();
  const virtualChipReader = new VirtualCcidReader();
  const chipReader = new ManagedDevice<ChipReaderSession>({
    kind: 'chipReader',
    source: 'virtual',
    model: virtualChipReader.productName,
    open: async (device) => {
      const driver = new CcidReaderDriver(device);
      await driver.open();
      return {
        driver,
        run: () =>
          driver.watchSlots((changes) => {
            for (const change of changes) if (change.changed) for (const listener of [...listeners]) listener(change);
          }),
        close: () => driver.close(),
      };
    },
  });
  return {
    chipReader,
    virtualChipReader,
    chipSlots: {
      subscribe(listener) {
        listeners.add(listener);
        return () => listeners.delete(listener);
      },
    },
  };
}
