/**
 * Chip benchmark (`npm run bench:emv`), five runs of each measure, reported as the median of the
 * runs and their spread (min–max), since this shared 2-core machine is noisy:
 *
 *   1. contactless time in the field: a virtual card enters the virtual CCID reader's field, the
 *      station's CCID driver (USB transfer level) and the contactless kernel run PPSE, SELECT, GPO
 *      (the card computes its ARQC) and READ RECORD, until "remove card"; p50 / p95 per run;
 *   2. tap → approved, station side: the same tap through to the bundled host's answer over TCP
 *      (the host in its own process), one terminal; p50 / p95 per run;
 *   2b. insert → approved, excluding PIN typing: the contact kernel (selection, GPO, records,
 *      restrictions, CVM, first GENERATE AC, online with a DUKPT PIN block the pad has ready, the
 *      host's ARPC by EXTERNAL AUTHENTICATE, second GENERATE AC); the bench cards carry no ODA
 *      certificates (their PANs are generated), so DDA's RSA is not in this figure; p50 / p95 per run;
 *   3. host ARQC verifications per second at 64 connections: chip 0200s (DE55 with a real ARQC,
 *      iCVV in DE35, no PIN: a tap under the CVM limit), each ATC fresh, through the whole purchase
 *      path (card checks, option A + PBOC session key + MAC, ATC register, risk rules, ledger
 *      commit); next to it the existing swipe purchase (PIN block, DUKPT) at 64 connections.
 * Goals: field ≤ 100 ms (EMV's is 500 ms), tap → approved p95 ≤ 300 ms, ≥ 5,000 ARQC checks/s.
 *
 * With --profile only the chip load runs, the host under --cpu-prof, and the report says where the
 * host's time went per ARQC verification.
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import { loadHostConfig } from '../bank/config/host-config.ts';
import { createCvkTable } from '../bank/issuer/card-checks/cvk-table.ts';
import { computeCvv } from '../bank/issuer/card-checks/cvv.ts';
import { BUNDLED_CONFIG_PATH } from '../bank/start-host.ts';
import { money } from '../common/money.ts';
import type { TestDeckCard } from '../common/test-deck.ts';
import { loadChipCardImages } from '../payments/emv/card/chip-card-images.ts';
import type { ChipCardImage } from '../payments/emv/card/card-image.ts';
import { memoryCardStateStore, VirtualEmvCard } from '../payments/emv/card/virtual-emv-card.ts';
import { CRYPTOGRAM_VERSIONS } from '../payments/emv/crypto/cryptogram-versions.ts';
import { authorizationResponseOf, chipRequestFields } from '../payments/emv/iso8583-chip-fields.ts';
import { loadCaPublicKeys } from '../payments/emv/kernel/ca-public-keys.ts';
import { runContactTransaction } from '../payments/emv/kernel/contact-kernel.ts';
import { runContactlessTransaction } from '../payments/emv/kernel/contactless-kernel.ts';
import type { AuthorizationPort, KernelPorts } from '../payments/emv/kernel/ports.ts';
import { CHINA_TERMINAL_DEFAULTS } from '../payments/emv/kernel/terminal-config.ts';
import { buildTlv } from '../payments/emv/tlv.ts';
import { connectIsoChannel } from '../payments/iso8583/channel.ts';
import { createMessage, getText, type IsoMessage } from '../payments/iso8583/message.ts';
import { IsoMux } from '../payments/iso8583/mux.ts';
import { createPackager } from '../payments/iso8583/packager.ts';
import { PROFILE_FIELDS } from '../payments/iso8583/profile.ts';
import { openSlot } from '../peripherals/ccid/ccid-card-transport.ts';
import { CcidReaderDriver } from '../peripherals/ccid/ccid-driver.ts';
import { CONTACT_SLOT, CONTACTLESS_SLOT, VirtualCcidReader } from '../peripherals/ccid/virtual-ccid-reader.ts';
import { encryptPinTdesDukpt } from '../payments/crypto/dukpt-tdes.ts';
import { nextKsn } from '../payments/crypto/ksn.ts';
import { writeBenchFixtures } from './bench-fixtures.ts';
import { pinPadFor, purchasesFor } from './bench-requests.ts';
import { runClosedLoop, type LoadResult } from './closed-loop.ts';
import { startHostProcess } from './host-process.ts';
import { summarizeCpuProfile } from './cpu-profile-summary.ts';
import { processCpuSeconds } from './process-cpu.ts';

const RUNS = 5;
const TAPS_PER_RUN = 200;
const INSERTS_PER_RUN = 100;
const CONNECTIONS = 64;
const PER_CONNECTION = 600;
const WARMUP_MS = 500;
const MEASURE_MS = 2_000;
const CARDS = 4_096;
const GOALS = { fieldP95Ms: 100, tapApprovedP95Ms: 300, arqcPerSecond: 5_000 };
const DEADLINE_MS = 240_000;

const deadline = setTimeout(() => {
  process.stderr.write(`benchmark exceeded ${DEADLINE_MS / 1000} s; stopping\n`);
  process.exit(1);
}, DEADLINE_MS);
deadline.unref();

const packager = createPackager(PROFILE_FIELDS);
const caKeys = loadCaPublicKeys();
const template = loadChipCardImages(join(import.meta.dirname, '..', 'bank', 'deck', 'chip-cards.json')).find((card) => card.cardId === 'unionpay-chip-debit')!;
const hostConfig = loadHostConfig(BUNDLED_CONFIG_PATH);
const cvkTable = createCvkTable(hostConfig.cardSecurity.cvks.map(({ binPrefix, cvk }) => ({ binPrefix, cvk: Buffer.from(cvk, 'hex') })));
const issuerKeys = hostConfig.chip.issuerMasterKeys.find((entry) => entry.binPrefix === '621234')!;

/** A bench deck card personalised as a contactless UnionPay card (its issuer's keys, its iCVV; no ODA for online taps). */
function benchImage(card: TestDeckCard): ChipCardImage {
  const derive = (key: string) => CRYPTOGRAM_VERSIONS['unionpay-cvn01'].iccMasterKey(Buffer.from(key, 'hex'), card.pan, '01').toString('hex').toUpperCase();
  const icvv = computeCvv(cvkTable.cvkFor(card.pan)!, { pan: card.pan, expiry: card.expiry, serviceCode: '999' });
  const { oda: _oda, ...rest } = template;
  return {
    ...rest,
    cardId: card.id,
    pan: card.pan,
    expiry: `${card.expiry}31`,
    track2Equivalent: `${card.pan}D${card.expiry}${card.serviceCode}${icvv}0000000`,
    keys: { ac: derive(issuerKeys.ac), smi: derive(issuerKeys.smi), smc: derive(issuerKeys.smc) },
  };
}
const { values: flags } = parseArgs({ options: { profile: { type: 'boolean' } } });
const dir = mkdtempSync(join(tmpdir(), 'emv-bench-'));
const fixtures = writeBenchFixtures(dir, CARDS);
const profileDir = flags.profile ? join(dir, 'profile') : undefined;

function percentile(sorted: readonly number[], q: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]!;
}

/** p50 and p95 of sorted times; none when nothing was approved. */
const p50p95 = (sorted: readonly number[]) => (sorted.length === 0 ? { p50: Number.NaN, p95: Number.NaN } : { p50: percentile(sorted, 0.5), p95: percentile(sorted, 0.95) });

const median = (values: readonly number[]) => (values.length === 0 ? Number.NaN : [...values].sort((a, b) => a - b)[values.length >> 1]!);

/** Taps one card TAPS_PER_RUN times; the field time ends at "remove card", the whole tap at the answer. */
async function tapRun(authorization: AuthorizationPort, cards: readonly TestDeckCard[]): Promise<{ field: number[]; approved: number[]; declined: number }> {
  const reader = new VirtualCcidReader();
  const driver = new CcidReaderDriver(reader);
  await driver.open();
  const store = memoryCardStateStore();
  const field: number[] = [];
  const approved: number[] = [];
  let declined = 0;
  for (let i = 0; i < TAPS_PER_RUN; i++) {
    reader.tap(new VirtualEmvCard(benchImage(cards[i % cards.length]!), store));
    const start = performance.now();
    const session = await openSlot(driver, CONTACTLESS_SLOT);
    let readAt = start;
    const ports: KernelPorts = {
      card: session,
      pin: { enterOnlinePin: async () => ({ kind: 'cancelled' }) },
      choose: { choose: async () => 0 },
      messages: { show: () => undefined },
      authorization,
    };
    const outcome = await runContactlessTransaction({ amount: money(2_500, 'CNY'), config: CHINA_TERMINAL_DEFAULTS, caKeys, ports, signal: new AbortController().signal, onCardRead: () => (readAt = performance.now()) });
    const end = performance.now();
    await session.end();
    reader.remove(CONTACTLESS_SLOT);
    field.push(readAt - start);
    if (outcome.kind === 'approved') approved.push(end - start);
    else declined++;
  }
  await driver.close();
  return { field: field.sort((a, b) => a - b), approved: approved.sort((a, b) => a - b), declined };
}

/** Inserts one card at a time INSERTS_PER_RUN times, to the host's answer and the card's TC; the PIN block is ready when asked. */
async function insertRun(authorization: AuthorizationPort, cards: readonly TestDeckCard[], terminal: number): Promise<{ approved: number[]; declined: number }> {
  const reader = new VirtualCcidReader();
  const driver = new CcidReaderDriver(reader);
  await driver.open();
  const store = memoryCardStateStore();
  const pinPad = pinPadFor(terminal);
  let ksn = pinPad.ksn;
  const approved: number[] = [];
  let declined = 0;
  for (let i = 0; i < INSERTS_PER_RUN; i++) {
    const card = cards[i % cards.length]!;
    reader.insert(new VirtualEmvCard(benchImage(card), store));
    ksn = nextKsn(ksn);
    const pinBlock = encryptPinTdesDukpt({ ipek: pinPad.ipek, ksn, pin: card.pin, pan: card.pan });
    const start = performance.now();
    const session = await openSlot(driver, CONTACT_SLOT);
    const ports: KernelPorts = {
      card: session,
      pin: { enterOnlinePin: async () => ({ kind: 'entered', pinBlock, ksn }) },
      choose: { choose: async () => 0 },
      messages: { show: () => undefined },
      authorization,
    };
    const outcome = await runContactTransaction({ amount: money(2_500, 'CNY'), config: CHINA_TERMINAL_DEFAULTS, caKeys, ports, signal: new AbortController().signal });
    const end = performance.now();
    await session.end();
    reader.remove(CONTACT_SLOT);
    if (outcome.kind === 'approved') approved.push(end - start);
    else declined++;
  }
  await driver.close();
  return { approved: approved.sort((a, b) => a - b), declined };
}

/** Chip 0200s as a tap under the CVM limit sends them, for the bench deck's cards (BIN 621234, its issuer keys). */
function chipPurchases(tid: string, cards: readonly TestDeckCard[], count: number, atcs: Map<string, number>): IsoMessage[] {
  const keys = issuerKeys;
  const cvks = cvkTable;
  const version = CRYPTOGRAM_VERSIONS['unionpay-cvn01'];
  const aip = Buffer.from('1800', 'hex');
  // Per card, not per message: the card's key and iCVV never change.
  const perCard = new Map<string, { mkAc: Buffer; icvv: string }>();
  const cardData = (card: TestDeckCard) => {
    let known = perCard.get(card.id);
    if (!known) {
      known = { mkAc: version.iccMasterKey(Buffer.from(keys.ac, 'hex'), card.pan, '01'), icvv: computeCvv(cvks.cvkFor(card.pan)!, { pan: card.pan, expiry: card.expiry, serviceCode: '999' }) };
      perCard.set(card.id, known);
    }
    return known;
  };
  return Array.from({ length: count }, (_, index) => {
    const card = cards[index % cards.length]!;
    const atc = (atcs.get(card.id) ?? 0) + 1;
    atcs.set(card.id, atc);
    const { mkAc, icvv } = cardData(card);
    const amount = 100 + (index % 50);
    const data = {
      amount: Buffer.from(String(amount).padStart(12, '0'), 'hex'),
      amountOther: Buffer.alloc(6),
      terminalCountry: Buffer.from('0156', 'hex'),
      tvr: Buffer.alloc(5),
      currency: Buffer.from('0156', 'hex'),
      date: Buffer.from('261121', 'hex'),
      type: Buffer.from([0x00]),
      unpredictableNumber: randomBytes(4),
      aip,
      atc: Buffer.from([atc >> 8, atc & 0xff]),
      iad: version.issuerApplicationData(0x01, Buffer.from([0x03, 0xa0, 0x00, 0x00])),
    };
    const iccData = buildTlv([
      ['9F26', version.applicationCryptogram(mkAc, data)], ['9F27', Buffer.from([0x80])], ['9F10', data.iad], ['9F37', data.unpredictableNumber], ['9F36', data.atc],
      ['95', data.tvr], ['9A', data.date], ['9C', data.type], ['9F02', data.amount], ['9F03', data.amountOther], ['5F2A', data.currency], ['82', aip],
      ['9F1A', data.terminalCountry], ['9F33', Buffer.from(CHINA_TERMINAL_DEFAULTS.capabilities, 'hex')], ['9F34', Buffer.from('1F0002', 'hex')], ['9F35', Buffer.from([0x22])], ['84', Buffer.from('A000000333010101', 'hex')],
    ]);
    return createMessage('0200', {
      ...chipRequestFields({ entryMode: 'contactless', pan: card.pan, expiry: card.expiry, track2Equivalent: `${card.pan}D${card.expiry}${card.serviceCode}${icvv}0000000`, panSequenceNumber: '01', iccData, amount: money(amount, 'CNY'), pin: undefined }),
      3: '000000', 4: String(amount).padStart(12, '0'), 7: '1121101530', 11: String(index + 1).padStart(6, '0'), 12: '101530', 13: '1121', 25: '00', 41: tid, 42: '898310048160001', 49: '156',
    });
  });
}

/**
 * One closed-loop level against the host; besides the rate, the host's own CPU time per answer
 * (from /proc), which says what an authorization costs the host however loaded the machine is.
 */
async function loadLevel(port: number, hostPid: number, queues: IsoMessage[][]): Promise<{ result: LoadResult; codes: Map<string, number>; hostCpuMsPerAnswer: number }> {
  const muxes = await Promise.all(queues.map(async () => new IsoMux(await connectIsoChannel({ host: '127.0.0.1', port, packager }))));
  const positions = new Array<number>(queues.length).fill(0);
  const codes = new Map<string, number>();
  let answers = 0;
  const cpuBefore = processCpuSeconds(hostPid);
  try {
    const result = await runClosedLoop({
      muxes,
      next: (index) => queues[index]![positions[index]!++],
      warmupMs: WARMUP_MS,
      measureMs: MEASURE_MS,
      onAnswer(answer, measured) {
        answers++;
        if (measured) codes.set(getText(answer, 39) ?? '-', (codes.get(getText(answer, 39) ?? '-') ?? 0) + 1);
      },
    });
    return { result, codes, hostCpuMsPerAnswer: ((processCpuSeconds(hostPid) - cpuBefore) * 1000) / Math.max(1, answers) };
  } finally {
    for (const mux of muxes) mux.channel.destroy();
  }
}

// --- run -------------------------------------------------------------------------------------
// Plain TCP: this benchmark measures the chip checks, and its figures stay comparable with earlier
// runs; what TLS adds to each message is bench:host's to measure.
const host = await startHostProcess({ ...fixtures, plain: true, ...(profileDir === undefined ? {} : { cpuProfileDir: profileDir }) });
const mux = new IsoMux(await connectIsoChannel({ host: '127.0.0.1', port: host.port, packager }));
let stan = 0;
/** The station's 0200 around the kernel's request, from terminal `tid`, to the bundled host. */
const authorizationFrom = (tid: string): AuthorizationPort => ({
  async authorize(request) {
    const message = createMessage('0200', {
      ...chipRequestFields(request),
      3: '000000', 4: String(request.amount.amountMinor).padStart(12, '0'), 7: '1121101530', 11: String(++stan % 1_000_000).padStart(6, '0'), 12: '101530', 13: '1121', 25: '00', 41: tid, 42: '898310048160001', 49: '156',
    });
    return authorizationResponseOf(await mux.request(message, { timeoutMs: 10_000 }));
  },
});
const hostAuthorization = authorizationFrom('BENCHTAP');
const insertAuthorization = authorizationFrom('BENCHINS');
const insertRuns: { p50: number; p95: number; declined: number }[] = [];
const fieldRuns: { p50: number; p95: number }[] = [];
const tapRuns: { p50: number; p95: number; declined: number }[] = [];
// Taps use the last cards of the bench deck, one card a tap, so no card meets a velocity rule; the
// ARQC load below uses the others.
const tapCards = fixtures.cards.slice(-RUNS * TAPS_PER_RUN);
const insertCards = fixtures.cards.slice(-RUNS * (TAPS_PER_RUN + INSERTS_PER_RUN), -RUNS * TAPS_PER_RUN);
for (let run = 0; run < (profileDir === undefined ? RUNS : 0); run++) {
  const offline = await tapRun({ authorize: async () => ({ kind: 'response', responseCode: '00' }) }, tapCards);
  fieldRuns.push({ p50: percentile(offline.field, 0.5), p95: percentile(offline.field, 0.95) });
  const online = await tapRun(hostAuthorization, tapCards.slice(run * TAPS_PER_RUN, (run + 1) * TAPS_PER_RUN));
  tapRuns.push({ ...p50p95(online.approved), declined: online.declined });
  const inserted = await insertRun(insertAuthorization, insertCards.slice(run * INSERTS_PER_RUN, (run + 1) * INSERTS_PER_RUN), 900 + run);
  insertRuns.push({ ...p50p95(inserted.approved), declined: inserted.declined });
}
mux.channel.destroy();

const chipRuns: { perSecond: number; codes: Map<string, number>; cpuMs: number }[] = [];
const swipeRuns: { perSecond: number; cpuMs: number }[] = [];
const atcs = new Map<string, number>();
const loadCards = fixtures.cards.slice(0, fixtures.cards.length - RUNS * (TAPS_PER_RUN + INSERTS_PER_RUN));
const perTerminal = Math.floor(loadCards.length / CONNECTIONS);
for (let run = 0; run < RUNS; run++) {
  const chipQueues = Array.from({ length: CONNECTIONS }, (_, index) => chipPurchases(`C${run}T${String(index).padStart(2, '0')}XX`.slice(0, 8), loadCards.slice(index * perTerminal, (index + 1) * perTerminal), PER_CONNECTION, atcs));
  const chip = await loadLevel(host.port, host.child.pid!, chipQueues);
  chipRuns.push({ perSecond: chip.result.perSecond, codes: chip.codes, cpuMs: chip.hostCpuMsPerAnswer });
  if (profileDir !== undefined) break;
  const swipeQueues = Array.from({ length: CONNECTIONS }, (_, index) => purchasesFor(`S${run}T${String(index).padStart(2, '0')}XX`.slice(0, 8), 100 + run * CONNECTIONS + index, loadCards.slice(index * perTerminal, (index + 1) * perTerminal), PER_CONNECTION));
  const swipe = await loadLevel(host.port, host.child.pid!, swipeQueues);
  swipeRuns.push({ perSecond: swipe.result.perSecond, cpuMs: swipe.hostCpuMsPerAnswer });
}
await host.stop();

// --- report ----------------------------------------------------------------------------------
const ms = (value: number) => (Number.isNaN(value) ? '—' : value.toFixed(1));
const spread = (values: number[], format: (value: number) => string) => (values.length === 0 ? 'not run' : `${format(median(values))} (${format(Math.min(...values))}–${format(Math.max(...values))})`);
const count = (value: number) => (Number.isFinite(value) ? Math.round(value).toLocaleString('en-US') : '—');
const cpuMs = (value: number) => value.toFixed(3);
const cpu = cpus();
const out: string[] = [];
out.push(`EMV benchmark: ${cpu.length} × ${cpu[0]?.model ?? 'CPU'}, Node ${process.version}; ${RUNS} runs each, median (min–max)`);
out.push('');
out.push(`Contactless time in the field, virtual card → CCID over USB → kernel, ${TAPS_PER_RUN} taps a run`);
out.push(`  p50 ms   ${spread(fieldRuns.map((run) => run.p50), ms)}`);
out.push(`  p95 ms   ${spread(fieldRuns.map((run) => run.p95), ms)}`);
out.push(`Tap → answer from the bundled host over TCP (one terminal), ${TAPS_PER_RUN} taps a run`);
out.push(`  p50 ms   ${spread(tapRuns.map((run) => run.p50), ms)}`);
out.push(`  p95 ms   ${spread(tapRuns.map((run) => run.p95), ms)}`);
out.push(`  answers other than approved: ${tapRuns.map((run) => run.declined).join(', ')}`);
out.push(`Insert → approved (TC) with the bundled host over TCP, excluding PIN typing, no ODA, ${INSERTS_PER_RUN} inserts a run`);
out.push(`  p50 ms   ${spread(insertRuns.map((run) => run.p50), ms)}`);
out.push(`  p95 ms   ${spread(insertRuns.map((run) => run.p95), ms)}`);
out.push(`  outcomes other than approved: ${insertRuns.map((run) => run.declined).join(', ')}`);
out.push(`Host at ${CONNECTIONS} connections, authorizations/s`);
out.push(`  chip 0200, ARQC verified (no PIN)   ${spread(chipRuns.map((run) => run.perSecond), count)}   answers: ${[...chipRuns.at(-1)!.codes].map(([code, n]) => `${code}:${n}`).join(' ')}`);
out.push(`  swipe 0200 with DUKPT PIN (peer)    ${spread(swipeRuns.map((run) => run.perSecond), count)}`);
out.push(`Host CPU per authorization (its own user + system time over every answer of the level), ms`);
out.push(`  chip 0200                           ${spread(chipRuns.map((run) => run.cpuMs), cpuMs)}   = ${count(1000 / median(chipRuns.map((run) => run.cpuMs)))}/s per host core`);
out.push(`  swipe 0200 (peer)                   ${spread(swipeRuns.map((run) => run.cpuMs), cpuMs)}   = ${count(1000 / median(swipeRuns.map((run) => run.cpuMs)))}/s per host core`);
out.push(`Load average (1, 5, 15 min) at the end: ${loadavg().map((value) => value.toFixed(1)).join(', ')}`);
out.push('');
const target = (label: string, figure: string, pass: boolean) => `  ${label.padEnd(52)}${figure.padStart(14)}  ${pass ? 'PASS' : 'MISS'}`;
const fieldP95 = median(fieldRuns.map((run) => run.p95));
const tapP95 = median(tapRuns.map((run) => run.p95));
const arqc = median(chipRuns.map((run) => run.perSecond));
out.push('Targets (medians)');
out.push(target(`time in the field p95 ≤ ${GOALS.fieldP95Ms} ms`, `${ms(fieldP95)} ms`, fieldP95 <= GOALS.fieldP95Ms));
out.push(target(`tap → approved p95 ≤ ${GOALS.tapApprovedP95Ms} ms`, `${ms(tapP95)} ms`, tapP95 <= GOALS.tapApprovedP95Ms));
out.push(target(`ARQC verifications ≥ ${count(GOALS.arqcPerSecond)}/s at ${CONNECTIONS} connections`, `${count(arqc)}/s`, arqc >= GOALS.arqcPerSecond));
if (profileDir !== undefined) {
  const file = readdirSync(profileDir).find((name) => name.endsWith('.cpuprofile'));
  if (file === undefined) out.push('', 'no CPU profile was written');
  else {
    const summary = summarizeCpuProfile(join(profileDir, file), 25);
    out.push('', `Host CPU profile (start-up and one chip load run; busy in ${summary.busyPercent.toFixed(0)}% of samples), self time by area`);
    for (const { name, percent } of summary.areas) out.push(`  ${percent.toFixed(1).padStart(5)}%  ${name}`);
    out.push('Top functions by self time');
    for (const { name, percent } of summary.functions) out.push(`  ${percent.toFixed(1).padStart(5)}%  ${name}`);
  }
}
process.stdout.write(`${out.join('\n')}\n`);
clearTimeout(deadline);
rmSync(dir, { recursive: true, force: true });
