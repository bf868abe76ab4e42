/**
 * One role at the counter (card reader, PIN pad, printer) and which device fills it: the station's
 * virtual twin, followed through its (simulated) cable, or a real USB device the watcher found.
 * Once a real device takes the role it keeps it: if it is unplugged the role waits for it rather
 * than falling back to the twin, which would leave a cashier printing to a screen without noticing.
 */
import type { DeviceKind } from '../../common/devices.ts';
import type { DeviceSession, ManagedDevice } from '../../peripherals/devices/managed-device.ts';
import type { MinimalUsbDevice } from '../../peripherals/usb/minimal-usb-device.ts';
import type { VirtualUsbDevice } from '../../peripherals/virtual/virtual-usb-device.ts';

export class DeviceRole<S extends DeviceSession = DeviceSession> {
  readonly kind: DeviceKind;
  readonly managed: ManagedDevice<S>;
  readonly virtual: VirtualUsbDevice;
  #unfollow: (() => void) | undefined;

  constructor(kind: DeviceKind, managed: ManagedDevice<S>, virtual: VirtualUsbDevice) {
    this.kind = kind;
    this.managed = managed;
    this.virtual = virtual;
  }

  /** Whether the virtual twin fills the role. */
  get usesVirtual(): boolean {
    return this.#unfollow !== undefined;
  }

  /** Attaches the twin now and follows its cable: unplug detaches, plug re-attaches. */
  useVirtual(): void {
    if (this.#unfollow) return;
    const identity = { source: 'virtual', model: this.virtual.productName } as const;
    this.#unfollow = this.virtual.onPlugChange((attached) => (attached ? this.managed.attach(this.virtual, identity) : this.managed.detach()));
    if (this.virtual.attached) this.managed.attach(this.virtual, identity);
    else this.managed.detach();
  }

  /** A real device takes the role; the twin is no longer followed. */
  useUsb(device: MinimalUsbDevice, model: string): void {
    this.#unfollow?.();
    this.#unfollow = undefined;
    this.managed.attach(device, { source: 'usb', model });
  }

  stop(): void {
    this.#unfollow?.();
    this.#unfollow = undefined;
  }
}
