/**
 * Speaks to any USB receipt printer (interface class 7) over the USB subset: real hardware through
 * node-usb or the virtual printer alike. It claims the printer interface, sends jobs in chunks with
 * explicit timeouts, and reads status with DLE EOT (or GET_PORT_STATUS on OUT-only printers).
 *
 * Every outcome is a typed result. A job that fails once bytes have gone out is reported as
 * `may_be_incomplete` and is never resent here: part of it may be on paper, and printing it again
 * is a decision for the cashier, not for a retry loop (a duplicate receipt is worse than a missing one).
 */
import { UsbAccessError, claimFirstInterface } from '../usb/claim-interface.ts';
import { findEndpoint, isUsbTimeout, UsbDisconnectedError, type MinimalUsbDevice, type UsbEndpointInfo, type UsbInterfaceInfo } from '../usb/minimal-usb-device.ts';
import { isStatusByte, parseStatus, statusRequest, type PrinterStatus, type StatusRequestKind } from './realtime-status.ts';
import { DEVICE_ID_MAX_LENGTH, getDeviceIdSetup, getPortStatusSetup, parseDeviceId, PORT_STATUS, USB_CLASS_PRINTER, type PrinterDeviceId } from './usb-printer-class.ts';

export interface PrinterDriverOptions {
  /** Upper bound of one bulk transfer; rounded down to a multiple of the endpoint's packet size. */
  readonly chunkBytes?: number;
  /** How long one chunk may take. A printer mid-job prints at ~100 mm/s and accepts data as it goes. */
  readonly transferTimeoutMs?: number;
  /** How long a status answer may take; printers answer DLE EOT within milliseconds. */
  readonly statusTimeoutMs?: number;
}

export const DEFAULT_CHUNK_BYTES = 4096;
export const DEFAULT_TRANSFER_TIMEOUT_MS = 5000;
export const DEFAULT_STATUS_TIMEOUT_MS = 1000;

/** Why a USB operation failed, as far as the host can tell. */
export type UsbFailure = 'disconnected' | 'timeout' | 'stall' | 'usb_error';

export interface PrinterInfo {
  readonly vendorId: number;
  readonly productId: number;
  readonly productName: string | undefined;
  readonly interfaceNumber: number;
  /** Has a bulk IN endpoint, so it can answer DLE EOT. */
  readonly bidirectional: boolean;
  /** From GET_DEVICE_ID, when the printer answers it. */
  readonly deviceId: PrinterDeviceId | undefined;
}

export type PrinterOpenResult =
  | { readonly ok: true; readonly info: PrinterInfo }
  | { readonly ok: false; readonly reason: 'no_printer_interface' | 'no_bulk_out' | 'access_denied' | UsbFailure; readonly message: string };

export type PrinterStatusResult =
  | { readonly ok: true; readonly status: PrinterStatus; readonly source: 'dle_eot' | 'port_status' }
  | { readonly ok: false; readonly reason: 'not_open' | UsbFailure; readonly message: string };

export type PrintResult =
  | { readonly ok: true; readonly bytesSent: number }
  /** Refused before anything was sent: fix the cause and print again. */
  | { readonly ok: false; readonly reason: 'not_open' | 'paper_out' | 'cover_open' | 'offline' | 'status_unavailable'; readonly message: string }
  /** Failed after bytes went out: part of the receipt may have printed. Not resent. */
  | { readonly ok: false; readonly reason: 'may_be_incomplete'; readonly cause: UsbFailure; readonly bytesSent: number; readonly message: string };

interface Channel {
  readonly iface: UsbInterfaceInfo;
  readonly out: UsbEndpointInfo;
  readonly in: UsbEndpointInfo | undefined;
}

const STATUS_REQUESTS: readonly StatusRequestKind[] = [1, 2, 3, 4];

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

function classify(error: unknown): UsbFailure {
  if (error instanceof UsbDisconnectedError) return 'disconnected';
  if (isUsbTimeout(error)) return 'timeout';
  return /no.?device|disconnect|not found/i.test(describe(error)) ? 'disconnected' : 'usb_error';
}

/** Why a printer in this state must not be sent a job, if it must not. */
function refusalFor(status: PrinterStatus): PrintResult | undefined {
  if (status.paperEnd) return { ok: false, reason: 'paper_out', message: 'the printer is out of paper' };
  if (status.coverOpen) return { ok: false, reason: 'cover_open', message: 'the printer cover is open' };
  if (!status.online) return { ok: false, reason: 'offline', message: 'the printer is offline' };
  return undefined;
}

function isPrinterInterface(iface: UsbInterfaceInfo): boolean {
  return iface.alternate.interfaceClass === USB_CLASS_PRINTER;
}

export class PrinterDriver {
  readonly #device: MinimalUsbDevice;
  readonly #chunkBytes: number;
  readonly #transferTimeoutMs: number;
  readonly #statusTimeoutMs: number;
  #channel: Channel | undefined;
  /** Jobs and status queries share the bulk pipes: one at a time, or answers get mixed up. */
  #exclusive: Promise<unknown> = Promise.resolve();

  constructor(device: MinimalUsbDevice, options: PrinterDriverOptions = {}) {
    this.#device = device;
    this.#chunkBytes = options.chunkBytes ?? DEFAULT_CHUNK_BYTES;
    this.#transferTimeoutMs = options.transferTimeoutMs ?? DEFAULT_TRANSFER_TIMEOUT_MS;
    this.#statusTimeoutMs = options.statusTimeoutMs ?? DEFAULT_STATUS_TIMEOUT_MS;
  }

  /** Opens the device, frees the printer interface from usblp on Linux, claims it and finds its endpoints. */
  async open(): Promise<PrinterOpenResult> {
    let iface: UsbInterfaceInfo;
    try {
      iface = await claimFirstInterface(this.#device, isPrinterInterface);
    } catch (error) {
      if (error instanceof UsbAccessError) return { ok: false, reason: 'access_denied', message: error.message };
      if (this.#device.configuration && !this.#device.configuration.interfaces.some(isPrinterInterface)) {
        return { ok: false, reason: 'no_printer_interface', message: `${this.#name()} has no USB printer-class interface` };
      }
      return { ok: false, reason: classify(error), message: describe(error) };
    }
    const out = findEndpoint(iface, 'out', 'bulk');
    if (!out) return { ok: false, reason: 'no_bulk_out', message: `${this.#name()}: printer interface has no bulk OUT endpoint` };
    this.#channel = { iface, out, in: findEndpoint(iface, 'in', 'bulk') };
    return {
      ok: true,
      info: {
        vendorId: this.#device.vendorId,
        productId: this.#device.productId,
        productName: this.#device.productName ?? undefined,
        interfaceNumber: iface.interfaceNumber,
        bidirectional: this.#channel.in !== undefined,
        deviceId: await this.#readDeviceId(iface),
      },
    };
  }

  async close(): Promise<void> {
    const channel = this.#channel;
    this.#channel = undefined;
    try {
      if (channel) await this.#device.releaseInterface(channel.iface.interfaceNumber);
      await this.#device.close();
    } catch {
      // A device that is already gone has nothing left to release.
    }
  }

  /** Reads the printer's status: paper end and near end, cover, errors. */
  queryStatus(): Promise<PrinterStatusResult> {
    return this.#oneAtATime(() => this.#readStatus());
  }

  /** Prints a job, refusing it while the printer cannot print. Never resends on failure. */
  print(job: Uint8Array): Promise<PrintResult> {
    return this.#oneAtATime(async (): Promise<PrintResult> => {
      const channel = this.#channel;
      if (!channel) return { ok: false, reason: 'not_open', message: 'printer not opened' };
      const state = await this.#readStatus();
      if (state.ok) {
        const refusal = refusalFor(state.status);
        if (refusal) return refusal;
      } else if (state.reason !== 'stall' || channel.in) {
        return { ok: false, reason: 'status_unavailable', message: `printer status unavailable (${state.reason}): ${state.message}` };
      }
      // An OUT-only printer that stalls GET_PORT_STATUS cannot tell us anything: print blind rather than never
      return this.#send(channel.out, job);
    });
  }

  async #send(endpoint: UsbEndpointInfo, job: Uint8Array): Promise<PrintResult> {
    const chunkSize = Math.max(endpoint.packetSize, Math.floor(this.#chunkBytes / endpoint.packetSize) * endpoint.packetSize);
    let bytesSent = 0;
    while (bytesSent < job.length) {
      const chunk = job.subarray(bytesSent, bytesSent + chunkSize);
      try {
        const result = await this.#device.transferOut(endpoint.endpointNumber, chunk, this.#transferTimeoutMs);
        bytesSent += result.bytesWritten;
        if (result.status !== 'ok' || result.bytesWritten < chunk.length) {
          const cause = result.status === 'ok' ? 'usb_error' : 'stall';
          return { ok: false, reason: 'may_be_incomplete', cause, bytesSent, message: `transfer ${result.status}, ${result.bytesWritten} of ${chunk.length} bytes taken` };
        }
      } catch (error) {
        return { ok: false, reason: 'may_be_incomplete', cause: classify(error), bytesSent, message: describe(error) };
      }
    }
    return { ok: true, bytesSent };
  }

  async #readStatus(): Promise<PrinterStatusResult> {
    const channel = this.#channel;
    if (!channel) return { ok: false, reason: 'not_open', message: 'printer not opened' };
    try {
      if (!channel.in) return await this.#readPortStatus(channel.iface);
      const answers: Record<StatusRequestKind, number> = { 1: 0, 2: 0, 3: 0, 4: 0 };
      for (const kind of STATUS_REQUESTS) {
        const answer = await this.#askStatus(channel.out, channel.in, kind);
        if (answer === undefined) return { ok: false, reason: 'usb_error', message: `DLE EOT ${kind}: no status byte in the answer` };
        answers[kind] = answer;
      }
      return { ok: true, status: parseStatus(answers), source: 'dle_eot' };
    } catch (error) {
      return { ok: false, reason: classify(error), message: describe(error) };
    }
  }

  /** One DLE EOT round trip. The last status-shaped byte wins: anything before it is a stale answer. */
  async #askStatus(out: UsbEndpointInfo, inbound: UsbEndpointInfo, kind: StatusRequestKind): Promise<number | undefined> {
    await this.#device.transferOut(out.endpointNumber, statusRequest(kind), this.#statusTimeoutMs);
    const result = await this.#device.transferIn(inbound.endpointNumber, inbound.packetSize, this.#statusTimeoutMs);
    const data = result.data ? new Uint8Array(result.data.buffer, result.data.byteOffset, result.data.byteLength) : new Uint8Array();
    return [...data].reverse().find(isStatusByte);
  }

  /** OUT-only printers have the Centronics lines only: no near-end sensor, no cover switch. */
  async #readPortStatus(iface: UsbInterfaceInfo): Promise<PrinterStatusResult> {
    const result = await this.#device.controlTransferIn(getPortStatusSetup(iface.interfaceNumber), 1, this.#statusTimeoutMs);
    const byte = result.data && result.data.byteLength > 0 ? result.data.getUint8(0) : undefined;
    if (result.status !== 'ok' || byte === undefined) return { ok: false, reason: 'stall', message: 'GET_PORT_STATUS not answered' };
    const paperEnd = (byte & PORT_STATUS.PAPER_EMPTY) !== 0;
    const noError = (byte & PORT_STATUS.NOT_ERROR) !== 0;
    return {
      ok: true,
      source: 'port_status',
      status: { online: noError && (byte & PORT_STATUS.SELECTED) !== 0, paperEnd, paperNearEnd: false, coverOpen: false, error: !noError && !paperEnd, drawerOpen: false },
    };
  }

  /** GET_DEVICE_ID names the model; a printer that stalls it is still a printer. */
  async #readDeviceId(iface: UsbInterfaceInfo): Promise<PrinterDeviceId | undefined> {
    try {
      const setup = getDeviceIdSetup(iface.interfaceNumber, iface.alternate.alternateSetting);
      const result = await this.#device.controlTransferIn(setup, DEVICE_ID_MAX_LENGTH, this.#statusTimeoutMs);
      if (result.status !== 'ok' || !result.data) return undefined;
      return parseDeviceId(new Uint8Array(result.data.buffer, result.data.byteOffset, result.data.byteLength));
    } catch {
      return undefined;
    }
  }

  #oneAtATime<T>(operation: () => Promise<T>): Promise<T> {
    const run = this.#exclusive.then(operation, operation);
    this.#exclusive = run.catch(() => undefined);
    return run;
  }

  #name(): string {
    return this.#device.productName ?? 'USB device';
  }
}
