/**
 * The virtual twin of a dual-interface CCID reader, at the USB transfer level: one smart-card
 * interface (class 0x0B) with bulk OUT, bulk IN and interrupt IN endpoints, slot 0 the contact slot
 * and slot 1 the contactless field. It holds virtual EMV cards (payments/emv/card/) and speaks
 * CCID to whatever driver opens it, so the station's CCID driver runs unchanged against it.
 *
 * The simulated-devices panel (and tests) insert, remove and tap cards; a tapped card leaves the
 * field by itself once the terminal powers it off (the customer takes it away at "remove card").
 * Faults:
 *   a mute card        (the card image says so) answers no reset: PowerOn fails with ICC_MUTE;
 *   card removed       `removeAfter(slot, n)`: the card leaves the slot after n more APDUs, as a
 *                      cardholder pulling it mid-transaction or taking it out of the field too early.
 */
import type { SmartCard } from '../../payments/emv/card/virtual-emv-card.ts';
import type { UsbInResult, UsbOutResult } from '../usb/minimal-usb-device.ts';
import { InTransferQueue } from '../virtual/byte-queue.ts';
import { VirtualUsbDevice } from '../virtual/virtual-usb-device.ts';
import {
  COMMAND_STATUS,
  decodeCcidCommand,
  encodeCcidResponse,
  encodeSlotChange,
  ICC_STATUS,
  PC_TO_RDR,
  RDR_TO_PC,
  SLOT_ERROR,
  USB_CLASS_SMART_CARD,
  type CcidCommand,
} from './ccid-messages.ts';

export const VIRTUAL_CCID_READER = { name: 'Virtual dual-interface reader (CCID)', vendorId: 0x1209, productId: 0x7a05 } as const;
export const CONTACT_SLOT = 0;
export const CONTACTLESS_SLOT = 1;

const ENDPOINT = { bulkOut: 1, bulkIn: 2, interrupt: 3 } as const;

interface Slot {
  card: SmartCard | undefined;
  powered: boolean;
  /** APDUs left before the card leaves on its own (a fault); undefined for none. */
  leavesAfter: number | undefined;
}

export class VirtualCcidReader extends VirtualUsbDevice {
  readonly #bulkIn = new InTransferQueue('reports');
  readonly #interrupt = new InTransferQueue('reports');
  readonly #slots: Slot[] = [
    { card: undefined, powered: false, leavesAfter: undefined },
    { card: undefined, powered: false, leavesAfter: undefined },
  ];
  readonly #listeners = new Set<(slot: number, present: boolean) => void>();

  constructor(serialNumber = 'VCCID0001') {
    super({
      vendorId: VIRTUAL_CCID_READER.vendorId,
      productId: VIRTUAL_CCID_READER.productId,
      serialNumber,
      manufacturerName: 'POS Station',
      productName: VIRTUAL_CCID_READER.name,
      configuration: {
        configurationValue: 1,
        interfaces: [
          {
            interfaceNumber: 0,
            alternate: {
              alternateSetting: 0,
              interfaceClass: USB_CLASS_SMART_CARD,
              interfaceSubclass: 0,
              interfaceProtocol: 0,
              endpoints: [
                { endpointNumber: ENDPOINT.bulkOut, direction: 'out', type: 'bulk', packetSize: 64 },
                { endpointNumber: ENDPOINT.bulkIn, direction: 'in', type: 'bulk', packetSize: 64 },
                { endpointNumber: ENDPOINT.interrupt, direction: 'in', type: 'interrupt', packetSize: 8 },
              ],
            },
          },
        ],
      },
    });
  }

  /** A card goes into the contact slot. */
  insert(card: SmartCard): void {
    this.#place(CONTACT_SLOT, card);
  }

  /** A card comes into the contactless field. */
  tap(card: SmartCard): void {
    this.#place(CONTACTLESS_SLOT, card);
  }

  /** The card leaves the slot (pulled out, or out of the field). */
  remove(slot: number = CONTACT_SLOT): void {
    const entry = this.#slots[slot];
    if (!entry?.card) return;
    entry.card.powerOff();
    entry.card = undefined;
    entry.powered = false;
    entry.leavesAfter = undefined;
    this.#notify(slot);
  }

  /** Fault: the card in `slot` leaves after `apdus` more command APDUs. */
  removeAfter(slot: number, apdus: number): void {
    const entry = this.#slots[slot];
    if (entry) entry.leavesAfter = apdus;
  }

  holds(slot: number): boolean {
    return this.#slots[slot]?.card !== undefined;
  }

  /** Insert and removal as the reader sees them (the panel's view). */
  onSlotChange(listener: (slot: number, present: boolean) => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  #place(slot: number, card: SmartCard): void {
    this.assertAttached();
    const entry = this.#slots[slot]!;
    if (entry.card) entry.card.powerOff();
    entry.card = card;
    entry.powered = false;
    entry.leavesAfter = undefined;
    this.#notify(slot);
  }

  #notify(slot: number): void {
    if (this.attached) {
      this.#interrupt.push(encodeSlotChange(this.#slots.map((entry, index) => ({ present: entry.card !== undefined, changed: index === slot }))));
    }
    for (const listener of this.#listeners) listener(slot, this.#slots[slot]?.card !== undefined);
  }

  protected async handleTransferIn(endpoint: number, _length: number, timeoutMs: number): Promise<UsbInResult> {
    const queue = endpoint === ENDPOINT.interrupt ? this.#interrupt : this.#bulkIn;
    const message = await queue.take(Number.MAX_SAFE_INTEGER, timeoutMs);
    return { status: 'ok', data: new DataView(message.buffer, message.byteOffset, message.byteLength) };
  }

  protected async handleTransferOut(endpoint: number, data: Uint8Array): Promise<UsbOutResult> {
    if (endpoint !== ENDPOINT.bulkOut) return { status: 'stall', bytesWritten: 0 };
    let command: CcidCommand;
    try {
      command = decodeCcidCommand(data);
    } catch {
      // A malformed message: a real reader answers "bad length" in a slot status for slot 0.
      this.#bulkIn.push(encodeCcidResponse({ type: RDR_TO_PC.slotStatus, slot: 0, seq: data[6] ?? 0, iccStatus: ICC_STATUS.notPresent, commandStatus: COMMAND_STATUS.failed, error: SLOT_ERROR.badLength, extra: 0 }));
      return { status: 'ok', bytesWritten: data.length };
    }
    this.#bulkIn.push(this.#answer(command));
    return { status: 'ok', bytesWritten: data.length };
  }

  #answer(command: CcidCommand): Buffer {
    const { slot, seq } = command;
    const entry = this.#slots[slot];
    const dataBlock = command.type === PC_TO_RDR.iccPowerOn || command.type === PC_TO_RDR.xfrBlock;
    const reply = (iccStatus: number, commandStatus: number, error: number, data?: Buffer) =>
      encodeCcidResponse({ type: dataBlock ? RDR_TO_PC.dataBlock : RDR_TO_PC.slotStatus, slot, seq, iccStatus, commandStatus, error, extra: 0, ...(data ? { data } : {}) });
    if (!entry) return reply(ICC_STATUS.notPresent, COMMAND_STATUS.failed, SLOT_ERROR.slotDoesNotExist);
    const status = () => (!entry.card ? ICC_STATUS.notPresent : entry.powered ? ICC_STATUS.presentActive : ICC_STATUS.presentInactive);
    switch (command.type) {
      case PC_TO_RDR.getSlotStatus:
        return reply(status(), COMMAND_STATUS.ok, 0);
      case PC_TO_RDR.iccPowerOff: {
        entry.card?.powerOff();
        entry.powered = false;
        const answer = reply(status(), COMMAND_STATUS.ok, 0);
        // A tap is brief: once the terminal is done with it (powers it off), the card is out of the field.
        if (slot === CONTACTLESS_SLOT) this.remove(slot);
        return answer;
      }
      case PC_TO_RDR.iccPowerOn: {
        if (!entry.card) return reply(ICC_STATUS.notPresent, COMMAND_STATUS.failed, SLOT_ERROR.iccMute);
        const atr = entry.card.powerOn(slot === CONTACTLESS_SLOT ? 'contactless' : 'contact');
        if (!atr) return reply(ICC_STATUS.presentInactive, COMMAND_STATUS.failed, SLOT_ERROR.iccMute);
        entry.powered = true;
        return reply(ICC_STATUS.presentActive, COMMAND_STATUS.ok, 0, atr);
      }
      case PC_TO_RDR.xfrBlock: {
        if (entry.leavesAfter === 0) this.remove(slot);
        if (!entry.card) return reply(ICC_STATUS.notPresent, COMMAND_STATUS.failed, SLOT_ERROR.iccMute);
        if (!entry.powered) return reply(ICC_STATUS.presentInactive, COMMAND_STATUS.failed, SLOT_ERROR.hardwareError);
        if (entry.leavesAfter !== undefined) entry.leavesAfter -= 1;
        return reply(ICC_STATUS.presentActive, COMMAND_STATUS.ok, 0, entry.card.transmit(command.data));
      }
      default:
        return reply(status(), COMMAND_STATUS.failed, 0x00);
    }
  }

  protected onUnplug(): void {
    this.#bulkIn.disconnect();
    this.#interrupt.disconnect();
  }
}
