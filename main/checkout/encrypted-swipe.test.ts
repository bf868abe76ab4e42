/**
 * The PIN pad's own stripe head as the station's card reader (devices.stripeReader "pin-pad"), through
 * the station's own composition, over TCP to the real host: the pad reads and encrypts the card, the
 * station gets the masked read and forwards the block in DE120, the pad builds the PIN block from the
 * PAN it holds, and the host decrypts and approves. The station's requests, journal, log and screen
 * never hold the PAN; reversals (a void) carry no card at all. TDES and AES data keys both.
 */
import { mkdirSync, mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHost, type RunningHost } from '../../bank/start-host.ts';
import { FrameDecoder } from '../../payments/iso8583/framing.ts';
import type { IsoMessage } from '../../payments/iso8583/message.ts';
import { createPackager } from '../../payments/iso8583/packager.ts';
import { PROFILE_FIELDS } from '../../payments/iso8583/profile.ts';
import { deckCard, startRig, type Rig } from '../test-support/station-rig.ts';
import { startTcpProxy, type TcpProxy } from '../test-support/tcp-proxy.ts';

const card = deckCard('unionpay-debit-approved');
const packager = createPackager(PROFILE_FIELDS);

interface Setup {
  readonly host: RunningHost;
  readonly proxy: TcpProxy;
  readonly rig: Rig;
  readonly dataDir: string;
  /** Every message the station sent the host, as the host received it. */
  readonly sent: IsoMessage[];
}

async function setUp(pinBlockFormat: 'iso0-tdes-dukpt' | 'iso4-aes-dukpt'): Promise<Setup> {
  const root = mkdtempSync(join(tmpdir(), 'encrypted-swipe-'));
  // Plain TCP, so the proxy reads every frame the station sends: what is checked is the card data in them, not the link.
  const host = await startHost({ dataDir: join(root, 'bank'), port: 0, transport: 'plain', log: () => undefined });
  const sent: IsoMessage[] = [];
  const frames = new FrameDecoder();
  const proxy = await startTcpProxy({ host: host.host, port: host.port }, (chunk) => {
    for (const frame of frames.push(chunk)) sent.push(packager.unpack(frame));
  });
  const dataDir = join(root, 'station');
  mkdirSync(dataDir);
  const rig = await startRig({ host: '127.0.0.1', port: proxy.port, dataDir, transport: 'plain', stripeReader: 'pin-pad', virtualPinPad: { pinBlockFormat } });
  await rig.waitUntilUp();
  await rig.signInAndOpenShift();
  return { host, proxy, rig, dataDir, sent };
}

async function tearDown(setup: Setup | undefined): Promise<void> {
  await setup?.rig.stop();
  await setup?.proxy.close();
  await setup?.host.close();
}

/** Every file the station wrote, byte for byte, as one string to search. */
function dataDirText(dir: string): string {
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile())
    .map((entry) => readFileSync(join(entry.parentPath, entry.name)).toString('latin1'))
    .join('\n');
}

const cardRequests = (sent: readonly IsoMessage[]) => sent.filter((message) => message.mti === '0200');

describe('TDES data key: the PIN pad reads the card', () => {
  let setup: Setup | undefined;
  beforeAll(async () => {
    setup = await setUp('iso0-tdes-dukpt');
  });
  afterAll(() => tearDown(setup));

  it('reports the PIN pad as the encrypting card reader, and no separate card reader', () => {
    const statuses = setup!.rig.services.devices.statuses();
    expect(statuses.find((status) => status.device === 'pinPad')).toMatchObject({ encrypting: true });
    expect(statuses.some((status) => status.device === 'cardReader')).toBe(false);
  });

  it('approves a sale swiped on the pad: the 0200 carries DE120 and no DE2 or DE35, the pad forms the PIN block, and then forgets the card', async () => {
    const { rig, sent } = setup!;
    const { final, saleId } = await rig.cardSale(card.id, [card.pin], ['TEA-001']);
    expect(final).toMatchObject({ step: 'approved', entryMode: 'magstripe', card: { maskedPan: '621234******1232', scheme: 'unionpay' } });
    expect((await rig.call('getSale', { saleId })).status).toBe('paid');
    const [request] = cardRequests(sent);
    expect([request!.fields.has(2), request!.fields.has(35), request!.fields.has(120), request!.fields.has(52)]).toEqual([false, false, true, true]);
    expect(rig.lastLeg()).toMatchObject({ status: 'approved', maskedPan: '621234******1232', scheme: 'unionpay' });
    expect(rig.services.devices.virtualPinPad.holdsCard).toBe(false);
  });

  it('asks the pad again after a wrong PIN (55): the pad still holds the card it read', async () => {
    const { rig } = setup!;
    const { final } = await rig.cardSale(card.id, ['000000', card.pin], ['BAO-001']);
    expect(final).toMatchObject({ step: 'approved' });
    expect(rig.lastLeg()).toMatchObject({ attempt: 2, status: 'approved' });
  });

  it('refunds on the card swiped again, matched by its masked PAN, with no PIN', async () => {
    const { rig, sent } = setup!;
    await rig.cardSale(card.id, [card.pin], ['COF-001']);
    const purchase = rig.lastLeg();
    const final = await rig.refundLeg(purchase, 500, card.id);
    expect(final).toMatchObject({ step: 'approved', kind: 'refund' });
    const refund = cardRequests(sent).at(-1)!;
    expect([refund.fields.has(2), refund.fields.has(35), refund.fields.has(120), refund.fields.has(52)]).toEqual([false, false, true, false]);
  });

  it('voids a sale with a reversal that carries no card', async () => {
    const { rig, sent } = setup!;
    await rig.cardSale(card.id, [card.pin], ['TEA-001']);
    const purchase = rig.lastLeg();
    expect(await rig.voidLeg(purchase)).toMatchObject({ sale: { status: 'voided' }, tenders: [{ fate: 'voided' }] });
    const reversal = sent.filter((message) => message.mti === '0400' || message.mti === '0401').at(-1)!;
    expect([reversal.fields.has(2), reversal.fields.has(35), reversal.fields.has(120)]).toEqual([false, false, false]);
  });

  it('leaves no PAN or track anywhere the station can see: requests, progress, log, data directory', async () => {
    const { rig, sent, dataDir } = setup!;
    expect(cardRequests(sent).length).toBeGreaterThanOrEqual(5);
    const track2 = `${card.pan}=`;
    for (const text of [sent.map((message) => packager.pack(message).toString('latin1')).join('\n'), JSON.stringify(rig.progress), rig.log.join('\n'), dataDirText(dataDir)]) {
      expect(text).not.toContain(card.pan);
      expect(text).not.toContain(track2);
    }
  });
});

describe('AES data key: the PIN pad reads the card', () => {
  let setup: Setup | undefined;
  beforeAll(async () => {
    setup = await setUp('iso4-aes-dukpt');
  });
  afterAll(() => tearDown(setup));

  it('approves a sale: DE120 with an AES key type and a 12-byte KSN, the PIN in DE111', async () => {
    const { rig, sent } = setup!;
    const { final } = await rig.cardSale(card.id, [card.pin], ['TEA-001']);
    expect(final).toMatchObject({ step: 'approved', card: { maskedPan: '621234******1232' } });
    const [request] = cardRequests(sent);
    const de120 = request!.fields.get(120) as Uint8Array;
    expect([request!.fields.has(2), request!.fields.has(35), de120[0], request!.fields.has(111)]).toEqual([false, false, 0x02, true]);
  });
});
