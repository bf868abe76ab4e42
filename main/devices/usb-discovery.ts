/**
 * Real USB devices for the roles, in device mode `usb` or `auto`: loads the usb package (only now,
 * so virtual mode never needs libusb), starts the watcher and hands it the roles.
 *   usb   every role waits for real hardware; a role with none says so in its status.
 *   auto  every role keeps its virtual twin until a real device of that role is found.
 * If USB cannot be used at all (no libusb binary, no /sys/bus/usb), `auto` goes on virtual and logs
 * why, and `usb` shows why on every device.
 */
import type { DeviceKind } from '../../common/devices.ts';
import type { UsbMatchRule } from '../../peripherals/usb/device-match.ts';
import { usbIdText, type UsbBus } from '../../peripherals/usb/usb-bus.ts';
import { UsbDeviceWatcher } from '../../peripherals/usb/usb-device-watcher.ts';
import type { DeviceRole } from './device-role.ts';

const ROLE_NAMES: Readonly<Record<DeviceKind, string>> = { cardReader: 'card reader', pinPad: 'PIN pad', printer: 'receipt printer', chipReader: 'chip reader', scanner: 'barcode scanner' };

/** What a role in usb mode waits for, before a device is found. */
function usbIdentity(kind: DeviceKind) {
  return { source: 'usb', model: `USB ${ROLE_NAMES[kind]}` } as const;
}

export interface UsbDiscoveryOptions {
  readonly mode: 'usb' | 'auto';
  readonly roles: Readonly<Record<DeviceKind, DeviceRole>>;
  /** The roles the station uses: only these are looked for on the bus. */
  readonly kinds: readonly DeviceKind[];
  readonly rules: readonly UsbMatchRule[];
  readonly loadBus: () => Promise<UsbBus>;
  readonly log: (line: string) => void;
}

export async function startUsbDiscovery(options: UsbDiscoveryOptions): Promise<{ stop(): void }> {
  const { roles, kinds, log } = options;
  const unavailable = (error: unknown) => {
    const reason = error instanceof Error ? error.message : String(error);
    if (options.mode === 'auto') {
      log(`devices: USB is not available (${reason}); using the virtual devices`);
    } else {
      log(`devices: USB is not available (${reason})`);
      for (const kind of kinds) roles[kind].managed.waitFor(`USB is not available: ${reason}`, usbIdentity(kind));
    }
    return { stop: () => undefined };
  };

  let bus: UsbBus;
  try {
    bus = await options.loadBus();
  } catch (error) {
    return unavailable(error);
  }
  const watcher = new UsbDeviceWatcher({
    bus,
    rules: options.rules,
    kinds,
    handlers: {
      attach: (kind, device, match) => {
        log(`devices: USB ${ROLE_NAMES[kind]} ${match.name} (${usbIdText(device)}) found`);
        roles[kind].useUsb(device, match.name);
      },
      detach: (kind) => {
        log(`devices: USB ${ROLE_NAMES[kind]} unplugged`);
        roles[kind].managed.detach();
      },
      error: (message) => log(`devices: USB rescan failed: ${message}`),
    },
  });
  // The printer heartbeat can find a device gone before (or without) a disconnect event: the watcher
  // then forgets it, so the device is taken again when it comes back.
  const unwatch = kinds.map((kind) =>
    roles[kind].managed.onStatus((status) => {
      if (status.state === 'disconnected' && status.source === 'usb') watcher.release(kind);
    }),
  );
  try {
    await watcher.start();
  } catch (error) {
    unwatch.forEach((stop) => stop());
    return unavailable(error);
  }
  if (options.mode === 'usb') {
    for (const kind of kinds) {
      if (!watcher.bound(kind)) roles[kind].managed.waitFor(`no USB ${ROLE_NAMES[kind]} found: plug in a supported model (docs/peripherals.md)`, usbIdentity(kind));
    }
  }
  return {
    stop() {
      watcher.stop();
      unwatch.forEach((stop) => stop());
    },
  };
}
