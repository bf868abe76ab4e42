/**
 * The slice of WebUSB's USBDevice that our drivers use. `usb` v3's UsbDevice satisfies it, and so
 * does every virtual device, so one driver runs against real and virtual hardware alike
 * (the same idea as vxsuite's MinimalWebUsbDevice).
 *
 * Transfers take an explicit timeout: usb v3 accepts one as a third argument, and a driver must
 * never wait forever on a device that went quiet.
 */

export type UsbDirection = 'in' | 'out';
export type UsbEndpointType = 'bulk' | 'interrupt' | 'isochronous';
export type UsbTransferStatus = 'ok' | 'stall' | 'babble';

export interface UsbEndpointInfo {
  readonly endpointNumber: number;
  readonly direction: UsbDirection;
  readonly type: UsbEndpointType;
  readonly packetSize: number;
}

export interface UsbAlternateInfo {
  readonly alternateSetting: number;
  readonly interfaceClass: number;
  readonly interfaceSubclass: number;
  readonly interfaceProtocol: number;
  readonly endpoints: readonly UsbEndpointInfo[];
}

export interface UsbInterfaceInfo {
  readonly interfaceNumber: number;
  readonly alternate: UsbAlternateInfo;
}

export interface UsbConfigurationInfo {
  readonly configurationValue: number;
  readonly interfaces: readonly UsbInterfaceInfo[];
}

export interface UsbControlSetup {
  readonly requestType: 'standard' | 'class' | 'vendor';
  readonly recipient: 'device' | 'interface' | 'endpoint' | 'other';
  readonly request: number;
  readonly value: number;
  readonly index: number;
}

export interface UsbInResult {
  readonly status: UsbTransferStatus;
  readonly data?: DataView;
}

export interface UsbOutResult {
  readonly status: UsbTransferStatus;
  readonly bytesWritten: number;
}

export interface MinimalUsbDevice {
  readonly vendorId: number;
  readonly productId: number;
  readonly serialNumber?: string | null;
  readonly manufacturerName?: string | null;
  readonly productName?: string | null;
  readonly opened: boolean;
  readonly configuration: UsbConfigurationInfo | null | undefined;
  open(): Promise<void>;
  close(): Promise<void>;
  selectConfiguration(configurationValue: number): Promise<void>;
  claimInterface(interfaceNumber: number): Promise<void>;
  releaseInterface(interfaceNumber: number): Promise<void>;
  transferIn(endpointNumber: number, length: number, timeoutMs?: number): Promise<UsbInResult>;
  transferOut(endpointNumber: number, data: Uint8Array, timeoutMs?: number): Promise<UsbOutResult>;
  controlTransferIn(setup: UsbControlSetup, length: number, timeoutMs?: number): Promise<UsbInResult>;
  controlTransferOut(setup: UsbControlSetup, data?: Uint8Array, timeoutMs?: number): Promise<UsbOutResult>;
  /** Linux only, and only on real devices: frees an interface a kernel driver (usblp, usbhid, cdc_acm) holds. */
  detachKernelDriver?(interfaceNumber: number): Promise<void>;
}

/** Thrown by a virtual device the way a real one fails: the device is gone mid-transfer. */
export class UsbDisconnectedError extends Error {
  override readonly name = 'UsbDisconnectedError';
}

/**
 * A transfer that saw no data before its timeout: usb v3 rejects with libusb's LIBUSB_TRANSFER_TIMED_OUT
 * (or LIBUSB_ERROR_TIMEOUT), the virtual devices with "transferIn error: timeout".
 */
export function isUsbTimeout(error: unknown): boolean {
  const text = error instanceof Error ? error.message : String(error);
  return /timed?[ _]?out/i.test(text);
}

/** Finds the endpoint of a given direction and type on a claimed interface. */
export function findEndpoint(iface: UsbInterfaceInfo, direction: UsbDirection, type: UsbEndpointType): UsbEndpointInfo | undefined {
  return iface.alternate.endpoints.find((endpoint) => endpoint.direction === direction && endpoint.type === type);
}
