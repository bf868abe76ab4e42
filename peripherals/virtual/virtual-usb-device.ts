/**
 * The part every virtual device shares: USB bookkeeping (open, configuration, claimed interfaces)
 * and being plugged or unplugged. A virtual device is a product feature (demo mode, tests), so it
 * fails the way hardware fails: transfers on an unplugged device reject with UsbDisconnectedError,
 * a transfer with nothing to read times out, and an unclaimed interface is refused.
 */
import {
  UsbDisconnectedError,
  type MinimalUsbDevice,
  type UsbConfigurationInfo,
  type UsbControlSetup,
  type UsbInResult,
  type UsbOutResult,
} from '../usb/minimal-usb-device.ts';

export interface VirtualDeviceIdentity {
  readonly vendorId: number;
  readonly productId: number;
  readonly serialNumber: string;
  readonly manufacturerName: string;
  readonly productName: string;
  readonly configuration: UsbConfigurationInfo;
}

/** Transfers wait at most this long when the caller gives no timeout, like usb v3's default. */
export const DEFAULT_TRANSFER_TIMEOUT_MS = 1000;

export abstract class VirtualUsbDevice implements MinimalUsbDevice {
  readonly vendorId: number;
  readonly productId: number;
  readonly serialNumber: string;
  readonly manufacturerName: string;
  readonly productName: string;
  readonly configuration: UsbConfigurationInfo;
  #attached = true;
  #opened = false;
  readonly #claimed = new Set<number>();
  readonly #plugListeners = new Set<(attached: boolean) => void>();

  constructor(identity: VirtualDeviceIdentity) {
    this.vendorId = identity.vendorId;
    this.productId = identity.productId;
    this.serialNumber = identity.serialNumber;
    this.manufacturerName = identity.manufacturerName;
    this.productName = identity.productName;
    this.configuration = identity.configuration;
  }

  get opened(): boolean {
    return this.#opened;
  }

  get attached(): boolean {
    return this.#attached;
  }

  async open(): Promise<void> {
    this.assertAttached();
    this.#opened = true;
  }

  async close(): Promise<void> {
    this.#opened = false;
    this.#claimed.clear();
  }

  async selectConfiguration(configurationValue: number): Promise<void> {
    this.assertOpen();
    if (configurationValue !== this.configuration.configurationValue) throw new Error(`selectConfiguration: no configuration ${configurationValue}`);
  }

  async claimInterface(interfaceNumber: number): Promise<void> {
    this.assertOpen();
    if (!this.configuration.interfaces.some((iface) => iface.interfaceNumber === interfaceNumber)) {
      throw new Error(`claimInterface: no interface ${interfaceNumber}`);
    }
    this.#claimed.add(interfaceNumber);
  }

  async releaseInterface(interfaceNumber: number): Promise<void> {
    this.#claimed.delete(interfaceNumber);
  }

  async transferIn(endpointNumber: number, length: number, timeoutMs = DEFAULT_TRANSFER_TIMEOUT_MS): Promise<UsbInResult> {
    this.assertEndpointClaimed(endpointNumber, 'in');
    return this.handleTransferIn(endpointNumber, length, timeoutMs);
  }

  async transferOut(endpointNumber: number, data: Uint8Array, _timeoutMs = DEFAULT_TRANSFER_TIMEOUT_MS): Promise<UsbOutResult> {
    this.assertEndpointClaimed(endpointNumber, 'out');
    return this.handleTransferOut(endpointNumber, Uint8Array.from(data));
  }

  async controlTransferIn(setup: UsbControlSetup, length: number): Promise<UsbInResult> {
    this.assertOpen();
    return this.handleControlIn(setup, length);
  }

  async controlTransferOut(setup: UsbControlSetup, data?: Uint8Array): Promise<UsbOutResult> {
    this.assertOpen();
    return this.handleControlOut(setup, data ?? new Uint8Array());
  }

  /** Pulls the cable: in-flight and later transfers fail until plug(). */
  unplug(): void {
    if (!this.#attached) return;
    this.#attached = false;
    this.#opened = false;
    this.#claimed.clear();
    this.onUnplug();
    for (const listener of this.#plugListeners) listener(false);
  }

  plug(): void {
    if (this.#attached) return;
    this.#attached = true;
    for (const listener of this.#plugListeners) listener(true);
  }

  /** Hot-plug notifications, as the USB bus would give them. */
  onPlugChange(listener: (attached: boolean) => void): () => void {
    this.#plugListeners.add(listener);
    return () => this.#plugListeners.delete(listener);
  }

  protected abstract handleTransferIn(endpointNumber: number, length: number, timeoutMs: number): Promise<UsbInResult>;
  protected abstract handleTransferOut(endpointNumber: number, data: Uint8Array): Promise<UsbOutResult>;

  protected async handleControlIn(_setup: UsbControlSetup, _length: number): Promise<UsbInResult> {
    return { status: 'stall' };
  }

  protected async handleControlOut(_setup: UsbControlSetup, _data: Uint8Array): Promise<UsbOutResult> {
    return { status: 'stall', bytesWritten: 0 };
  }

  /** Subclasses fail their waiting transfers here. */
  protected abstract onUnplug(): void;

  protected assertAttached(): void {
    if (!this.#attached) throw new UsbDisconnectedError(`${this.productName} is not connected`);
  }

  private assertOpen(): void {
    this.assertAttached();
    if (!this.#opened) throw new Error(`${this.productName}: device not opened`);
  }

  private assertEndpointClaimed(endpointNumber: number, direction: 'in' | 'out'): void {
    this.assertOpen();
    const owner = this.configuration.interfaces.find((iface) =>
      iface.alternate.endpoints.some((endpoint) => endpoint.endpointNumber === endpointNumber && endpoint.direction === direction),
    );
    if (!owner) throw new Error(`transfer${direction === 'in' ? 'In' : 'Out'}: no ${direction} endpoint ${endpointNumber}`);
    if (!this.#claimed.has(owner.interfaceNumber)) throw new Error(`transfer: interface ${owner.interfaceNumber} not claimed`);
  }
}
