/**
 * What every virtual HID input device shares: one HID interface with one interrupt IN endpoint, a
 * queue of input reports the host reads whole, no OUT traffic, and queued reports lost on unplug.
 * The card readers and barcode scanners differ only in the reports they produce (MagTek layout,
 * boot keyboard, HID POS) and in the report descriptor they answer, if any.
 */
import type { UsbControlSetup, UsbInResult, UsbOutResult } from '../usb/minimal-usb-device.ts';
import { InTransferQueue } from './byte-queue.ts';
import { VirtualUsbDevice } from './virtual-usb-device.ts';

export const HID_INTERRUPT_IN_ENDPOINT = 1;
const HID_CLASS = 3;
const GET_DESCRIPTOR = 0x06;
/** wValue of GET_DESCRIPTOR for the HID report descriptor: type 0x22 in the high byte, index 0. */
export const HID_REPORT_DESCRIPTOR_VALUE = 0x2200;

export interface VirtualDeviceModel {
  readonly name: string;
  readonly vendorId: number;
  readonly productId: number;
}

export interface HidInterfaceKind {
  /** 0 for a vendor-defined HID device; 1 for a boot interface. */
  readonly subclass: number;
  /** 0 none, 1 keyboard (with a boot interface). */
  readonly protocol: number;
  readonly packetSize: number;
  /** The HID report descriptor the device answers GET_DESCRIPTOR with; without one the request stalls. */
  readonly reportDescriptor?: Uint8Array;
}

export abstract class VirtualHidInputDevice extends VirtualUsbDevice {
  readonly #reports = new InTransferQueue('reports');
  readonly #reportDescriptor: Uint8Array | undefined;

  constructor(model: VirtualDeviceModel, serialNumber: string, kind: HidInterfaceKind) {
    super({
      vendorId: model.vendorId,
      productId: model.productId,
      serialNumber,
      manufacturerName: 'POS Station',
      productName: model.name,
      configuration: {
        configurationValue: 1,
        interfaces: [
          {
            interfaceNumber: 0,
            alternate: {
              alternateSetting: 0,
              interfaceClass: HID_CLASS,
              interfaceSubclass: kind.subclass,
              interfaceProtocol: kind.protocol,
              endpoints: [{ endpointNumber: HID_INTERRUPT_IN_ENDPOINT, direction: 'in', type: 'interrupt', packetSize: kind.packetSize }],
            },
          },
        ],
      },
    });
    this.#reportDescriptor = kind.reportDescriptor;
  }

  /** Queues input reports for the host's next interrupt IN transfers. */
  protected pushReports(...reports: Uint8Array[]): void {
    this.assertAttached();
    for (const report of reports) this.#reports.push(report);
  }

  protected async handleTransferIn(_endpoint: number, _length: number, timeoutMs: number): Promise<UsbInResult> {
    const report = await this.#reports.take(Number.MAX_SAFE_INTEGER, timeoutMs);
    return { status: 'ok', data: new DataView(report.buffer, report.byteOffset, report.byteLength) };
  }

  protected async handleTransferOut(): Promise<UsbOutResult> {
    return { status: 'stall', bytesWritten: 0 };
  }

  protected override async handleControlIn(setup: UsbControlSetup, length: number): Promise<UsbInResult> {
    const descriptor = this.#reportDescriptor;
    const asksForIt = setup.requestType === 'standard' && setup.recipient === 'interface' && setup.request === GET_DESCRIPTOR && setup.value === HID_REPORT_DESCRIPTOR_VALUE;
    if (!descriptor || !asksForIt) return { status: 'stall' };
    const answer = descriptor.slice(0, length);
    return { status: 'ok', data: new DataView(answer.buffer, answer.byteOffset, answer.byteLength) };
  }

  protected onUnplug(): void {
    this.#reports.disconnect();
  }
}
