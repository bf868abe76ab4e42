/**
 * The station's USB "interface" (in the Odoo IoT sense): it lists the bus, gives each role it watches
 * the device that fits it, and follows hot-plug. A role whose device is unplugged waits; when a
 * device of that role appears it is taken, preferring the one that left (serial number, then
 * VID/PID). One device per role: a second reader plugged in stays unused until the first leaves.
 *
 * Bus events are handled one at a time, and every event rescans the bus, so a missed or reordered
 * event is corrected by the next one.
 */
import type { DeviceKind } from '../../common/devices.ts';
import { matchUsbDevice, pickDevice, type RememberedDevice, type UsbMatch, type UsbMatchRule } from './device-match.ts';
import { sameUsbDevice, type UsbBus, type UsbBusDevice, type UsbConnectionEvent } from './usb-bus.ts';

export interface UsbWatcherHandlers {
  attach(kind: DeviceKind, device: UsbBusDevice, match: UsbMatch): void;
  detach(kind: DeviceKind): void;
  /** A rescan after a bus event failed; start() reports its own failure by rejecting. */
  error(message: string): void;
}

export class UsbDeviceWatcher {
  readonly #bus: UsbBus;
  readonly #rules: readonly UsbMatchRule[];
  readonly #kinds: ReadonlySet<DeviceKind>;
  readonly #handlers: UsbWatcherHandlers;
  readonly #bound = new Map<DeviceKind, UsbBusDevice>();
  readonly #remembered = new Map<DeviceKind, RememberedDevice>();
  #queue: Promise<void> = Promise.resolve();
  #stopped = false;

  constructor(options: { bus: UsbBus; rules: readonly UsbMatchRule[]; kinds: readonly DeviceKind[]; handlers: UsbWatcherHandlers }) {
    this.#bus = options.bus;
    this.#rules = options.rules;
    this.#kinds = new Set(options.kinds);
    this.#handlers = options.handlers;
  }

  /** Listens first, then lists the bus, so a device plugged in meanwhile is not missed. Rejects when the bus cannot be listed. */
  async start(): Promise<void> {
    this.#bus.addEventListener('connect', this.#onConnect);
    this.#bus.addEventListener('disconnect', this.#onDisconnect);
    try {
      await this.#enqueue(() => this.#scan());
    } catch (error) {
      this.stop();
      throw error;
    }
  }

  stop(): void {
    this.#stopped = true;
    this.#bus.removeEventListener('connect', this.#onConnect);
    this.#bus.removeEventListener('disconnect', this.#onDisconnect);
  }

  bound(kind: DeviceKind): UsbBusDevice | undefined {
    return this.#bound.get(kind);
  }

  /**
   * The role's device stopped answering though no disconnect event came (the printer heartbeat
   * found it gone): forget it and look again, so its return is noticed.
   */
  release(kind: DeviceKind): void {
    if (!this.#bound.has(kind)) return;
    this.#unbind(kind);
    void this.#enqueue(() => this.#scan()).catch((error: unknown) => this.#handlers.error(describe(error)));
  }

  readonly #onConnect = (): void => {
    void this.#enqueue(() => this.#scan()).catch((error: unknown) => this.#handlers.error(describe(error)));
  };

  readonly #onDisconnect = (event: UsbConnectionEvent): void => {
    void this.#enqueue(async () => {
      for (const [kind, device] of [...this.#bound]) {
        if (!sameUsbDevice(device, event.device)) continue;
        this.#unbind(kind);
        this.#handlers.detach(kind);
      }
      // Another device of the role may be plugged in already.
      await this.#scan();
    }).catch((error: unknown) => this.#handlers.error(describe(error)));
  };

  async #scan(): Promise<void> {
    if (this.#stopped) return;
    const devices = await this.#bus.getDevices();
    const inUse = [...this.#bound.values()];
    for (const kind of this.#kinds) {
      if (this.#bound.has(kind)) continue;
      const candidates: { device: UsbBusDevice; match: UsbMatch }[] = [];
      for (const device of devices) {
        if (inUse.some((used) => sameUsbDevice(used, device))) continue;
        const match = matchUsbDevice(device, this.#rules);
        if (match?.kind === kind) candidates.push({ device, match });
      }
      const chosen = pickDevice(
        candidates.map((candidate) => candidate.device),
        this.#remembered.get(kind),
      );
      const match = candidates.find((candidate) => candidate.device === chosen)?.match;
      if (!chosen || !match) continue;
      this.#bound.set(kind, chosen);
      inUse.push(chosen);
      this.#handlers.attach(kind, chosen, match);
    }
  }

  #unbind(kind: DeviceKind): void {
    const device = this.#bound.get(kind);
    if (!device) return;
    this.#bound.delete(kind);
    this.#remembered.set(kind, { vendorId: device.vendorId, productId: device.productId, serialNumber: device.serialNumber ?? null });
  }

  #enqueue(operation: () => Promise<void>): Promise<void> {
    const run = this.#queue.then(operation);
    this.#queue = run.catch(() => undefined);
    return run;
  }
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
