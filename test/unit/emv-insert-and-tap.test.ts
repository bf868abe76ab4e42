/**
 * Insert and tap end to end below the station's checkout: the test deck's virtual EMV cards in the
 * virtual dual-interface CCID reader, the CCID driver at the USB transfer level, the terminal
 * kernel, a 0200 with DE55 over real TCP to the bundled host (its issuer master keys, ARQC check,
 * ARPC, scripts, risk rules), and the answer back to the card. The authorization port here is what
 * the station's will be: the kernel's request → chipRequestFields + the station's own fields.
 */
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { money } from '../../common/money.ts';
import { encodeTracks } from '../../common/card/tracks.ts';
import { deckCard, startTestHost, type TestHost } from '../../bank/test-host.ts';
import { TEST_BDK } from '../../bank/purchase-fixture.ts';
import { memoryCardStateStore, VirtualEmvCard, type CardStateStore } from '../../payments/emv/card/virtual-emv-card.ts';
import { loadChipCardImages } from '../../payments/emv/card/chip-card-images.ts';
import { authorizationResponseOf, chipRequestFields } from '../../payments/emv/iso8583-chip-fields.ts';
import { loadCaPublicKeys } from '../../payments/emv/kernel/ca-public-keys.ts';
import { runContactTransaction } from '../../payments/emv/kernel/contact-kernel.ts';
import { runContactlessTransaction } from '../../payments/emv/kernel/contactless-kernel.ts';
import { countsTowardsFallback, decideSwipe } from '../../payments/emv/kernel/fallback-policy.ts';
import type { KernelOutcome, KernelPorts } from '../../payments/emv/kernel/ports.ts';
import { CHINA_TERMINAL_DEFAULTS } from '../../payments/emv/kernel/terminal-config.ts';
import { deriveIpek, encryptPinTdesDukpt } from '../../payments/crypto/dukpt-tdes.ts';
import { setKsnCounter } from '../../payments/crypto/ksn.ts';
import { createMessage, getText } from '../../payments/iso8583/message.ts';
import { pinDataFields } from '../../payments/iso8583/pin-data.ts';
import { openSlot, type SlotSession } from '../../peripherals/ccid/ccid-card-transport.ts';
import { CcidReaderDriver } from '../../peripherals/ccid/ccid-driver.ts';
import { CONTACT_SLOT, CONTACTLESS_SLOT, VirtualCcidReader } from '../../peripherals/ccid/virtual-ccid-reader.ts';

const images = loadChipCardImages(join(import.meta.dirname, '..', '..', 'bank', 'deck', 'chip-cards.json'));
const caKeys = loadCaPublicKeys();
const INITIAL_KSN = Buffer.from('FFFF9876543210E00000', 'hex');
const IPEK = deriveIpek(TEST_BDK, INITIAL_KSN);
const NOW = new Date(2026, 10, 21, 10, 0);

let host: TestHost;
let reader: VirtualCcidReader;
let driver: CcidReaderDriver;
let stan = 0;
let ksnCounter = 0;

beforeAll(async () => {
  host = await startTestHost();
  reader = new VirtualCcidReader();
  driver = new CcidReaderDriver(reader);
  await driver.open();
});

afterAll(async () => {
  await driver.close();
  await host.close();
});

// One state store for the whole file, as the station keeps one per data directory: a card's ATC
// goes on counting from test to test, as the host's ATC register expects of a real card.
const sharedStore = memoryCardStateStore();
const card = (id: string, store: CardStateStore = sharedStore) => new VirtualEmvCard(images.find((image) => image.cardId === id)!, store);

interface Run {
  readonly outcome: KernelOutcome;
  readonly pinAsked: number;
  readonly messages: string[];
  readonly requests: number;
}

function stationPorts(transport: KernelPorts['card'], options: { pin?: string; cardId: string }) {
  const seen = { pinAsked: 0, messages: [] as string[], requests: 0 };
  const ports: KernelPorts = {
    card: transport,
    messages: { show: (message) => void seen.messages.push(message) },
    choose: { choose: async () => 0 },
    pin: {
      async enterOnlinePin(request) {
        seen.pinAsked++;
        const ksn = setKsnCounter(INITIAL_KSN, ++ksnCounter);
        return { kind: 'entered', pinBlock: encryptPinTdesDukpt({ ipek: IPEK, ksn, pin: options.pin ?? deckCard(options.cardId).pin, pan: request.pan }), ksn };
      },
    },
    authorization: {
      async authorize(request) {
        seen.requests++;
        const message = createMessage('0200', {
          ...chipRequestFields(request),
          3: '000000',
          4: String(request.amount.amountMinor).padStart(12, '0'),
          7: '1121100000',
          11: String(++stan).padStart(6, '0'),
          12: '100000',
          13: '1121',
          25: '00',
          41: 'POS00001',
          42: '898310048160001',
          49: '156',
        });
        return authorizationResponseOf(await host.send(message));
      },
    },
  };
  return { ports, seen };
}

async function insert(id: string, amountMinor: number, options: { pin?: string; store?: CardStateStore; removeAfter?: number } = {}): Promise<Run> {
  reader.insert(card(id, options.store));
  if (options.removeAfter !== undefined) reader.removeAfter(CONTACT_SLOT, options.removeAfter);
  // A mute card fails at power on: the kernel then meets the same error at its first command.
  const session: SlotSession | Error = await openSlot(driver, CONTACT_SLOT).catch((error: unknown) => (error instanceof Error ? error : new Error(String(error))));
  try {
    const transport = session instanceof Error ? { transceive: () => Promise.reject(session) } : session;
    const { ports, seen } = stationPorts(transport, { cardId: id, ...(options.pin ? { pin: options.pin } : {}) });
    const outcome = await runContactTransaction({ amount: money(amountMinor, 'CNY'), config: CHINA_TERMINAL_DEFAULTS, caKeys, ports, signal: new AbortController().signal, now: NOW });
    return { outcome, ...seen };
  } finally {
    if (!(session instanceof Error)) await session.end();
    reader.remove(CONTACT_SLOT);
  }
}

async function tap(id: string, amountMinor: number, options: { removeAfter?: number } = {}): Promise<Run> {
  reader.tap(card(id));
  if (options.removeAfter !== undefined) reader.removeAfter(CONTACTLESS_SLOT, options.removeAfter);
  const session = await openSlot(driver, CONTACTLESS_SLOT);
  try {
    const { ports, seen } = stationPorts(session, { cardId: id });
    const outcome = await runContactlessTransaction({ amount: money(amountMinor, 'CNY'), config: CHINA_TERMINAL_DEFAULTS, caKeys, ports, signal: new AbortController().signal, now: NOW });
    return { outcome, ...seen };
  } finally {
    await session.end();
    reader.remove(CONTACTLESS_SLOT);
  }
}

describe('insert, over USB and TCP', () => {
  it.each(['unionpay-chip-debit', 'visa-chip-credit', 'visa-chip-cvn10', 'mastercard-chip-credit'])('%s: approved, with the host\'s ARPC accepted by the card (TC)', async (id) => {
    const run = await insert(id, 6_600);
    expect(run.outcome).toMatchObject({ kind: 'approved', record: { acType: 'TC', cvm: 'online_pin' }, response: { responseCode: '00' } });
    const tsi = Buffer.from((run.outcome as Extract<KernelOutcome, { kind: 'approved' }>).record.tsi, 'hex');
    // Issuer authentication performed by the terminal: EXTERNAL AUTHENTICATE (UnionPay 01, Visa 10); the others check 91 in CDOL2.
    expect(tsi[0]! & 0x10).toBe(id === 'unionpay-chip-debit' || id === 'visa-chip-cvn10' ? 0x10 : 0);
  });

  it('wrong online PIN: 55, and the card ends with an AAC', async () => {
    expect((await insert('unionpay-chip-debit', 100, { pin: '000000' })).outcome).toMatchObject({ kind: 'declined', by: 'issuer', response: { responseCode: '55' }, record: { acType: 'AAC' } });
  });

  it('a host that returns issuer scripts: PUT DATA (71) runs before the second GENERATE AC; APPLICATION BLOCK (72) blocks the card for the next insert', async () => {
    const put = await insert('unionpay-chip-script-put-data', 100);
    expect(put.outcome).toMatchObject({ kind: 'approved', record: { scriptResults: [{ template: '71', result: 'successful' }] } });
    const store = memoryCardStateStore();
    const blocked = await insert('unionpay-chip-script-block', 100, { store });
    expect(blocked.outcome).toMatchObject({ kind: 'approved', record: { scriptResults: [{ template: '72', result: 'successful' }] } });
    expect((await insert('unionpay-chip-script-block', 100, { store })).outcome).toEqual({ kind: 'not_accepted', reason: 'application_blocked' });
  });

  it('ARQC failure: a card with a wrong AC key is declined 82, with the reason in the risk log', async () => {
    const run = await insert('unionpay-chip-wrong-key', 100);
    expect(run.outcome).toMatchObject({ kind: 'declined', by: 'issuer', response: { responseCode: '82' }, record: { acType: 'AAC' } });
    const [logged] = host.query<{ reasons: string }>("SELECT reasons FROM risk_log WHERE response_code = '82' ORDER BY id DESC LIMIT 1");
    expect(logged?.reasons).toMatch(/arqc: the unionpay-cvn01 cryptogram does not verify/);
  });

  it('a replayed ATC is declined 05 and logged as a risk signal', async () => {
    expect((await insert('visa-chip-credit', 100)).outcome.kind).toBe('approved');
    // A copy of the card with its counter wound back (a cloned chip): its next ATC was already seen.
    const clone = memoryCardStateStore();
    clone.save('visa-chip-credit', { ...sharedStore.load('visa-chip-credit')!, atc: 0 });
    const replay = await insert('visa-chip-credit', 100, { store: clone });
    expect(replay.outcome).toMatchObject({ kind: 'declined', response: { responseCode: '05' } });
    const [logged] = host.query<{ reasons: string }>("SELECT reasons FROM risk_log WHERE reasons LIKE '%atc-replay%' ORDER BY id DESC LIMIT 1");
    expect(logged?.reasons).toMatch(/ATC \d+ is not above the last seen/);
  });

  it('the card declines after the host approved: the outcome tells the station to reverse', async () => {
    expect((await insert('visa-chip-declines-at-completion', 100)).outcome).toMatchObject({ kind: 'card_declined_after_approval', response: { responseCode: '00' }, record: { acType: 'AAC' } });
  });

  it('the card is pulled out mid-transaction', async () => {
    expect((await insert('unionpay-chip-debit', 100, { removeAfter: 5 })).outcome).toEqual({ kind: 'card_removed', online: false });
  });

  it('fallback: a mute chip twice, then its stripe as DE22 801; the fallback rule declines it above 500.00 CNY (05)', async () => {
    const failures = [await insert('unionpay-chip-mute', 100), await insert('unionpay-chip-mute', 100)].filter((run) => countsTowardsFallback(run.outcome)).length;
    expect(failures).toBe(2);
    const mute = deckCard('unionpay-chip-mute');
    expect(decideSwipe(mute.serviceCode, 0)).toEqual({ kind: 'insert_card' });
    const decision = decideSwipe(mute.serviceCode, failures);
    if (decision.kind !== 'accept_fallback') throw new Error(`expected fallback, got ${decision.kind}`);
    const swipe = (amountMinor: number) => {
      const track2 = encodeTracks(mute).track2;
      const ksn = setKsnCounter(INITIAL_KSN, ++ksnCounter);
      return createMessage('0200', {
        2: mute.pan, 3: '000000', 4: String(amountMinor).padStart(12, '0'), 7: '1121100000', 11: String(++stan).padStart(6, '0'), 12: '100000', 13: '1121',
        22: decision.posEntryMode, 25: '00', 35: track2.slice(1, track2.indexOf('?')), 41: 'POS00001', 42: '898310048160001', 49: '156',
        ...pinDataFields({ pinBlock: encryptPinTdesDukpt({ ipek: IPEK, ksn, pin: mute.pin, pan: mute.pan }), ksn }),
      });
    };
    expect(getText(await host.send(swipe(20_000)), 39)).toBe('00');
    expect(getText(await host.send(swipe(60_000)), 39)).toBe('05');
    const [logged] = host.query<{ reasons: string }>("SELECT reasons FROM risk_log WHERE reasons LIKE '%fallback-above-amount%' ORDER BY id DESC LIMIT 1");
    expect(logged?.reasons).toMatch(/fallback purchase of 60000 is above 50000/);
  });
});

describe('tap, over USB and TCP', () => {
  it.each(['unionpay-chip-debit', 'visa-chip-credit'])('%s: approved without PIN, "remove card" before the authorization', async (id) => {
    const run = await tap(id, 4_200);
    expect(run.outcome).toMatchObject({ kind: 'approved', record: { entryMode: 'contactless', cvm: 'no_cvm' }, response: { responseCode: '00' } });
    expect(run.messages.indexOf('remove_card')).toBeLessThan(run.messages.indexOf('please_wait'));
    expect(run.pinAsked).toBe(0);
  });

  it('over the CVM required limit: online PIN asked, approved', async () => {
    const run = await tap('unionpay-chip-debit', 150_000);
    expect(run.pinAsked).toBe(1);
    expect(run.outcome).toMatchObject({ kind: 'approved', record: { cvm: 'online_pin' } });
  });

  it('over the contactless limit: insert asked, nothing sent', async () => {
    const run = await tap('unionpay-chip-debit', 600_000);
    expect(run.outcome).toEqual({ kind: 'insert_card' });
    expect(run.requests).toBe(0);
  });

  it('wrong PIN on a tap: 55', async () => {
    reader.tap(card('unionpay-chip-debit'));
    const session = await openSlot(driver, CONTACTLESS_SLOT);
    const { ports } = stationPorts(session, { cardId: 'unionpay-chip-debit', pin: '000000' });
    const outcome = await runContactlessTransaction({ amount: money(150_000, 'CNY'), config: CHINA_TERMINAL_DEFAULTS, caKeys, ports, signal: new AbortController().signal, now: NOW });
    await session.end();
    reader.remove(CONTACTLESS_SLOT);
    expect(outcome).toMatchObject({ kind: 'declined', response: { responseCode: '55' } });
  });

  it('ARQC failure on a tap: 82', async () => {
    expect((await tap('unionpay-chip-wrong-key', 100)).outcome).toMatchObject({ kind: 'declined', response: { responseCode: '82' } });
  });

  it('out of the field too early: present the card again, nothing sent', async () => {
    const run = await tap('unionpay-chip-debit', 100, { removeAfter: 3 });
    expect(run.outcome).toEqual({ kind: 'present_card_again' });
    expect(run.requests).toBe(0);
  });
});
