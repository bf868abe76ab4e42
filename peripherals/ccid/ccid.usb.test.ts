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
