/**
 * Test double of usb v3's WebUSB object: an EventTarget with getDevices() and 'connect'/'disconnect'
 * events carrying `device`. Like usb v3, every listing hands out new device objects (only bus and
 * address tie them to the physical device), and a disconnect event carries the object the bus knew.
 * A plugged device can be a virtual device, so drivers can be opened through the fake bus.
 */
import type { MinimalUsbDevice, UsbConfigurationInfo } from './minimal-usb-device.ts';
import type { UsbBus, UsbBusDevice, UsbBusEventType, UsbConnectionEvent } from './usb-bus.ts';

export interface FakeDeviceDescription {
  readonly vendorId: number;
  readonly productId: number;
  readonly serialNumber?: string | null;
  readonly productName?: string;
  readonly interfaceClasses?: readonly number[];
}

/** A descriptor-only device: enough to be listed and matched, not to be opened. */
export function describedDevice(description: FakeDeviceDescription): MinimalUsbDevice {
  const configuration: UsbConfigurationInfo = {
    configurationValue: 1,
    interfaces: (description.interfaceClasses ?? []).map((interfaceClass, interfaceNumber) => ({
      interfaceNumber,
      alternate: { alternateSetting: 0, interfaceClass, interfaceSubclass: 0, interfaceProtocol: 0, endpoints: [] },
    })),
  };
  const refuse = () => Promise.reject(new Error('LIBUSB_ERROR_NOT_SUPPORTED: a described test device cannot be opened'));
  return {
    vendorId: description.vendorId,
    productId: description.productId,
    serialNumber: description.serialNumber ?? null,
    productName: description.productName ?? null,
    manufacturerName: null,
    opened: false,
    configuration,
    open: refuse,
    close: () => Promise.resolve(),
    selectConfiguration: refuse,
    claimInterface: refuse,
    releaseInterface: () => Promise.resolve(),
    transferIn: refuse,
    transferOut: refuse,
    controlTransferIn: refuse,
    controlTransferOut: refuse,
  };
}

interface Plugged {
  readonly device: MinimalUsbDevice;
  readonly bus: string;
  readonly address: number;
  /** The object the bus handed out when it learned of the device; disconnect events carry it. */
  readonly known: UsbBusDevice;
}

export class FakeWebUsb implements UsbBus {
  /** usb v3's WebUSB is an EventTarget; the fake dispatches real DOM events through one too. */
  readonly #events = new EventTarget();
  readonly #plugged: Plugged[] = [];
  #nextAddress = 1;
  /** When set, getDevices() fails with it, as usb v3 does on a machine without a USB bus. */
  failListing: string | undefined;

  addEventListener(type: UsbBusEventType, listener: (event: UsbConnectionEvent) => void): void {
    this.#events.addEventListener(type, listener as unknown as EventListener);
  }

  removeEventListener(type: UsbBusEventType, listener: (event: UsbConnectionEvent) => void): void {
    this.#events.removeEventListener(type, listener as unknown as EventListener);
  }

  async getDevices(): Promise<UsbBusDevice[]> {
    if (this.failListing !== undefined) throw new Error(this.failListing);
    return this.#plugged.map((entry) => listing(entry));
  }

  /** Plugs a device in, announcing it unless `silently` (a device already there at start-up). */
  plug(device: MinimalUsbDevice, options: { silently?: boolean } = {}): UsbBusDevice {
    const address = this.#nextAddress++;
    const entry: Plugged = { device, bus: '1-1', address, known: listing({ device, bus: '1-1', address }) };
    this.#plugged.push(entry);
    if (!options.silently) this.#events.dispatchEvent(connectionEvent('connect', entry.known));
    return entry.known;
  }

  /** Unplugs a device; `silently` loses the event, as a flaky hot-plug backend can. */
  unplug(device: MinimalUsbDevice, options: { silently?: boolean } = {}): void {
    const index = this.#plugged.findIndex((entry) => entry.device === device);
    const [entry] = index >= 0 ? this.#plugged.splice(index, 1) : [];
    if (entry && !options.silently) this.#events.dispatchEvent(connectionEvent('disconnect', entry.known));
  }
}

/** A new object per listing that forwards to the device, like usb v3's per-enumeration handles. */
function listing(entry: { device: MinimalUsbDevice; bus: string; address: number }): UsbBusDevice {
  const { device } = entry;
  return {
    bus: entry.bus,
    address: entry.address,
    vendorId: device.vendorId,
    productId: device.productId,
    serialNumber: device.serialNumber ?? null,
    productName: device.productName ?? null,
    manufacturerName: device.manufacturerName ?? null,
    get opened() {
      return device.opened;
    },
    get configuration() {
      return device.configuration;
    },
    open: () => device.open(),
    close: () => device.close(),
    selectConfiguration: (value) => device.selectConfiguration(value),
    claimInterface: (value) => device.claimInterface(value),
    releaseInterface: (value) => device.releaseInterface(value),
    transferIn: (endpoint, length, timeout) => device.transferIn(endpoint, length, timeout),
    transferOut: (endpoint, data, timeout) => device.transferOut(endpoint, data, timeout),
    controlTransferIn: (setup, length, timeout) => device.controlTransferIn(setup, length, timeout),
    controlTransferOut: (setup, data, timeout) => device.controlTransferOut(setup, data, timeout),
    detachKernelDriver: async () => {
      // No kernel driver binds a fake device's interfaces: there is nothing to detach.
    },
  };
}

function connectionEvent(type: UsbBusEventType, device: UsbBusDevice): Event {
  return Object.assign(new Event(type), { device });
}
