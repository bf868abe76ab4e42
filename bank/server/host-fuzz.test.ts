/**
 * Fuzzing the host over real TCP on 127.0.0.1: well over 100,000 frames that are valid requests
 * mutated at the byte level (bit flips, truncations, inserted and dropped bytes, broken length
 * prefixes of fields, bad bitmaps and MTIs, junk bytes), valid-but-absurd field values, and pure
 * random bytes, all with an intact frame length prefix, pipelined on a few connections; plus
 * connections whose frame length prefix itself is broken. Seeded, so a failure replays exactly.
 *
 * What must hold:
 *  - the host stays up and keeps every connection with an intact prefix usable;
 *  - every frame is accounted for: one that does not unpack but whose MTI (a request's), DE11 and
 *    DE41 are readable is answered 30; one that unpacks as a request is answered (any DE39);
 *    anything else gets no answer. Answers are matched by response MTI + DE11 + DE41, since a
 *    format error is answered at once and a decided request after its ledger commit;
 *  - a connection whose length prefix is broken is closed;
 *  - afterwards a valid purchase on a fresh connection is approved.
 */
import { once } from 'node:events';
import { mkdtempSync, rmSync } from 'node:fs';
import net from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TestDeckCard } from '../../common/test-deck.ts';
import { connectIsoChannel } from '../../payments/iso8583/channel.ts';
import { encodeFrame, FrameDecoder } from '../../payments/iso8583/framing.ts';
import { IsoFormatError } from '../../payments/iso8583/iso-format-error.ts';
import { createMessage, getText, type FieldValue, type IsoMessage } from '../../payments/iso8583/message.ts';
import { isRequestMti, responseMti } from '../../payments/iso8583/mti.ts';
import { IsoMux } from '../../payments/iso8583/mux.ts';
import { createPackager } from '../../payments/iso8583/packager.ts';
import { PROFILE_FIELDS } from '../../payments/iso8583/profile.ts';
import { buildTlv } from '../../payments/emv/tlv.ts';
import { loadCardDeck } from '../deck/card-deck.ts';
import { purchaseFor } from '../purchase-fixture.ts';
import { BUNDLED_DECK_PATH, startHost, type RunningHost } from '../start-host.ts';

const SEED = 0x8583_f022;
const CONNECTIONS = 4;
const FRAMES_PER_CONNECTION = 26_000;
const FRAMES_PER_WRITE = 250;
const BROKEN_PREFIX_CONNECTIONS = 120;
const MAX_FRAME_BYTES = 8192;

const packager = createPackager(PROFILE_FIELDS);
const deck = loadCardDeck(BUNDLED_DECK_PATH);
const card = (id: string): TestDeckCard => deck.cards.find((candidate) => candidate.id === id)!;

/** mulberry32: small, fast, and the same sequence on every run for one seed. */
function seededRandom(seed: number) {
  let state = seed >>> 0;
  const next = (): number => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
  const int = (below: number): number => Math.floor(next() * below);
  return {
    int,
    chance: (p: number) => next() < p,
    pick: <T>(items: readonly T[]): T => items[int(items.length)]!,
    bytes: (length: number): Buffer => Buffer.from(Array.from({ length }, () => int(256))),
    digits: (length: number): string => Array.from({ length }, () => int(10)).join(''),
    printable: (length: number): string => String.fromCharCode(...Array.from({ length }, () => 0x20 + int(95))),
  };
}
type Random = ReturnType<typeof seededRandom>;

/** Valid requests of every type the host handles, as the station would send them. */
function baseRequests(): IsoMessage[] {
  const common = { 7: '1121101530', 12: '181530', 13: '1121', 22: '021', 25: '00', 42: '898310048160001', 49: '156' };
  const purchases = ['unionpay-debit-approved', 'visa-credit', 'mastercard-2series-credit', 'unionpay-low-balance', 'unionpay-lost', 'unionpay-expired'].flatMap((id, index) =>
    [0, 1, 2, 3].map((n) => purchaseFor(card(id), { terminalId: `FUZZ000${n}`, stan: String(index * 10 + n + 1).padStart(6, '0'), amountMinor: 100 + n })),
  );
  const balanceInquiry = purchaseFor(card('visa-credit'), { terminalId: 'FUZZ0001', stan: '000201' });
  balanceInquiry.fields.set(3, '310000');
  balanceInquiry.fields.set(4, '000000000000');
  const refund = purchaseFor(card('unionpay-debit-approved'), { terminalId: 'FUZZ0002', stan: '000301' });
  refund.fields.set(3, '200000');
  refund.fields.set(37, '632510000001');
  refund.fields.delete(52);
  refund.fields.delete(53);
  return [
    ...purchases,
    balanceInquiry,
    refund,
    createMessage('0800', { 7: '1121101530', 11: '000401', 41: 'FUZZ0003', 70: '301' }),
    createMessage('0800', { 7: '1121101530', 11: '000402', 41: 'FUZZ0003', 70: '001' }),
    createMessage('0400', { ...common, 2: card('visa-credit').pan, 3: '000000', 4: '000000000101', 11: '000002', 39: '68', 41: 'FUZZ0001', 90: `0200000002${'1121101530'}${'0'.repeat(22)}` }),
    createMessage('0500', { 3: '920000', 7: '1121230000', 11: '000501', 41: 'FUZZ0000', 42: common[42], 49: '156', 60: '000001', 74: '0000000000', 76: '0000000004', 86: '0000000000000000', 88: '0000000000000406', 97: 'D0000000000000406' }),
    createMessage('0320', { ...common, 2: card('visa-credit').pan, 3: '000000', 4: '000000000101', 11: '000601', 37: '632510000002', 38: '123456', 39: '00', 41: 'FUZZ0001', 60: '0200000002000001' }),
  ];
}

const FIELD_NUMBERS = [...PROFILE_FIELDS.keys()];

/** Digits (valid in every text type) or bytes, of a length the field's spec allows. */
function wellFormedValue(field: number, random: Random): FieldValue {
  const spec = PROFILE_FIELDS.get(field)!;
  // A BER-TLV field (DE55) is well formed only as TLV of its subfields.
  if (spec.tlv) return buildTlv([['9F36', random.bytes(2)]]);
  const length = spec.prefix === 'fixed' ? spec.length : random.int(spec.length + 1);
  return spec.type === 'b' ? random.bytes(length) : random.digits(length);
}

/** A field-level change that still packs: absurd values, wrong types of request, missing fields. */
function mutateMessage(base: IsoMessage, random: Random): IsoMessage {
  const message: IsoMessage = { mti: base.mti, fields: new Map(base.fields) };
  // Mostly a new STAN, so the change is decided on its merits rather than answered 94 as a repeat.
  if (random.chance(0.8)) message.fields.set(11, random.digits(6));
  const changes = 1 + random.int(3);
  for (let i = 0; i < changes; i++) {
    const fields = [...message.fields.keys()];
    const set = (field: number, value: FieldValue) => message.fields.set(field, value);
    switch (random.int(10)) {
      case 0:
        message.mti = random.pick(['0100', '0200', '0220', '0400', '0401', '0420', '0500', '0320', '0800', '0820', '0210', '1200', '0000']);
        break;
      case 1:
        set(3, random.pick(['000000', '310000', '200000', '920000', '960000', random.digits(6)]));
        break;
      case 2:
        set(4, random.digits(12));
        break;
      case 3:
        set(11, random.digits(6));
        break;
      case 4:
        set(41, random.chance(0.5) ? `FUZZ000${random.int(10)}` : random.printable(8));
        break;
      case 5:
        if (fields.length > 0) message.fields.delete(random.pick(fields));
        break;
      case 6: {
        // A digit or the separator changed somewhere in track 2: a CVV, expiry or PAN that no longer agrees.
        const track = getText(message, 35) ?? `${card('visa-credit').pan}=31061018640012345`;
        const at = random.int(track.length);
        set(35, track.slice(0, at) + random.pick(['0', '5', '9', '=']) + track.slice(at + 1));
        break;
      }
      case 7:
        set(52, random.bytes(8));
        break;
      case 8:
        set(53, random.bytes(10));
        break;
      default: {
        // Any field of the profile, present or not, with a well-formed but arbitrary value.
        const field = random.pick(FIELD_NUMBERS);
        set(field, wellFormedValue(field, random));
      }
    }
  }
  return message;
}

/** A byte-level change to a packed message. */
function mutateBytes(packed: Buffer, random: Random): Buffer {
  const bytes = Buffer.from(packed);
  const at = () => random.int(bytes.length);
  switch (random.int(9)) {
    case 0: {
      const flips = 1 + random.int(4);
      for (let i = 0; i < flips; i++) bytes[at()]! ^= 1 << random.int(8);
      return bytes;
    }
    case 1:
      return bytes.subarray(0, 1 + random.int(bytes.length - 1));
    case 2:
      return Buffer.concat([bytes, random.bytes(1 + random.int(20))]);
    case 3: {
      const position = at();
      return Buffer.concat([bytes.subarray(0, position), random.bytes(1 + random.int(3)), bytes.subarray(position)]);
    }
    case 4: {
      const position = at();
      return Buffer.concat([bytes.subarray(0, position), bytes.subarray(position + 1 + random.int(4))]);
    }
    case 5: {
      const position = at();
      random.bytes(1 + random.int(16)).copy(bytes, position);
      return bytes;
    }
    case 6:
      // A digit for a digit: often lands in an LL/LLL length prefix, so the field lengths go wrong.
      bytes[at()] = 0x30 + random.int(10);
      return bytes;
    case 7:
      // The bitmap(s): random bits, a secondary bitmap flagged but absent, or fields the profile lacks.
      if (random.chance(0.5)) random.bytes(8).copy(bytes, 4);
      else bytes[4 + random.int(8)]! |= 0x80 >> random.int(8);
      return bytes;
    default:
      (random.chance(0.5) ? Buffer.from(random.digits(4)) : random.bytes(4)).copy(bytes, 0);
      return bytes;
  }
}

function nextFrame(bases: readonly Buffer[], baseMessages: readonly IsoMessage[], random: Random): Buffer {
  let frame: Buffer;
  const kind = random.int(100);
  if (kind < 20) frame = random.chance(0.3) ? Buffer.concat([Buffer.from(random.pick(['0200', '0800', '0400'])), random.bytes(random.int(300))]) : random.bytes(1 + random.int(512));
  else if (kind < 45) {
    frame = packedOrMutated(mutateMessage(random.pick(baseMessages), random), bases, random);
    if (random.chance(0.3)) frame = mutateBytes(frame, random);
  } else frame = mutateBytes(random.pick(bases), random);
  return frame.length === 0 || frame.length > MAX_FRAME_BYTES ? Buffer.from('0') : frame;
}

/** The mutated message packed; one the packager refuses to build (a 0210 carrying a request's DE55) becomes mutated bytes instead. */
function packedOrMutated(message: IsoMessage, bases: readonly Buffer[], random: Random): Buffer {
  try {
    return packager.pack(message);
  } catch (error) {
    if (!(error instanceof IsoFormatError)) throw error;
    return mutateBytes(random.pick(bases), random);
  }
}

/** The answer the host owes a frame, if any: its key and whether it must be a format error. */
function expectedAnswer(frame: Buffer): { key: string; formatError: boolean } | undefined {
  let message: IsoMessage;
  try {
    message = packager.unpack(frame);
  } catch (error) {
    if (!(error instanceof IsoFormatError)) throw error;
    const { mti, stan, tid } = packager.peekIdentity(frame);
    if (mti === undefined || stan === undefined || tid === undefined || !isRequestMti(mti)) return undefined;
    return { key: `${responseMti(mti)}|${stan}|${tid}`, formatError: true };
  }
  if (!isRequestMti(message.mti)) return undefined;
  return { key: `${responseMti(message.mti)}|${getText(message, 11) ?? '-'}|${getText(message, 41) ?? '-'}`, formatError: false };
}

interface Tally {
  frames: number;
  formatErrorsOwed: number;
  decisionsOwed: number;
  byKey: Map<string, { formatErrors: number; decisions: number }>;
}

/** One pipelined connection: sends its frames in batches, then an echo as a sentinel that comes back last. */
async function fuzzConnection(port: number, random: Random, bases: readonly Buffer[], baseMessages: readonly IsoMessage[], index: number): Promise<{ tally: Tally; answers: IsoMessage[] }> {
  const socket = net.connect({ host: '127.0.0.1', port });
  await once(socket, 'connect');
  const tally: Tally = { frames: 0, formatErrorsOwed: 0, decisionsOwed: 0, byKey: new Map() };
  const answers: IsoMessage[] = [];
  const decoder = new FrameDecoder();
  const done = new Promise<void>((resolve, reject) => {
    socket.on('data', (chunk) => {
      for (const frame of decoder.push(chunk)) {
        const answer = packager.unpack(frame);
        if (answer.mti === '0810' && getText(answer, 11) === '999999' && getText(answer, 41) === `FUZZEND${index}`) resolve();
        else answers.push(answer);
      }
    });
    socket.on('close', () => reject(new Error(`fuzz connection ${index} was closed by the host`)));
  });
  // Awaited below; this only keeps a close after the test ended from being an unhandled rejection.
  done.catch(() => {});
  socket.on('error', () => {});

  for (let sent = 0; sent < FRAMES_PER_CONNECTION; sent += FRAMES_PER_WRITE) {
    const batch: Buffer[] = [];
    for (let i = 0; i < FRAMES_PER_WRITE; i++) {
      const frame = nextFrame(bases, baseMessages, random);
      const owed = expectedAnswer(frame);
      tally.frames++;
      if (owed !== undefined) {
        const counts = tally.byKey.get(owed.key) ?? { formatErrors: 0, decisions: 0 };
        if (owed.formatError) {
          counts.formatErrors++;
          tally.formatErrorsOwed++;
        } else {
          counts.decisions++;
          tally.decisionsOwed++;
        }
        tally.byKey.set(owed.key, counts);
      }
      batch.push(encodeFrame(frame));
    }
    if (!socket.write(Buffer.concat(batch))) await once(socket, 'drain');
  }
  socket.write(encodeFrame(packager.pack(createMessage('0800', { 11: '999999', 41: `FUZZEND${index}`, 70: '301' }))));
  await done;
  socket.destroy();
  return { tally, answers };
}

/** A connection whose frame length prefix is broken: too long for the host, or a frame that never ends. */
async function brokenPrefixConnection(port: number, random: Random, bases: readonly Buffer[]): Promise<void> {
  const socket = net.connect({ host: '127.0.0.1', port });
  socket.on('error', () => {});
  await once(socket, 'connect');
  // Answers to a valid frame sent first are not read, but must be drained for 'close' to come.
  socket.resume();
  const closed = once(socket, 'close');
  if (random.chance(0.5)) socket.write(encodeFrame(random.pick(bases)));
  const header = Buffer.alloc(2);
  switch (random.int(3)) {
    case 0:
      header.writeUInt16BE(MAX_FRAME_BYTES + 1 + random.int(0xffff - MAX_FRAME_BYTES));
      socket.write(Buffer.concat([header, random.bytes(random.int(64))]));
      break;
    case 1:
      // Announces more than it sends, then hangs up mid-frame.
      header.writeUInt16BE(200 + random.int(400));
      socket.end(Buffer.concat([header, random.pick(bases).subarray(0, 100)]));
      break;
    default:
      // Half a length prefix, then nothing.
      socket.end(Buffer.from([random.int(256)]));
  }
  await closed;
}

let dataDir: string;
let host: RunningHost;

beforeAll(async () => {
  dataDir = mkdtempSync(join(tmpdir(), 'host-fuzz-'));
  // Plain TCP: the fuzz is aimed at the framing and the packager, which TLS only wraps.
  host = await startHost({ dataDir, port: 0, log: () => {}, transport: 'plain' });
});

afterAll(async () => {
  await host.close();
  rmSync(dataDir, { recursive: true, force: true });
});

describe('host under fuzzed input over TCP', () => {
  it(`answers or drops ${CONNECTIONS * FRAMES_PER_CONNECTION} random and mutated frames as it should, closes broken prefixes, and still approves afterwards`, { timeout: 180_000 }, async () => {
    const random = seededRandom(SEED);
    const baseMessages = baseRequests();
    const bases = baseMessages.map((message) => packager.pack(message));

    const [results] = await Promise.all([
      Promise.all(Array.from({ length: CONNECTIONS }, (_, index) => fuzzConnection(host.port, seededRandom(SEED + index + 1), bases, baseMessages, index))),
      (async () => {
        for (let i = 0; i < BROKEN_PREFIX_CONNECTIONS; i++) await brokenPrefixConnection(host.port, random, bases);
      })(),
    ]);

    let frames = 0;
    let formatErrors = 0;
    let decisions = 0;
    for (const [index, { tally, answers }] of results.entries()) {
      frames += tally.frames;
      formatErrors += tally.formatErrorsOwed;
      decisions += tally.decisionsOwed;
      const received = new Map<string, { total: number; formatErrors: number }>();
      for (const answer of answers) {
        const key = `${answer.mti}|${getText(answer, 11) ?? '-'}|${getText(answer, 41) ?? '-'}`;
        const counts = received.get(key) ?? { total: 0, formatErrors: 0 };
        counts.total++;
        if (getText(answer, 39) === '30') counts.formatErrors++;
        received.set(key, counts);
      }
      expect(answers.length, `connection ${index}: answers`).toBe(tally.formatErrorsOwed + tally.decisionsOwed);
      for (const [key, owed] of tally.byKey) {
        const got = received.get(key) ?? { total: 0, formatErrors: 0 };
        expect(got.total, `connection ${index}, ${key}: answers`).toBe(owed.formatErrors + owed.decisions);
        expect(got.formatErrors, `connection ${index}, ${key}: answers 30`).toBeGreaterThanOrEqual(owed.formatErrors);
      }
    }
    expect(frames).toBeGreaterThanOrEqual(100_000);
    // The mix exercised both paths in earnest, not just the drop of unreadable junk.
    expect(formatErrors).toBeGreaterThan(10_000);
    expect(decisions).toBeGreaterThan(10_000);

    const channel = await connectIsoChannel({ host: '127.0.0.1', port: host.port, packager });
    try {
      const response = await new IsoMux(channel).request(purchaseFor(card('jcb-credit'), { terminalId: 'FRESH001', stan: '000001' }), { timeoutMs: 30_000 });
      expect(getText(response, 39)).toBe('00');
    } finally {
      channel.destroy();
    }
  });
});
