/**
 * The simulated-devices panel's handlers: they act on the virtual hardware exactly as a person at
 * the counter would: swipe a card through the reader head, insert a chip card or tap it, press a key on the PIN pad's keypad,
 * pull or plug a cable, take the printer's paper out or open its cover, push the cash drawer shut.
 * `changed` tells the panel's other windows that the hardware is in a new state.
 */
import { DEVICE_KINDS, type DeviceKind } from '../../common/devices.ts';
import type { PhoneHandlers } from './phone-handlers.ts';
import type { SimulatorContract, VirtualDevices } from '../../common/ipc/simulator-contract.ts';
import type { TestDeckCard } from '../../common/test-deck.ts';
import type { VirtualUsbDevice } from '../../peripherals/virtual/virtual-usb-device.ts';
import type { StationDevices } from '../devices/station-devices.ts';
import { IpcRejection, type Handlers } from '../ipc/dispatcher.ts';
import type { ScannerHandlers } from './scanner-handlers.ts';
import { describeTestCard } from './test-cards.ts';
import type { VirtualChipCards } from './virtual-chip-cards.ts';
import { CONTACT_SLOT, CONTACTLESS_SLOT } from '../../peripherals/ccid/virtual-ccid-reader.ts';

function virtualDevice(devices: StationDevices, kind: DeviceKind): VirtualUsbDevice {
  const twins: Record<DeviceKind, VirtualUsbDevice> = {
    cardReader: devices.virtualCardReader,
    pinPad: devices.virtualPinPad,
    printer: devices.virtualPrinter,
    chipReader: devices.virtualChipReader,
    scanner: devices.virtualScanner,
  };
  return twins[kind];
}

export function virtualDevicesState(devices: StationDevices, chipCards: VirtualChipCards): VirtualDevices {
  const printer = devices.virtualPrinter;
  const inserted = chipCards.insertedCardId;
  return {
    devices: DEVICE_KINDS.map((device) => ({ device, plugged: virtualDevice(devices, device).attached, inUse: devices.usesVirtual(device) })),
    printer: { ...printer.condition, unplugDuringNextReceipt: printer.unplugArmed },
    chipReader: inserted === undefined ? {} : { insertedCardId: inserted },
  };
}

/** Commands a card answers before it is pulled out (fault): selection and GPO are done, the read is not. */
const COMMANDS_BEFORE_PULLED_OUT = 4;
/** Commands before a tapped card leaves the field too early: PPSE and SELECT, no GPO answer. */
const COMMANDS_BEFORE_LEAVING_FIELD = 2;

/** Every panel method but the barcode scanner's (scanner-handlers.ts, which needs the catalog). */
export function simulatorHandlers(deck: readonly TestDeckCard[], devices: StationDevices, chipCards: VirtualChipCards, changed: () => void): Omit<Handlers<SimulatorContract>, keyof ScannerHandlers | keyof PhoneHandlers> {
  const after = (action: () => void): VirtualDevices => {
    action();
    changed();
    return virtualDevicesState(devices, chipCards);
  };
  const chipCard = (cardId: string) => {
    const card = chipCards.card(cardId);
    if (!card) throw new IpcRejection('not_found', `no chip card ${cardId}`);
    if (!devices.virtualChipReader.attached) throw new IpcRejection('unavailable', 'the virtual chip reader is unplugged');
    return card;
  };
  return {
    listTestCards: () => deck.map(describeTestCard),
    swipeCard: ({ cardId, fault }) => {
      const card = deck.find((candidate) => candidate.id === cardId);
      if (!card) throw new IpcRejection('not_found', `no test card ${cardId}`);
      // The swipe goes to the device that reads cards: the PIN pad's head or the separate reader.
      const reader = devices.stripeReaderKind;
      if (!virtualDevice(devices, reader).attached) throw new IpcRejection('unavailable', `the virtual ${reader === 'pinPad' ? 'PIN pad' : 'card reader'} is unplugged`);
      // A swipe on a reader the station does not use (real hardware took its place) goes nowhere.
      if (!devices.usesVirtual(reader)) return { swiped: false };
      return { swiped: devices.swipe(card, fault) };
    },
    insertChipCard: ({ cardId, fault }) => {
      const card = chipCard(cardId);
      if (!card.image.interfaces.contact) throw new IpcRejection('rejected', `${cardId} has no contact chip`);
      if (!devices.usesVirtual('chipReader')) return { inserted: false };
      const reader = devices.virtualChipReader;
      reader.insert(card);
      chipCards.inserted(cardId);
      if (fault === 'removed_mid_transaction') reader.removeAfter(CONTACT_SLOT, COMMANDS_BEFORE_PULLED_OUT);
      changed();
      return { inserted: true };
    },
    tapChipCard: ({ cardId, fault }) => {
      const card = chipCard(cardId);
      if (!card.image.interfaces.contactless) throw new IpcRejection('rejected', `${cardId} has no contactless interface`);
      if (!devices.usesVirtual('chipReader')) return { tapped: false };
      const reader = devices.virtualChipReader;
      reader.tap(card);
      if (fault === 'leaves_field_early') reader.removeAfter(CONTACTLESS_SLOT, COMMANDS_BEFORE_LEAVING_FIELD);
      return { tapped: true };
    },
    removeChipCard: () => after(() => devices.virtualChipReader.remove(CONTACT_SLOT)),
    pressPinPadKey: ({ key }) => ({ accepted: devices.virtualPinPad.pressKey(key) }),
    expirePinEntry: () => ({ expired: devices.virtualPinPad.expireEntry() }),
    getVirtualDevices: () => virtualDevicesState(devices, chipCards),
    setDevicePlugged: ({ device, plugged }) => after(() => (plugged ? virtualDevice(devices, device).plug() : virtualDevice(devices, device).unplug())),
    setPrinterCondition: ({ paperOut, paperNearEnd, coverOpen }) =>
      after(() => {
        const printer = devices.virtualPrinter;
        if (paperOut !== undefined) printer.setPaperOut(paperOut);
        if (paperNearEnd !== undefined) printer.setPaperNearEnd(paperNearEnd);
        if (coverOpen !== undefined) printer.setCoverOpen(coverOpen);
        // A real printer is noticed at the next heartbeat; the demo should not make the cashier wait for it.
        devices.checkStatusNow();
      }),
    unplugPrinterDuringNextReceipt: () => after(() => devices.virtualPrinter.unplugDuringNextJob()),
    closeDrawer: () =>
      after(() => {
        devices.virtualPrinter.closeDrawer();
        devices.checkStatusNow();
      }),
  };
}
