/**
 * The CCID driver against the virtual dual-interface reader, at the USB transfer level, and the
 * terminal kernel through them: insert and tap with the test deck's virtual cards.
 */
import { EventEmitter } from 'node:events';
import { describe, expect, it } from 'vitest';
import { memoryCardStateStore, VirtualEmvCard, type SmartCard } from '../../payments/emv/card/virtual-emv-card.ts';
import { runContactTransaction } from '../../payments/emv/kernel/contact-kernel.ts';
import { runContactlessTransaction } from '../../payments/emv/kernel/contactless-kernel.ts';
import { caKeys, cny, config, image, ports } from '../../payments/emv/kernel/kernel-test-rig.fixture.ts';
import { CardMuteError, CardRemovedError } from '../../payments/emv/kernel/ports.ts';
import { until } from '../../test/support/until.ts';
import { openSlot } from './ccid-card-transport.ts';
import { CcidReaderDriver } from './ccid-driver.ts';
import { CONTACT_SLOT, CONTACTLESS_SLOT, VirtualCcidReader } from './virtual-ccid-reader.ts';
import { COMMAND_STATUS, encodeCcidResponse, ICC_STATUS, PC_TO_RDR, RDR_TO_PC } from './ccid-messages.ts';

async function openReader() {
  const reader = new VirtualCcidReader();
  const driver = new CcidReaderDriver(reader);
  await driver.open();
  return { reader, driver };
}

const deckCard = (id: string) => new VirtualEmvCard(image(id), memoryCardStateStore());

/** A card that answers the T=0 way: 61xx for data to fetch with GET RESPONSE, 6Cxx for a wrong Le. */
function t0Card(): SmartCard & { commands: string[] } {
  const commands: string[] = [];
  return {
    commands,
    powerOn: () => Buffer.from('3B00', 'hex'),
    powerOff: () => undefined,
    transmit(command) {
      const hex = Buffer.from(command).toString('hex').toUpperCase();
      commands.push(hex);
      if (hex === '00B2010C00') return Buffer.from('6C05', 'hex');
      if (hex === '00B2010C05') return Buffer.from('01020304059000', 'hex');
      if (hex.startsWith('00A40400')) return Buffer.from('AABB6104', 'hex');
      if (hex === '00C0000004') return Buffer.from('CCDDEEFF9000', 'hex');
      return Buffer.from('6D00', 'hex');
    },
  };
}

describe('CCID driver over the virtual reader', () => {
  it('finds both slots, powers a card on and exchanges APDUs, chaining 61xx and retrying 6Cxx', async () => {
    const { reader, driver } = await openReader();
    expect(driver.slotCount).toBe(2);
    const card = t0Card();
    reader.insert(card);
    expect(await driver.slotStatus(CONTACT_SLOT)).toBe('inactive');
    expect((await driver.powerOn(CONTACT_SLOT)).toString('hex')).toBe('3b00');
    expect(await driver.slotStatus(CONTACT_SLOT)).toBe('active');
    expect((await driver.transmit(CONTACT_SLOT, Buffer.from('00A404000101', 'hex'))).toString('hex').toUpperCase()).toBe('AABBCCDDEEFF9000');
    expect((await driver.transmit(CONTACT_SLOT, Buffer.from('00B2010C00', 'hex'))).toString('hex').toUpperCase()).toBe('01020304059000');
    expect(card.commands).toEqual(['00A404000101', '00C0000004', '00B2010C00', '00B2010C05']);
    await driver.close();
  });

  it('reports insert and removal on the interrupt endpoint (NotifySlotChange)', async () => {
    const { reader, driver } = await openReader();
    const seen: string[] = [];
    const notified = new EventEmitter();
    const watching = driver.watchSlots((changes) => {
      for (const change of changes) if (change.changed) seen.push(`${change.slot}:${change.present ? 'in' : 'out'}`);
      notified.emit('changes');
    });
    reader.insert(deckCard('unionpay-chip-debit'));
    reader.tap(deckCard('visa-chip-credit'));
    reader.remove(CONTACT_SLOT);
    // Each NotifySlotChange is the event waited on: no clock.
    await until(
      () => expect(seen).toEqual(['0:in', '1:in', '0:out']),
      (changed) => (notified.on('changes', changed), () => notified.off('changes', changed)),
    );
    await driver.close();
    await watching;
  });

  it('an empty slot is CardRemovedError, a mute card CardMuteError', async () => {
    const { reader, driver } = await openReader();
    await expect(driver.powerOn(CONTACT_SLOT)).rejects.toBeInstanceOf(CardRemovedError);
    reader.insert(deckCard('unionpay-chip-mute'));
    await expect(driver.powerOn(CONTACT_SLOT)).rejects.toBeInstanceOf(CardMuteError);
    await driver.close();
  });
});

describe('the kernel through the CCID reader', () => {
  const runInsert = async (id: string, prepare?: (reader: VirtualCcidReader) => void) => {
    const { reader, driver } = await openReader();
    reader.insert(deckCard(id));
    prepare?.(reader);
    const session = await openSlot(driver, CONTACT_SLOT);
    try {
      const rig = ports(session);
      return await runContactTransaction({ amount: cny(8_800), config, caKeys, ports: rig.ports, signal: new AbortController().signal });
    } finally {
      await session.end();
      await driver.close();
    }
  };

  it('insert: approved', async () => {
    expect(await runInsert('unionpay-chip-debit')).toMatchObject({ kind: 'approved', record: { acType: 'TC', entryMode: 'contact', applicationLabel: 'UnionPay Debit' } });
  });

  it('insert: the card is pulled out mid-transaction', async () => {
    expect(await runInsert('unionpay-chip-debit', (reader) => reader.removeAfter(CONTACT_SLOT, 6))).toEqual({ kind: 'card_removed', online: false });
  });

  it('tap: approved, and out of the field too early asks to present the card again', async () => {
    const { reader, driver } = await openReader();
    reader.tap(deckCard('unionpay-chip-debit'));
    let session = await openSlot(driver, CONTACTLESS_SLOT);
    expect((await runContactlessTransaction({ amount: cny(3_000), config, caKeys, ports: ports(session).ports, signal: new AbortController().signal })).kind).toBe('approved');
    reader.tap(deckCard('unionpay-chip-debit'));
    reader.removeAfter(CONTACTLESS_SLOT, 2);
    session = await openSlot(driver, CONTACTLESS_SLOT);
    expect(await runContactlessTransaction({ amount: cny(3_000), config, caKeys, ports: ports(session).ports, signal: new AbortController().signal })).toEqual({ kind: 'present_card_again' });
    await driver.close();
  });
});

describe('reader failures reach the kernel as card failures', () => {
  it('the reader unplugged mid-transaction ends the insert as a card removed', async () => {
    const reader = new VirtualCcidReader();
    const driver = new CcidReaderDriver(reader);
    await driver.open();
    reader.insert(deckCard('unionpay-chip-debit'));
    const session = await openSlot(driver, CONTACT_SLOT);
    let sent = 0;
    const unplugging = { transceive: async (command: Buffer, signal?: AbortSignal) => {
      if (++sent === 4) reader.unplug();
      return session.transceive(command, signal);
    } };
    const outcome = await runContactTransaction({ amount: cny(100), config, caKeys, ports: ports(unplugging).ports, signal: new AbortController().signal });
    expect(outcome).toEqual({ kind: 'card_removed', online: false });
  });
});

/**
 * A reader whose answers to XfrBlock the test holds: 'time' answers every read with a time extension,
 * 'timeout' throws as usb does when a bulk transfer times out, 'hold' keeps the answer until released.
 */
class MisbehavingReader extends VirtualCcidReader {
  mode: 'normal' | 'time' | 'timeout' | 'hold' = 'normal';
  #release: (() => void) | undefined;
  #held: (() => void) | undefined;
  #answers: Buffer[] = [];

  /** Holds the next read; resolves once a read is being held. */
  hold(): Promise<void> {
    this.mode = 'hold';
    return new Promise((resolve) => (this.#held = resolve));
  }

  /** Lets a held answer go (late, to a command the driver abandoned). */
  release(): void {
    this.#release?.();
  }

  protected override async handleTransferOut(endpoint: number, data: Uint8Array) {
    if (this.mode !== 'time' || data[0] !== PC_TO_RDR.xfrBlock) return super.handleTransferOut(endpoint, data);
    this.#answers.push(encodeCcidResponse({ type: RDR_TO_PC.dataBlock, slot: data[5]!, seq: data[6]!, iccStatus: ICC_STATUS.presentActive, commandStatus: COMMAND_STATUS.timeExtension, error: 1, extra: 0 }));
    return { status: 'ok' as const, bytesWritten: data.length };
  }

  protected override async handleTransferIn(endpoint: number, length: number, timeoutMs: number) {
    if (this.mode === 'hold') {
      this.mode = 'normal';
      await new Promise<void>((release) => {
        this.#release = release;
        this.#held?.();
      });
    }
    if (this.mode === 'timeout') throw new Error('transferIn error: LIBUSB_TRANSFER_TIMED_OUT');
    const answer = this.mode === 'time' ? this.#answers.at(-1) : undefined;
    if (answer) return { status: 'ok' as const, data: new DataView(answer.buffer, answer.byteOffset, answer.byteLength) };
    return super.handleTransferIn(endpoint, length, timeoutMs);
  }
}

describe('a reader that stops answering', () => {
  const open = async (options: { commandDeadlineMs?: number } = {}) => {
    const reader = new MisbehavingReader();
    const driver = new CcidReaderDriver(reader, options);
    await driver.open();
    reader.insert(deckCard('unionpay-chip-debit'));
    return { reader, driver, session: await openSlot(driver, CONTACT_SLOT) };
  };

  it('a bulk transfer that times out is a mute card: the kernel run ends in chip_error (counts towards fallback)', async () => {
    const { reader, driver, session } = await open();
    reader.mode = 'timeout';
    await expect(session.transceive(Buffer.from('00A404000E315041592E5359532E444446303100', 'hex'))).rejects.toBeInstanceOf(CardMuteError);
    const outcome = await runContactTransaction({ amount: cny(100), config, caKeys, ports: ports(session).ports, signal: new AbortController().signal });
    expect(outcome).toMatchObject({ kind: 'chip_error' });
    reader.mode = 'normal';
    await driver.close();
  });

  it('a card that asks for time extensions for ever is given up at the command deadline (mute)', async () => {
    const { reader, driver, session } = await open({ commandDeadlineMs: 50 });
    reader.mode = 'time';
    await expect(session.transceive(Buffer.from('00B2010C00', 'hex'))).rejects.toThrow(/within 50 ms of time extensions/);
    reader.mode = 'normal';
    await driver.close();
  });

  it("the kernel's signal abandons a command in flight; its late answer is skipped and the next command gets its own", async () => {
    const { reader, driver, session } = await open();
    const cancel = new AbortController();
    const held = reader.hold();
    const selecting = session.transceive(Buffer.from('00A404000E315041592E5359532E444446303100', 'hex'), cancel.signal);
    await held;
    cancel.abort(new Error('the cashier cancelled'));
    await expect(selecting).rejects.toThrow('the cashier cancelled');
    reader.release();
    const again = await session.transceive(Buffer.from('00A404000E315041592E5359532E444446303100', 'hex'));
    expect(again.subarray(-2).toString('hex')).toBe('9000');
    await driver.close();
  });
});
