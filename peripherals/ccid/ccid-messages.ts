/**
 * USB CCID messages (USB Device Class: Smart Card CCID, rev. 1.1, §6): the 10-byte header of every
 * bulk message, the commands this station sends, the answers it reads, and the interrupt-IN slot
 * change notification. Encoded and decoded here only; the driver and the virtual reader both use it.
 */

export const USB_CLASS_SMART_CARD = 0x0b;
export const CCID_HEADER_BYTES = 10;

export const PC_TO_RDR = { iccPowerOn: 0x62, iccPowerOff: 0x63, getSlotStatus: 0x65, xfrBlock: 0x6f } as const;
export const RDR_TO_PC = { dataBlock: 0x80, slotStatus: 0x81, notifySlotChange: 0x50 } as const;

/** bmICCStatus (bStatus bits 0–1). */
export const ICC_STATUS = { presentActive: 0, presentInactive: 1, notPresent: 2 } as const;
/** bmCommandStatus (bStatus bits 6–7). */
export const COMMAND_STATUS = { ok: 0, failed: 1, timeExtension: 2 } as const;
/** bError values this station meets when a command failed (§6.2.6). */
export const SLOT_ERROR = { iccMute: 0xfe, commandAborted: 0xff, hardwareError: 0xfb, badLength: 0x01, slotDoesNotExist: 0x05 } as const;

export class CcidFormatError extends Error {
  override readonly name = 'CcidFormatError';
}

export interface CcidCommand {
  readonly type: number;
  readonly slot: number;
  readonly seq: number;
  /** Bytes 7–9, message specific (bPowerSelect, bBWI + wLevelParameter, …). */
  readonly specific: readonly [number, number, number];
  readonly data: Buffer;
}

export function encodeCcidCommand(command: CcidCommand): Buffer {
  const header = Buffer.alloc(CCID_HEADER_BYTES);
  header[0] = command.type;
  header.writeUInt32LE(command.data.length, 1);
  header[5] = command.slot;
  header[6] = command.seq;
  header[7] = command.specific[0];
  header[8] = command.specific[1];
  header[9] = command.specific[2];
  return Buffer.concat([header, command.data]);
}

export function decodeCcidCommand(bytes: Uint8Array): CcidCommand {
  const buf = Buffer.from(bytes);
  if (buf.length < CCID_HEADER_BYTES) throw new CcidFormatError(`CCID message of ${buf.length} bytes is shorter than its header`);
  const length = buf.readUInt32LE(1);
  if (buf.length !== CCID_HEADER_BYTES + length) throw new CcidFormatError(`CCID message says ${length} data bytes, carries ${buf.length - CCID_HEADER_BYTES}`);
  return { type: buf[0]!, slot: buf[5]!, seq: buf[6]!, specific: [buf[7]!, buf[8]!, buf[9]!], data: buf.subarray(CCID_HEADER_BYTES) };
}

export interface CcidResponse {
  readonly type: number;
  readonly slot: number;
  readonly seq: number;
  readonly iccStatus: number;
  readonly commandStatus: number;
  readonly error: number;
  /** bChainParameter (data block) or bClockStatus (slot status). */
  readonly extra: number;
  readonly data: Buffer;
}

export function encodeCcidResponse(response: Omit<CcidResponse, 'data'> & { data?: Buffer }): Buffer {
  const data = response.data ?? Buffer.alloc(0);
  const header = Buffer.alloc(CCID_HEADER_BYTES);
  header[0] = response.type;
  header.writeUInt32LE(data.length, 1);
  header[5] = response.slot;
  header[6] = response.seq;
  header[7] = (response.commandStatus << 6) | response.iccStatus;
  header[8] = response.error;
  header[9] = response.extra;
  return Buffer.concat([header, data]);
}

export function decodeCcidResponse(bytes: Uint8Array): CcidResponse {
  const buf = Buffer.from(bytes);
  if (buf.length < CCID_HEADER_BYTES) throw new CcidFormatError(`CCID answer of ${buf.length} bytes is shorter than its header`);
  const length = buf.readUInt32LE(1);
  if (buf.length !== CCID_HEADER_BYTES + length) throw new CcidFormatError(`CCID answer says ${length} data bytes, carries ${buf.length - CCID_HEADER_BYTES}`);
  if (buf[0] !== RDR_TO_PC.dataBlock && buf[0] !== RDR_TO_PC.slotStatus) throw new CcidFormatError(`unexpected CCID answer type 0x${buf[0]!.toString(16)}`);
  return {
    type: buf[0]!,
    slot: buf[5]!,
    seq: buf[6]!,
    iccStatus: buf[7]! & 0x03,
    commandStatus: buf[7]! >> 6,
    error: buf[8]!,
    extra: buf[9]!,
    data: buf.subarray(CCID_HEADER_BYTES),
  };
}

export interface SlotChange {
  readonly slot: number;
  readonly present: boolean;
  readonly changed: boolean;
}

/** RDR_to_PC_NotifySlotChange: 0x50, then 2 bits per slot (bit 0 present, bit 1 changed), 4 slots a byte. */
export function encodeSlotChange(slots: readonly { present: boolean; changed: boolean }[]): Buffer {
  const bytes = Buffer.alloc(1 + Math.ceil(slots.length / 4));
  bytes[0] = RDR_TO_PC.notifySlotChange;
  slots.forEach((slot, index) => {
    bytes[1 + (index >> 2)]! |= ((slot.present ? 1 : 0) | (slot.changed ? 2 : 0)) << ((index & 3) * 2);
  });
  return bytes;
}

export function decodeSlotChange(bytes: Uint8Array, slotCount: number): SlotChange[] {
  if (bytes[0] !== RDR_TO_PC.notifySlotChange) throw new CcidFormatError(`interrupt message 0x${(bytes[0] ?? 0).toString(16)} is not a slot change`);
  const changes: SlotChange[] = [];
  for (let slot = 0; slot < slotCount; slot++) {
    const byte = bytes[1 + (slot >> 2)];
    if (byte === undefined) break;
    const bits = (byte >> ((slot & 3) * 2)) & 0x03;
    changes.push({ slot, present: (bits & 1) !== 0, changed: (bits & 2) !== 0 });
  }
  return changes;
}
