/**
 * Issue #11's at-rest check: after 1,000 mixed transactions on the product's own composition
 * (swipes approved, a wrong PIN then the right one, declines, balance inquiries, inserts, taps,
 * refunds, voids), no file the station keeps (the journal with its WAL, the catalog, configs, keys,
 * logs) and no line of its log or the bundled host's log file holds a full PAN, a track, or any PIN
 * block the station sent.
 *
 * What is looked for is taken from the wire, not guessed: a TCP proxy between station and host (a
 * plain link, so it can read the frames) collects every DE2, DE35, DE52 and DE111 the station sent,
 * and the files are searched for each, as text and as bytes. The host's ledger is not searched: the
 * issuer keeps its cardholders' PANs by design.
 *
 * TRANSACTIONS (env NO_CARD_DATA_TRANSACTIONS) shortens the run while working on this file.
 */
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { PaymentProgress } from '../../common/payment.ts';
import { startHost, type RunningHost } from '../../bank/start-host.ts';
import { FrameDecoder } from '../../payments/iso8583/framing.ts';
import { createPackager } from '../../payments/iso8583/packager.ts';
import { PROFILE_FIELDS } from '../../payments/iso8583/profile.ts';
import { deckCard, startRig, type Rig } from '../../main/test-support/station-rig.ts';
import { startTcpProxy, type TcpProxy } from '../../main/test-support/tcp-proxy.ts';

const TRANSACTIONS = Number(process.env.NO_CARD_DATA_TRANSACTIONS ?? 1_000);
const CARD_IDS = ['unionpay-debit-approved', 'visa-credit', 'mastercard-2series-credit', 'unionpay-lost', 'unionpay-chip-debit', 'visa-chip-credit', 'mastercard-chip-credit'];
const PANS = CARD_IDS.map((id) => deckCard(id).pan);
const packager = createPackager(PROFILE_FIELDS);

let host: RunningHost;
let proxy: TcpProxy;
let rig: Rig;
let stationDir: string;
let hostLogDir: string;
/** Card data and PIN blocks as the station sent them (DE2, DE35, DE52, DE111). */
const sentSecrets = new Set<string>();
const outcomes = new Map<string, number>();

function filesUnder(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => (entry.isDirectory() ? filesUnder(join(dir, entry.name)) : [join(dir, entry.name)]));
}

/** A PAN as text, as the packed BCD of a numeric field, and at the head of track 2 and track 1. */
function panForms(pan: string): Buffer[] {
  const bcd = Buffer.from(pan.length % 2 === 0 ? pan : `0${pan}`, 'hex');
  return [Buffer.from(pan, 'latin1'), bcd, Buffer.from(`${pan}=`, 'latin1'), Buffer.from(`${pan}D`, 'latin1'), Buffer.from(`B${pan}^`, 'latin1')];
}

/** A value from the wire as text, and, for binary fields (hex here), as the bytes themselves. */
function secretForms(value: string): Buffer[] {
  const forms = [Buffer.from(value, 'latin1'), Buffer.from(value.toLowerCase(), 'latin1')];
  if (/^[0-9A-F]+$/i.test(value) && value.length % 2 === 0 && value.length >= 16) forms.push(Buffer.from(value, 'hex'));
  return forms;
}

const note = (what: string, progress: PaymentProgress) => outcomes.set(`${what} ${progress.step}`, (outcomes.get(`${what} ${progress.step}`) ?? 0) + 1);

/** Rings a coffee up and pays by card; a sale the card did not pay is cancelled, as a cashier would. */
async function cardSale(cardId: string, pins: readonly string[], how?: Parameters<Rig['presentCard']>[3]): Promise<PaymentProgress> {
  const sale = await rig.ring(['COF-001']);
  const { paymentId } = await rig.call('startCardTender', {});
  const final = await rig.presentCard(paymentId, cardId, pins, how);
  if (rig.services.journal.sales.load(sale.id)?.status === 'tendering') await rig.call('cancelSale', {});
  return final;
}

/** One transaction of the mix; `i` picks which. */
async function transaction(i: number): Promise<void> {
  switch (i % 10) {
    case 0:
      return void note('swipe', await cardSale('unionpay-debit-approved', ['123456']));
    case 1:
      return void note('swipe, wrong PIN first', await cardSale('visa-credit', ['9999', '1234']));
    case 2:
      return void note('swipe, lost card', await cardSale('unionpay-lost', ['123456']));
    case 3:
      return void note('balance inquiry', await rig.balanceInquiry('unionpay-debit-approved', '123456'));
    case 4:
      return void note('insert', await cardSale('unionpay-chip-debit', ['123456'], 'insert'));
    case 5:
      return void note('tap', await cardSale('visa-chip-credit', [], 'tap'));
    case 6: {
      const purchase = await cardSale('mastercard-2series-credit', ['2468']);
      note('swipe', purchase);
      if (purchase.step !== 'approved') return;
      return void note('refund', await rig.refundLeg(rig.lastLeg(), 100, 'mastercard-2series-credit'));
    }
    case 7: {
      const purchase = await cardSale('unionpay-debit-approved', ['123456']);
      note('swipe', purchase);
      if (purchase.step !== 'approved') return;
      await rig.voidLeg(rig.lastLeg());
      return void outcomes.set('void', (outcomes.get('void') ?? 0) + 1);
    }
    case 8:
      return void note('insert', await cardSale('mastercard-chip-credit', ['2468'], 'insert'));
    default:
      return void note('swipe', await cardSale('visa-credit', ['1234']));
  }
}

beforeAll(async () => {
  const root = mkdtempSync(join(tmpdir(), 'no-card-data-'));
  hostLogDir = join(root, 'host-logs');
  stationDir = join(root, 'station');
  mkdirSync(stationDir);
  host = await startHost({ dataDir: join(root, 'bank'), port: 0, transport: 'plain', logDir: hostLogDir, log: () => undefined });
  const frames = new FrameDecoder();
  proxy = await startTcpProxy({ host: host.host, port: host.port }, (chunk) => {
    for (const frame of frames.push(chunk)) {
      const message = packager.unpack(frame);
      for (const field of [2, 35, 52, 111]) {
        const value = message.fields.get(field);
        if (value !== undefined) sentSecrets.add(Buffer.isBuffer(value) ? value.toString('hex').toUpperCase() : String(value));
      }
    }
  });
  rig = await startRig({ host: '127.0.0.1', port: proxy.port, dataDir: stationDir, transport: 'plain' });
  await rig.waitUntilUp();
  await rig.signInAndOpenShift();
  for (let i = 0; i < TRANSACTIONS; i += 1) await transaction(i);
  // The station's own log lines, as its log file would hold them.
  writeFileSync(join(stationDir, 'station-log-lines.txt'), rig.log.join('\n'));
  await rig.stop();
}, 1_800_000);

afterAll(async () => {
  await proxy?.close();
  await host?.close();
});

it(`the mix ran: ${TRANSACTIONS} transactions, approvals and declines of every kind, with the PIN blocks and tracks collected off the wire`, () => {
  for (const kind of ['swipe approved', 'swipe, wrong PIN first approved', 'swipe, lost card declined', 'balance inquiry approved', 'insert approved', 'tap approved', 'refund approved']) {
    expect(outcomes.get(kind), `${kind}: ${JSON.stringify(Object.fromEntries(outcomes))}`).toBeGreaterThan(0);
  }
  expect(outcomes.get('void')).toBeGreaterThan(0);
  expect([...sentSecrets].length).toBeGreaterThan(TRANSACTIONS / 2);
});

it('no file of the station and no log line, the host log included, holds a PAN, a track or a PIN block', () => {
  const forms = [...PANS.flatMap(panForms), ...[...sentSecrets].flatMap(secretForms)];
  const files = [...filesUnder(stationDir), ...filesUnder(hostLogDir)];
  expect(files.some((file) => file.endsWith('journal.sqlite'))).toBe(true);
  expect(files.some((file) => file.endsWith('host.log'))).toBe(true);
  for (const file of files) {
    const data = readFileSync(file);
    const found = forms.find((form) => data.includes(form));
    expect(found && `${file} holds ${found.toString('latin1').replace(/[^\x20-\x7e]/g, '.')}`).toBeUndefined();
  }
});
