/**
 * PIN entry end to end: the virtual PIN pad at the USB level (injected with an AES DUKPT key), the
 * checkout, the 0200 over TCP, and the bundled host decrypting the block. Also what ends a PIN entry
 * short of a PIN: the pad's timeout and the cashier's cancel, both leaving the pad idle.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { PaymentProgress } from '../../common/payment.ts';
import { getBytes, type IsoMessage } from '../../payments/iso8583/message.ts';
import { memoryKsnStore } from '../../peripherals/pin-pad/ksn-store.ts';
import { aesDukptEncryptor } from '../../peripherals/pin-pad/pin-encryption.ts';
import { startHost, type RunningHost } from '../../bank/start-host.ts';
import { AcquirerLink } from '../acquirer/acquirer-link.ts';
import { demoCatalog } from '../catalog/demo-catalog.ts';
import { CheckoutService } from '../checkout/checkout-service.ts';
import { STATION_PIN_ATTEMPTS } from '../checkout/pin-tries.ts';
import { DEFAULT_STATION_CONFIG } from '../config/station-config.ts';
import { Journal } from '../journal/journal.ts';
import { loadVaultKey } from '../journal/vault-key.ts';
import { loadTestDeck } from '../simulator/test-cards.ts';
import { cardReaderPort } from './card-reader-port.ts';
import { pinPadPort } from './pin-pad-port.ts';
import { createVirtualStationDevices, type StationDevices } from './station-devices.ts';

const deck = loadTestDeck(join(resolve(import.meta.dirname, '..', '..'), 'bank', 'deck', 'test-cards.json'));
const card = (id: string) => deck.find((candidate) => candidate.id === id) ?? expect.fail(`no test card ${id}`);
const config = DEFAULT_STATION_CONFIG;

let host: RunningHost;
let link: AcquirerLink;
let devices: StationDevices;
let journal: Journal;
let checkout: CheckoutService;
const progress: PaymentProgress[] = [];
const sent: IsoMessage[] = [];

beforeAll(async () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'pin-entry-'));
  host = await startHost({ dataDir: join(dataDir, 'bank'), port: 0, log: () => undefined });
  link = new AcquirerLink({ host: host.host, port: host.port, responseTimeoutMs: 10_000 });
  // The AES pad as station.json's virtualPinPad.pinBlockFormat "iso4-aes-dukpt" injects it (test key).
  const aes = aesDukptEncryptor(Buffer.from(config.virtualPinPad.aesInitialKey, 'hex'), memoryKsnStore(Buffer.from(config.virtualPinPad.aesInitialKsn, 'hex')));
  devices = createVirtualStationDevices(aes, { locale: 'en', merchantName: config.merchant.name, merchantId: config.merchant.id, terminalId: config.merchant.terminalId, profile: { widthMm: 80, cjk: 'gb18030' } });
  journal = new Journal(join(dataDir, 'journal.sqlite'), { vaultKey: loadVaultKey(join(dataDir, 'keys', 'pan-vault.key')) });
  checkout = new CheckoutService({
    settings: {
      terminalId: config.merchant.terminalId,
      merchantId: config.merchant.id,
      currency: 'CNY',
      acceptedSchemes: config.acceptedSchemes,
      pinEntryTimeoutSeconds: 60,
      pinAttemptsPerPayment: STATION_PIN_ATTEMPTS,
    },
    catalog: demoCatalog(),
    journal,
    cardReader: cardReaderPort(devices.cardReads),
    pinPad: pinPadPort(devices.pinPad, devices.pinDigits),
    acquirer: {
      request: (message) => {
        sent.push(message);
        return link.request(message);
      },
    },
    reversals: { queue: () => 0 },
    receipts: devices.receipts,
    onProgress: (event) => progress.push(event),
    log: () => undefined,
  });
  await vi.waitUntil(() => devices.statuses().every((status) => status.state === 'ready'), { timeout: 5000 });
});

afterAll(async () => {
  await devices.stop();
  link.close();
  journal.close();
  await host.close();
});

/** Starts a sale and swipes the card; resolves once the pad asks for the PIN. */
async function swipeForPin(cardId: string): Promise<{ paymentId: string; steps: () => PaymentProgress[] }> {
  const { paymentId } = checkout.startPayment([{ sku: 'TEA-001', quantity: 1 }]);
  const steps = () => progress.filter((event) => event.paymentId === paymentId);
  await vi.waitUntil(() => steps().some((event) => event.step === 'present_card'));
  devices.swipe(card(cardId), 'none');
  await vi.waitUntil(() => devices.virtualPinPad.screen.awaitingPin, { timeout: 5000 });
  return { paymentId, steps };
}

/** Types a PIN and Enter on the pad, then waits until the pad asks again or the payment ends. */
async function typePin(pin: string, steps: () => PaymentProgress[]): Promise<PaymentProgress> {
  const before = steps().length;
  for (const key of [...pin, 'enter']) expect(devices.virtualPinPad.pressKey(key as never)).toBe(true);
  await vi.waitUntil(
    () => {
      const last = steps().at(-1);
      return steps().length > before && last !== undefined && (['approved', 'declined', 'cancelled', 'failed'].includes(last.step) || (last.step === 'enter_pin' && devices.virtualPinPad.screen.awaitingPin));
    },
    { timeout: 10_000 },
  );
  return steps().at(-1) as PaymentProgress;
}

describe('PIN entry through the station', () => {
  it('AES DUKPT: the PIN from an AES pad travels as a format 4 block in DE111 and the host approves it', async () => {
    const { steps } = await swipeForPin('unionpay-debit-approved');
    expect(await typePin('123456', steps)).toMatchObject({ step: 'approved', outcome: { responseCode: '00' } });
    const request = sent.at(-1) as IsoMessage;
    expect(request.fields.has(52) || request.fields.has(53)).toBe(false);
    const pinData = Buffer.from(getBytes(request, 111) ?? []);
    expect(pinData).toHaveLength(29);
    expect(pinData[0]).toBe(0x01);
    expect(pinData.subarray(1, 13).toString('hex').toUpperCase()).toBe('123456789012345600000001');
  });

  it('offers another PIN on the pad when the host answers 55, and approves the right one', async () => {
    const { steps } = await swipeForPin('visa-credit');
    const retry = await typePin('9999', steps);
    expect(retry).toMatchObject({ step: 'enter_pin', pinAttempt: 2 });
    expect(devices.virtualPinPad.screen.lines[1]).toMatch(/WRONG PIN/);
    expect(await typePin('1234', steps)).toMatchObject({ step: 'approved', outcome: { responseCode: '00' } });
    expect(journal.recent(2).map((entry) => `${entry.status} ${entry.responseCode}`)).toEqual(['approved 00', 'declined 55']);
    expect(steps().filter((event) => event.step === 'declined')).toEqual([]);
  });

  it('ends declined with the host\'s 75 when the customer reaches the host\'s PIN try limit', async () => {
    const { steps } = await swipeForPin('mastercard-2series-credit');
    expect(await typePin('0000', steps)).toMatchObject({ step: 'enter_pin', pinAttempt: 2 });
    expect(await typePin('0000', steps)).toMatchObject({ step: 'enter_pin', pinAttempt: 3 });
    expect(await typePin('0000', steps)).toMatchObject({ step: 'declined', outcome: { responseCode: '75' } });
    expect(devices.virtualPinPad.screen.awaitingPin).toBe(false);
  });

  it('ends the payment cancelled with pin_timeout when the pad times out, sends nothing, and leaves the pad idle and ready', async () => {
    const before = sent.length;
    const { steps } = await swipeForPin('unionpay-debit-approved');
    devices.virtualPinPad.pressKey('1');
    expect(devices.virtualPinPad.expireEntry()).toBe(true);
    await vi.waitUntil(() => steps().at(-1)?.step === 'cancelled');
    expect(steps().at(-1)).toMatchObject({ step: 'cancelled', failure: 'pin_timeout' });
    expect(sent).toHaveLength(before);
    expect(devices.virtualPinPad.screen).toEqual({ lines: ['欢迎 WELCOME'], pinDigits: 0, awaitingPin: false });
    await vi.waitUntil(() => devices.pinPad.machine.state === 'ready');
  });

  it('passes the cashier\'s cancel to the pad, which goes idle', async () => {
    const { paymentId, steps } = await swipeForPin('unionpay-debit-approved');
    expect(checkout.cancelPayment(paymentId)).toEqual({ cancelled: true });
    await vi.waitUntil(() => steps().at(-1)?.step === 'cancelled');
    expect(steps().at(-1)?.failure).toBe('cancelled_by_cashier');
    await vi.waitUntil(() => !devices.virtualPinPad.screen.awaitingPin);
    await vi.waitUntil(() => devices.pinPad.machine.state === 'ready');
  });
});
