/**
 * The station's peripherals, each a managed device with its driver session, and the virtual
 * twins that stand in for them. Which device fills each role depends on the device mode:
 *   virtual  the twins;
 *   usb      real devices from the USB bus only;
 *   auto     a real device where one is found, the twin otherwise (the status's `source` says which).
 * The same drivers run either way: the twins present themselves at the USB transfer level.
 *
 * Swiped cards are read by one device, as `devices.stripeReader` says: the PIN pad's own head, an
 * encrypting reader (its reads reach `cardReads` masked and encrypted, and the separate card reader
 * role is not used at all), or the separate card reader, a plain one (clear tracks). The status of
 * the device that reads cards says which (`encrypting`), so the status bar can warn of a plain one.
 */
import { DEVICE_KINDS, type DeviceKind, type DeviceStatus } from '../../common/devices.ts';
import type { TrackSource } from '../../common/card/tracks.ts';
import { CardReaderDriver } from '../../peripherals/card-reader/card-reader-driver.ts';
import { VirtualCardReader, type SwipeFault } from '../../peripherals/card-reader/virtual-card-reader.ts';
import { VirtualKeyboardCardReader } from '../../peripherals/card-reader/virtual-keyboard-card-reader.ts';
import { ManagedDevice, type DeviceSession } from '../../peripherals/devices/managed-device.ts';
import type { CardDataEncryptor } from '../../peripherals/pin-pad/card-data-encryption.ts';
import { PinPadDriver } from '../../peripherals/pin-pad/pin-pad-driver.ts';
import type { PinEncryptor } from '../../peripherals/pin-pad/pin-encryption.ts';
import { VirtualPinPad } from '../../peripherals/pin-pad/virtual-pin-pad.ts';
import { VirtualUsbPrinter } from '../../peripherals/printer/virtual-printer.ts';
import { VirtualCcidReader } from '../../peripherals/ccid/virtual-ccid-reader.ts';
import type { ScanRead } from '../../peripherals/scanner/scan-read.ts';
import { BarcodeScannerDriver } from '../../peripherals/scanner/scanner-driver.ts';
import { VirtualHidPosScanner, VirtualKeyboardScanner } from '../../peripherals/scanner/virtual-scanner.ts';
import { loadUsbBus } from '../../peripherals/usb/load-usb-bus.ts';
import { usbIdText, type UsbBus } from '../../peripherals/usb/usb-bus.ts';
import { DEFAULT_DEVICES_CONFIG, type DevicesConfig, type StripeReader } from '../config/device-config.ts';
import { CardReads } from './card-reader-port.ts';
import { createChipReaderDevice, type ChipReaderSession, type ChipSlotEvents } from './chip-reader-device.ts';
import { DeviceReads } from './device-reads.ts';
import { DeviceRole } from './device-role.ts';
import type { PinPadSession } from './pin-pad-port.ts';
import { createPrinterDevice, type PrinterDevices, type PrinterSettings } from './printer-device.ts';
import { createUsbCatalog } from './usb-catalog.ts';
import { startUsbDiscovery } from './usb-discovery.ts';

/** A virtual card reader of either interface: swiping is all the demo panel does with it. */
export type VirtualSwipeReader = VirtualCardReader | VirtualKeyboardCardReader;
/** A virtual barcode scanner of either interface: scanning a code is all the demo panel does with it. */
export type VirtualBarcodeScanner = VirtualHidPosScanner | VirtualKeyboardScanner;

export interface StationDevices extends PrinterDevices {
  /** Swipes on whichever device reads cards (`stripeReader`), good and bad. */
  readonly cardReads: CardReads;
  readonly stripeReader: StripeReader;
  /** The role of the device that reads swiped cards. */
  readonly stripeReaderKind: 'pinPad' | 'cardReader';
  readonly cardReader: ManagedDevice;
  readonly pinPad: ManagedDevice<PinPadSession>;
  /** Every scan of whichever scanner fills the role; the station resolves each against the catalog. */
  readonly scans: DeviceReads<ScanRead>;
  readonly scanner: ManagedDevice;
  readonly virtualCardReader: VirtualSwipeReader;
  readonly virtualScanner: VirtualBarcodeScanner;
  readonly virtualPinPad: VirtualPinPad;
  /** The CCID chip reader (contact slot 0, contactless slot 1): insert and tap. */
  readonly chipReader: ManagedDevice<ChipReaderSession>;
  readonly virtualChipReader: VirtualCcidReader;
  /** Card insert and removal, tap and leaving the field, from whichever chip reader fills the role. */
  readonly chipSlots: ChipSlotEvents;
  /** Whether the role is filled by its virtual twin now. */
  usesVirtual(kind: DeviceKind): boolean;
  /** Digits typed on the virtual PIN pad while it fills the role (a count; a real pad reports none). */
  pinDigits(listener: (count: number) => void): () => void;
  /** The roles in use: every role but the separate card reader's when the PIN pad reads cards. */
  statuses(): DeviceStatus[];
  onStatus(listener: (status: DeviceStatus) => void): () => void;
  /** Swipes a card on the virtual device that reads cards; false when that device did not take it. */
  swipe(card: TrackSource, fault: SwipeFault): boolean;
  stop(): Promise<void>;
}

export interface StationDevicesOptions {
  readonly devices: DevicesConfig;
  readonly pinEncryptor: PinEncryptor;
  /** The virtual PIN pad's stripe head; without one the virtual pad has none. */
  readonly cardDataEncryptor?: CardDataEncryptor;
  readonly printer: PrinterSettings;
  readonly log: (line: string) => void;
  /** The USB bus; the real one (usb v3) unless a test gives a fake. */
  readonly loadBus?: () => Promise<UsbBus>;
}

/** Builds the devices and fills each role as the device mode says; USB discovery is done when this resolves. */
export async function createStationDevices(options: StationDevicesOptions): Promise<StationDevices> {
  const { devices, roles, kinds, catalog } = buildDevices(options);
  if (options.devices.mode === 'virtual') {
    for (const kind of kinds) roles[kind].useVirtual();
    return devices;
  }
  if (options.devices.mode === 'auto') for (const kind of kinds) roles[kind].useVirtual();
  const discovery = await startUsbDiscovery({ mode: options.devices.mode, roles, kinds, rules: catalog.rules, loadBus: options.loadBus ?? loadUsbBus, log: options.log });
  return {
    ...devices,
    async stop() {
      discovery.stop();
      await devices.stop();
    },
  };
}

/** Every role filled by its virtual twin: demo mode, and tests that need no USB at all. */
export function createVirtualStationDevices(
  pinEncryptor: PinEncryptor,
  printer: PrinterSettings,
  virtualCardReader: DevicesConfig['virtualCardReader'] = 'magtek-hid',
  stripe: { readonly stripeReader: StripeReader; readonly cardDataEncryptor?: CardDataEncryptor } = { stripeReader: 'card-reader' },
): StationDevices {
  const { devices, roles, kinds } = buildDevices({
    devices: { ...DEFAULT_DEVICES_CONFIG, virtualCardReader, stripeReader: stripe.stripeReader },
    pinEncryptor,
    ...(stripe.cardDataEncryptor ? { cardDataEncryptor: stripe.cardDataEncryptor } : {}),
    printer,
    log: () => undefined,
  });
  for (const kind of kinds) roles[kind].useVirtual();
  return devices;
}

function buildDevices(options: StationDevicesOptions) {
  const catalog = createUsbCatalog(options.devices.usb);
  const { stripeReader } = options.devices;
  const stripeReaderKind = stripeReader === 'pin-pad' ? 'pinPad' : 'cardReader';
  const cardReads = new CardReads();
  const virtualCardReader: VirtualSwipeReader = options.devices.virtualCardReader === 'hid-keyboard' ? new VirtualKeyboardCardReader() : new VirtualCardReader();
  const virtualPinPad = new VirtualPinPad(options.pinEncryptor, options.cardDataEncryptor ? { cardData: options.cardDataEncryptor } : {});
  const scans = new DeviceReads<ScanRead>();
  const virtualScanner: VirtualBarcodeScanner = options.devices.virtualScanner === 'hid-keyboard' ? new VirtualKeyboardScanner() : new VirtualHidPosScanner();

  const cardReader = new ManagedDevice<DeviceSession>({
    kind: 'cardReader',
    source: 'virtual',
    model: virtualCardReader.productName,
    open: async (device) => {
      const model = catalog.cardReaderModel(device);
      if (!model) throw new Error(`no card reader model is known for USB device ${usbIdText(device)}`);
      const driver = new CardReaderDriver(device, model);
      await driver.open();
      return { run: () => driver.readLoop((read) => cardReads.publish(read)), close: () => driver.close() };
    },
  });
  const pinPad = new ManagedDevice<PinPadSession>({
    kind: 'pinPad',
    source: 'virtual',
    model: virtualPinPad.productName,
    open: async (device) => {
      const driver = new PinPadDriver(device);
      await driver.open();
      // The head's swipes count only when the merchant has the PIN pad read cards.
      const stopHead = driver.onHeadRead((read) => {
        if (stripeReader !== 'pin-pad') return;
        const taken = cardReads.publish(read.kind === 'card' ? { kind: 'encrypted_card', read: read.read } : read);
        // A card nobody waits for is dropped here, and the pad is told to forget it too.
        if (!taken && read.kind === 'card') {
          driver.endCard().catch(() => {
            // A pad that does not hear it forgets the card after its hold time.
          });
        }
      });
      return {
        driver,
        run: () => driver.readLoop(),
        close: async () => {
          stopHead();
          await driver.close();
        },
      };
    },
  });
  const scanner = new ManagedDevice<DeviceSession>({
    kind: 'scanner',
    source: 'virtual',
    model: virtualScanner.productName,
    open: async (device) => {
      const model = catalog.scannerModel(device);
      if (!model) throw new Error(`no barcode scanner model is known for USB device ${usbIdText(device)}`);
      const driver = new BarcodeScannerDriver(device, model);
      await driver.open();
      return { run: () => driver.readLoop((read) => scans.publish(read)), close: () => driver.close() };
    },
  });
  const printer = createPrinterDevice({ settings: options.printer, virtualPrinter: new VirtualUsbPrinter(), cjkOf: (device) => catalog.printerCjk(device) });
  const chip = createChipReaderDevice();

  const roles: Record<DeviceKind, DeviceRole> = {
    cardReader: new DeviceRole('cardReader', cardReader, virtualCardReader),
    pinPad: new DeviceRole('pinPad', pinPad, virtualPinPad),
    printer: new DeviceRole('printer', printer.printer, printer.virtualPrinter),
    chipReader: new DeviceRole('chipReader', chip.chipReader, chip.virtualChipReader),
    scanner: new DeviceRole('scanner', scanner, virtualScanner),
  };
  // With the PIN pad reading cards, the separate reader's role is left empty: a swipe there would go nowhere.
  const kinds = DEVICE_KINDS.filter((kind) => kind !== 'cardReader' || stripeReader === 'card-reader');
  const managed = kinds.map((kind) => roles[kind].managed);
  const withReading = (status: DeviceStatus): DeviceStatus => (status.device === stripeReaderKind ? { ...status, encrypting: stripeReader === 'pin-pad' } : status);

  const devices: StationDevices = {
    ...printer,
    cardReads,
    stripeReader,
    stripeReaderKind,
    cardReader,
    pinPad,
    scans,
    scanner,
    virtualCardReader,
    virtualPinPad,
    chipReader: chip.chipReader,
    virtualChipReader: chip.virtualChipReader,
    chipSlots: chip.chipSlots,
    virtualScanner,
    usesVirtual: (kind) => roles[kind].usesVirtual,
    pinDigits: (listener) =>
      virtualPinPad.onScreen((screen) => {
        if (roles.pinPad.usesVirtual) listener(screen.pinDigits);
      }),
    statuses: () => managed.map((device) => withReading(device.status())),
    onStatus: (listener) => {
      const stops = managed.map((device) => device.onStatus((status) => listener(withReading(status))));
      return () => stops.forEach((stop) => stop());
    },
    swipe: (card, fault) => {
      if (stripeReader === 'pin-pad') return virtualPinPad.swipe(card, fault);
      virtualCardReader.swipe(card, fault);
      return true;
    },
    stop: async () => {
      for (const role of Object.values(roles)) role.stop();
      await Promise.all([cardReader, pinPad, printer.printer, chip.chipReader, scanner].map((device) => device.stop()));
    },
  };
  return { devices, roles, kinds, catalog };
}
