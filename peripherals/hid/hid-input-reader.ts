/**
 * What every HID input driver shares (the card readers and the barcode scanners): claim the
 * device's HID interface, find its interrupt IN endpoint, and read input reports until stopped or
 * until the device fails. What the reports mean is the interpreter's: one report per swipe or scan,
 * or boot keyboard reports typing a line a key at a time.
 */
import { claimFirstInterface } from '../usb/claim-interface.ts';
import { findEndpoint, isUsbTimeout, type MinimalUsbDevice, type UsbEndpointInfo, type UsbInterfaceInfo } from '../usb/minimal-usb-device.ts';

export const HID_CLASS = 3;
const BOOT_SUBCLASS = 1;
const KEYBOARD_PROTOCOL = 1;

/** Turns a device's input reports into what it read. */
export interface ReportInterpreter<T> {
  report(bytes: Uint8Array): T[];
  /** A poll period passed with no report (a keyboard line may have stopped half way). */
  quiet(): T | undefined;
}

export interface HidInputOptions {
  /** For messages: the model's name. */
  readonly name: string;
  readonly matches: (iface: UsbInterfaceInfo) => boolean;
  /** How much one IN transfer asks for; the endpoint's packet size when not given. */
  readonly reportLength?: number;
  /** How long one interrupt read waits before the loop checks whether it should stop, and tells the interpreter it was quiet. */
  readonly pollMs: number;
}

export function isHidInterface(iface: UsbInterfaceInfo): boolean {
  return iface.alternate.interfaceClass === HID_CLASS;
}

/** A HID boot keyboard interface (3/1/1): what a keyboard-emulation device presents. */
export function isBootKeyboard(iface: UsbInterfaceInfo): boolean {
  const { interfaceClass, interfaceSubclass, interfaceProtocol } = iface.alternate;
  return interfaceClass === HID_CLASS && interfaceSubclass === BOOT_SUBCLASS && interfaceProtocol === KEYBOARD_PROTOCOL;
}

export class HidInputReader {
  readonly #device: MinimalUsbDevice;
  readonly #options: HidInputOptions;
  #endpoint: UsbEndpointInfo | undefined;
  #stopping = false;

  constructor(device: MinimalUsbDevice, options: HidInputOptions) {
    this.#device = device;
    this.#options = options;
  }

  /** Claims the interface; answers it, for drivers that ask the device more (a report descriptor). */
  async open(): Promise<UsbInterfaceInfo> {
    const iface = await claimFirstInterface(this.#device, this.#options.matches);
    this.#endpoint = findEndpoint(iface, 'in', 'interrupt');
    if (!this.#endpoint) throw new Error(`${this.#options.name}: HID interface has no interrupt IN endpoint`);
    this.#stopping = false;
    return iface;
  }

  /** Reads until close() or until the device fails; a failure (unplug included) is thrown to the caller. */
  async readLoop<T>(interpreter: ReportInterpreter<T>, onRead: (read: T) => void): Promise<void> {
    const endpoint = this.#endpoint;
    if (!endpoint) throw new Error(`${this.#options.name} not opened`);
    const length = this.#options.reportLength ?? endpoint.packetSize;
    while (!this.#stopping) {
      let result;
      try {
        result = await this.#device.transferIn(endpoint.endpointNumber, length, this.#options.pollMs);
      } catch (error) {
        if (!isUsbTimeout(error)) throw error;
        const read = interpreter.quiet();
        if (read !== undefined) onRead(read);
        continue;
      }
      if (result.status !== 'ok' || !result.data) continue;
      for (const read of interpreter.report(new Uint8Array(result.data.buffer, result.data.byteOffset, result.data.byteLength))) onRead(read);
    }
  }

  async close(): Promise<void> {
    this.#stopping = true;
    try {
      await this.#device.close();
    } catch {
      // Closing a device that is already gone has nothing left to release.
    }
  }
}
