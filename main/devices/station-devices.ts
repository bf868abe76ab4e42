/**
 * The station's three peripherals, each a managed device with its driver session. In virtual mode
 * the devices are the station's virtual twins; in usb mode they come from the USB bus; in auto mode
 * a real device is used where one is found and its virtual twin otherwise (the status says which).
 */
import type { DeviceStatus } from '../../common/devices.ts';
import type { TrackSource } from '../../common/card/tracks.ts';
import { CardReaderDriver } from '../../peripherals/card-reader/card-reader-driver.ts';
import { VIRTUAL_CARD_READER } from '../../peripherals/card-reader/known-readers.ts';
import { VirtualCardReader, type SwipeFault } from '../../peripherals/card-reader/virtual-card-reader.ts';
import { ManagedDevice, type DeviceSession } from '../../peripherals/devices/managed-device.ts';
import { VIRTUAL_PIN_PAD } from '../../peripherals/pin-pad/known-pin-pads.ts';
import { PinPadDriver } from '../../peripherals/pin-pad/pin-pad-driver.ts';
import type { PinEncryptor } from '../../peripherals/pin-pad/pin-encryption.ts';
import { VirtualPinPad } from '../../peripherals/pin-pad/virtual-pin-pad.ts';
import type { VirtualUsbDevice } from '../../peripherals/virtual/virtual-usb-device.ts';
import { CardReads } from './card-reader-port.ts';
import type { PinPadSession } from './pin-pad-port.ts';
import { createPrinterDevice, type PrinterDevices, type ReceiptSettings } from './printer-device.ts';

export interface StationDevices extends PrinterDevices {
  readonly cardReads: CardReads;
  readonly cardReader: ManagedDevice;
  readonly pinPad: ManagedDevice<PinPadSession>;
  readonly virtualCardReader: VirtualCardReader;
  readonly virtualPinPad: VirtualPinPad;
  statuses(): DeviceStatus[];
  onStatus(listener: (status: DeviceStatus) => void): () => void;
  swipe(card: TrackSource, fault: SwipeFault): void;
  stop(): Promise<void>;
}

/** Attaches a virtual device now and follows its cable: unplug detaches, plug re-attaches. */
export function followVirtualDevice(managed: ManagedDevice<DeviceSession>, device: VirtualUsbDevice): () => void {
  managed.attach(device);
  return device.onPlugChange((attached) => (attached ? managed.attach(device) : managed.detach()));
}

export function createVirtualStationDevices(pinEncryptor: PinEncryptor, receiptSettings: ReceiptSettings): StationDevices {
  const cardReads = new CardReads();
  const virtualCardReader = new VirtualCardReader();
  const virtualPinPad = new VirtualPinPad(pinEncryptor);

  const cardReader = new ManagedDevice({
    kind: 'cardReader',
    source: 'virtual',
    model: VIRTUAL_CARD_READER.name,
    open: async (device) => {
      const driver = new CardReaderDriver(device, VIRTUAL_CARD_READER);
      await driver.open();
      return { run: () => driver.readLoop((read) => cardReads.publish(read)), close: () => driver.close() };
    },
  });
  const pinPad = new ManagedDevice<PinPadSession>({
    kind: 'pinPad',
    source: 'virtual',
    model: VIRTUAL_PIN_PAD.name,
    open: async (device) => {
      const driver = new PinPadDriver(device);
      await driver.open();
      return { driver, run: () => driver.readLoop(), close: () => driver.close() };
    },
  });
  const printer = createPrinterDevice(receiptSettings);
  const managed = [cardReader, pinPad, printer.printer] as const;
  const unfollow = [followVirtualDevice(cardReader, virtualCardReader), followVirtualDevice(pinPad, virtualPinPad), followVirtualDevice(printer.printer, printer.virtualPrinter)];

  return {
    ...printer,
    cardReads,
    cardReader,
    pinPad,
    virtualCardReader,
    virtualPinPad,
    statuses: () => managed.map((device) => device.status()),
    onStatus: (listener) => {
      const stops = managed.map((device) => device.onStatus(listener));
      return () => stops.forEach((stop) => stop());
    },
    swipe: (card, fault) => virtualCardReader.swipe(card, fault),
    stop: async () => {
      unfollow.forEach((stop) => stop());
      await Promise.all(managed.map((device) => device.stop()));
    },
  };
}
