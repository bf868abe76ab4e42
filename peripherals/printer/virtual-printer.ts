/**
 * A virtual USB thermal receipt printer: one printer-class interface (7/1/2) with bulk OUT and bulk
 * IN. What the host sends is decoded as ESC/POS; every cut ends a receipt, handed to listeners with
 * its raw bytes. It answers GET_DEVICE_ID, GET_PORT_STATUS and DLE EOT like a real printer, and
 * its faults (paper out, cover open, unplug) behave like one:
 *
 * - Offline (paper out or cover open), it keeps receiving into its buffer but prints nothing until
 *   the fault clears, then prints what it held. Real printers stop accepting once their buffer is
 *   full; this one never fills, so a host never sees that back-pressure.
 * - DLE EOT is answered the moment its bytes arrive, offline or not, even inside image data, which
 *   is how real printers process real-time commands.
 * - It is bus-powered: unplugging resets it. A receipt cut short is handed over as printed so far
 *   (endedBy 'unplug'); bytes it held offline are lost with the power.
 * - It can be told to unplug itself part-way through the next job (unplugDuringNextJob), so a
 *   receipt cut short mid-transfer can be shown on demand and tested without timing.
 * - It has a cash drawer on its kick-out connector: a drawer pulse (ESC p, DLE DC4 1) opens it, and
 *   it stays open until someone pushes it shut (closeDrawer). Its switch is reported in DLE EOT 1
 *   bit 2, as a real drawer's is.
 */
import type { ReceiptModel } from '../../common/receipt/model.ts';
import { UsbDisconnectedError, type UsbControlSetup, type UsbInResult, type UsbOutResult } from '../usb/minimal-usb-device.ts';
import { InTransferQueue } from '../virtual/byte-queue.ts';
import { VirtualUsbDevice } from '../virtual/virtual-usb-device.ts';
import { EscPosDecoder, type EscPosDecoderOptions } from './escpos-decoder.ts';
import { VIRTUAL_PRINTER } from './known-printers.ts';
import { encodeStatusByte, type PrinterCondition, type StatusRequestKind } from './realtime-status.ts';
import {
  encodeDeviceId,
  PORT_STATUS,
  PRINTER_REQUEST,
  USB_CLASS_PRINTER,
  USB_PROTOCOL_BIDIRECTIONAL,
  USB_SUBCLASS_PRINTER,
} from './usb-printer-class.ts';

export const PRINTER_BULK_OUT = 1;
export const PRINTER_BULK_IN = 2;
const PRINTER_INTERFACE = 0;

/** Job bytes the printer takes before an armed unplug: past the header, well short of the cut. */
export const DEFAULT_UNPLUG_AFTER_BYTES = 200;

/** What the virtual printer says about itself in GET_DEVICE_ID. */
export const VIRTUAL_PRINTER_DEVICE_ID = { MFG: 'POS Station', CMD: 'ESCPOS', MDL: 'Virtual TP-80', CLS: 'PRINTER' } as const;

export interface PrintedReceipt {
  readonly model: ReceiptModel;
  readonly raw: Uint8Array;
  /** 'cut' for a finished receipt; 'unplug' for one the cable cut short. */
  readonly endedBy: 'cut' | 'unplug';
}

export interface VirtualUsbPrinterOptions {
  readonly serialNumber?: string;
  /** Power up in double-byte (GB18030) mode, as Chinese-market printers set by DIP switch do. */
  readonly doubleByteAtInit?: boolean;
}

export class VirtualUsbPrinter extends VirtualUsbDevice {
  readonly #decoderOptions: EscPosDecoderOptions;
  #decoder: EscPosDecoder;
  readonly #toHost = new InTransferQueue('stream');
  readonly #receiptListeners = new Set<(receipt: PrintedReceipt) => void>();
  #condition: PrinterCondition = { paperOut: false, paperNearEnd: false, coverOpen: false, drawerOpen: false };
  readonly #drawerListeners = new Set<(open: boolean) => void>();
  /** Bytes received while offline, printed when the fault clears. */
  #held: Uint8Array[] = [];
  /** The last two bytes received, so a DLE EOT split across transfers is still seen. */
  #scanTail = new Uint8Array(0);
  /** Job bytes still to take before the armed unplug; undefined when not armed. */
  #unplugAfter: number | undefined;

  constructor(options: VirtualUsbPrinterOptions = {}) {
    super({
      vendorId: VIRTUAL_PRINTER.vendorId,
      productId: VIRTUAL_PRINTER.productId,
      serialNumber: options.serialNumber ?? 'VPRN-0001',
      manufacturerName: VIRTUAL_PRINTER_DEVICE_ID.MFG,
      productName: VIRTUAL_PRINTER.name,
      configuration: {
        configurationValue: 1,
        interfaces: [
          {
            interfaceNumber: PRINTER_INTERFACE,
            alternate: {
              alternateSetting: 0,
              interfaceClass: USB_CLASS_PRINTER,
              interfaceSubclass: USB_SUBCLASS_PRINTER,
              interfaceProtocol: USB_PROTOCOL_BIDIRECTIONAL,
              endpoints: [
                { endpointNumber: PRINTER_BULK_OUT, direction: 'out', type: 'bulk', packetSize: 64 },
                { endpointNumber: PRINTER_BULK_IN, direction: 'in', type: 'bulk', packetSize: 64 },
              ],
            },
          },
        ],
      },
    });
    // Its cash drawer springs open on a pulse, and shuts only when someone pushes it (closeDrawer).
    this.#decoderOptions = { doubleByteAtInit: options.doubleByteAtInit ?? false, onDrawerPulse: () => this.#setDrawer(true) };
    this.#decoder = new EscPosDecoder(this.#decoderOptions);
  }

  get condition(): PrinterCondition {
    return this.#condition;
  }

  get online(): boolean {
    return !this.#condition.paperOut && !this.#condition.coverOpen;
  }

  /** Called with every receipt as it is cut (or cut short by an unplug). */
  onReceipt(listener: (receipt: PrintedReceipt) => void): () => void {
    this.#receiptListeners.add(listener);
    return () => this.#receiptListeners.delete(listener);
  }

  /** Whether the printer will unplug itself during the next job. */
  get unplugArmed(): boolean {
    return this.#unplugAfter !== undefined;
  }

  /**
   * Arms a mid-job unplug: after `afterBytes` bytes of the next job (real-time status requests do
   * not count), the printer takes the rest of that transfer no further and drops off the bus.
   */
  unplugDuringNextJob(afterBytes = DEFAULT_UNPLUG_AFTER_BYTES): void {
    this.#unplugAfter = afterBytes;
  }

  setPaperOut(paperOut: boolean): void {
    this.#setCondition({ ...this.#condition, paperOut });
  }

  setPaperNearEnd(paperNearEnd: boolean): void {
    this.#setCondition({ ...this.#condition, paperNearEnd });
  }

  setCoverOpen(coverOpen: boolean): void {
    this.#setCondition({ ...this.#condition, coverOpen });
  }

  /** Someone pushes the cash drawer shut. */
  closeDrawer(): void {
    this.#setDrawer(false);
  }

  /** Called when the drawer opens (a pulse) or is shut. */
  onDrawer(listener: (open: boolean) => void): () => void {
    this.#drawerListeners.add(listener);
    return () => this.#drawerListeners.delete(listener);
  }

  #setDrawer(open: boolean): void {
    if (this.#condition.drawerOpen === open) return;
    this.#condition = { ...this.#condition, drawerOpen: open };
    for (const listener of this.#drawerListeners) listener(open);
  }

  protected async handleTransferOut(_endpoint: number, data: Uint8Array): Promise<UsbOutResult> {
    const room = this.#unplugAfter;
    if (room !== undefined && !isStatusRequest(data)) {
      if (data.length < room) {
        this.#unplugAfter = room - data.length;
      } else {
        this.#unplugAfter = undefined;
        this.#take(data.subarray(0, room));
        this.unplug();
        throw new UsbDisconnectedError(`${this.productName} unplugged during a transfer`);
      }
    }
    this.#take(data);
    return { status: 'ok', bytesWritten: data.length };
  }

  #take(data: Uint8Array): void {
    this.#answerStatusRequests(data);
    if (this.online) this.#print(data);
    else this.#held.push(data);
  }

  protected async handleTransferIn(_endpoint: number, length: number, timeoutMs: number): Promise<UsbInResult> {
    const bytes = await this.#toHost.take(length, timeoutMs);
    return { status: 'ok', data: new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength) };
  }

  protected override async handleControlIn(setup: UsbControlSetup, length: number): Promise<UsbInResult> {
    if (setup.requestType !== 'class' || setup.recipient !== 'interface') return { status: 'stall' };
    let answer: Uint8Array;
    if (setup.request === PRINTER_REQUEST.GET_DEVICE_ID && setup.index === PRINTER_INTERFACE << 8) {
      answer = encodeDeviceId(VIRTUAL_PRINTER_DEVICE_ID);
    } else if (setup.request === PRINTER_REQUEST.GET_PORT_STATUS && setup.index === PRINTER_INTERFACE) {
      answer = Uint8Array.of(this.#portStatus());
    } else {
      return { status: 'stall' };
    }
    const data = answer.slice(0, length);
    return { status: 'ok', data: new DataView(data.buffer) };
  }

  protected override async handleControlOut(setup: UsbControlSetup): Promise<UsbOutResult> {
    if (setup.requestType !== 'class' || setup.request !== PRINTER_REQUEST.SOFT_RESET) return { status: 'stall', bytesWritten: 0 };
    // SOFT_RESET flushes the printer's buffers and returns it to its power-on state
    this.#held = [];
    this.#decoder = new EscPosDecoder(this.#decoderOptions);
    return { status: 'ok', bytesWritten: 0 };
  }

  protected onUnplug(): void {
    this.#toHost.disconnect();
    const partial = this.#decoder.end();
    this.#decoder = new EscPosDecoder(this.#decoderOptions);
    this.#held = [];
    this.#scanTail = new Uint8Array(0);
    if (partial) this.#emit({ ...partial, endedBy: 'unplug' });
  }

  #setCondition(condition: PrinterCondition): void {
    this.#condition = condition;
    if (!this.online) return;
    const held = this.#held;
    this.#held = [];
    for (const data of held) this.#print(data);
  }

  #print(data: Uint8Array): void {
    for (const receipt of this.#decoder.push(data)) this.#emit({ ...receipt, endedBy: 'cut' });
  }

  #emit(receipt: PrintedReceipt): void {
    for (const listener of this.#receiptListeners) listener(receipt);
  }

  /** Centronics lines: selected, and not-error unless a fault stops printing; paper empty when out. */
  #portStatus(): number {
    return PORT_STATUS.SELECTED | (this.online ? PORT_STATUS.NOT_ERROR : 0) | (this.#condition.paperOut ? PORT_STATUS.PAPER_EMPTY : 0);
  }

  #answerStatusRequests(data: Uint8Array): void {
    const scan = new Uint8Array(this.#scanTail.length + data.length);
    scan.set(this.#scanTail);
    scan.set(data, this.#scanTail.length);
    // The tail is two bytes, too short for a whole request, so every match found is a new one
    for (let i = 0; i + 2 < scan.length; i++) {
      const kind = scan[i + 2] ?? 0;
      if (scan[i] === 0x10 && scan[i + 1] === 0x04 && kind >= 1 && kind <= 4) {
        this.#toHost.push(Uint8Array.of(encodeStatusByte(kind as StatusRequestKind, this.#condition)));
      }
    }
    this.#scanTail = scan.slice(-2);
  }
}

/** A transfer that is only a real-time status request (DLE EOT n): how the driver asks between jobs. */
function isStatusRequest(data: Uint8Array): boolean {
  return data.length === 3 && data[0] === 0x10 && data[1] === 0x04;
}
