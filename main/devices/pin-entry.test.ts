/**
 * PIN entry end to end, through the station's own composition: the virtual PIN pad at the USB level
 * (injected with an AES DUKPT key, as station.json's "iso4-aes-dukpt" does), the card flow, the 0200
 * over TCP (watched on the wire), and the bundled host decrypting the block. Also what ends a PIN
 * entry short of a PIN: the pad's timeout and the cashier's cancel, both leaving the pad idle.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { PaymentProgress } from '../../common/payment.ts';
import { startHost, type RunningHost } from '../../bank/start-host.ts';
import { FrameDecoder } from '../../payments/iso8583/framing.ts';
import { getBytes, type IsoMessage } from '../../payments/iso8583/message.ts';
import { createPackager } from '../../payments/iso8583/packager.ts';
import { PROFILE_FIELDS } from '../../payments/iso8583/profile.ts';
import { startTcpProxy, type TcpProxy } from '../test-support/tcp-proxy.ts';
import { startRig, type Rig } from '../test-support/station-rig.ts';

let host: RunningHost;
let proxy: TcpProxy;
let rig: Rig;
const sent: IsoMessage[] = [];

beforeAll(async () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'pin-entry-'));
  // Plain TCP, so the proxy reads the frames the station sends: what is checked here is the PIN block, not the link.
  host = await startHost({ dataDir: join(dataDir, 'bank'), port: 0, transport: 'plain', log: () => undefined });
  const frames = new FrameDecoder();
  const packager = createPackager(PROFILE_FIELDS);
  proxy = await startTcpProxy({ host: host.host, port: host.port }, (chunk) => sent.push(...frames.push(chunk).map((frame) => packager.unpack(frame))));
  rig = await startRig({ host: host.host, port: proxy.port, dataDir, transport: 'plain', virtualPinPad: { pinBlockFormat: 'iso4-aes-dukpt' } });
  await rig.waitUntilUp();
  await rig.signInAndOpenShift();
});

afterAll(async () => {
  await rig.stop();
  await proxy.close();
  await host.close();
});

const pad = () => rig.services.devices.virtualPinPad;

/** Rings up a tea, starts a card tender and swipes; resolves once the pad asks for the PIN. */
async function swipeForPin(cardId: string): Promise<{ paymentId: string; steps: () => PaymentProgress[] }> {
  if (!rig.services.sales.current()) await rig.call('addItem', { sku: 'TEA-001', quantity: 1 });
  const { paymentId } = await rig.call('startCardTender', {});
  const steps = () => rig.progress.filter((event) => event.paymentId === paymentId);
  await vi.waitUntil(() => steps().some((event) => event.step === 'present_card'));
  await rig.sim('swipeCard', { cardId, fault: 'none' });
  await vi.waitUntil(() => pad().screen.awaitingPin, { timeout: 5000 });
  return { paymentId, steps };
}

/** Types a PIN and Enter on the pad, then waits until the pad asks again or the payment ends. */
async function typePin(pin: string, steps: () => PaymentProgress[]): Promise<PaymentProgress> {
  const before = steps().length;
  for (const key of [...pin, 'enter']) expect(pad().pressKey(key as never)).toBe(true);
  await vi.waitUntil(
    () => {
      const last = steps().at(-1);
      return steps().length > before && last !== undefined && (['approved', 'declined', 'cancelled', 'failed'].includes(last.step) || (last.step === 'enter_pin' && pad().screen.awaitingPin));
    },
    { timeout: 10_000 },
  );
  return steps().at(-1) as PaymentProgress;
}

describe('PIN entry through the station', () => {
  it('AES DUKPT: the PIN from an AES pad travels as a format 4 block in DE111 and the host approves it', async () => {
    const { steps } = await swipeForPin('unionpay-debit-approved');
    expect(await typePin('123456', steps)).toMatchObject({ step: 'approved', outcome: { responseCode: '00' } });
    const request = sent.filter((message) => message.mti === '0200').at(-1)!;
    expect(request.fields.has(52) || request.fields.has(53)).toBe(false);
    const pinData = Buffer.from(getBytes(request, 111) ?? []);
    expect(pinData).toHaveLength(29);
    expect(pinData[0]).toBe(0x01);
    expect(pinData.subarray(1, 13).toString('hex').toUpperCase()).toBe('123456789012345600000001');
  });

  it('offers another PIN on the pad when the host answers 55, and approves the right one: two legs of one tender', async () => {
    const { steps } = await swipeForPin('visa-credit');
    const retry = await typePin('9999', steps);
    expect(retry).toMatchObject({ step: 'enter_pin', pinAttempt: 2 });
    expect(pad().screen.lines[1]).toMatch(/WRONG PIN/);
    expect(await typePin('1234', steps)).toMatchObject({ step: 'approved', outcome: { responseCode: '00' } });
    const legs = rig.services.journal.legs.ofTender(steps()[0]!.tenderId!);
    expect(legs.map((leg) => `${leg.attempt} ${leg.status} ${leg.responseCode}`)).toEqual(['1 declined 55', '2 approved 00']);
    expect(steps().filter((event) => event.step === 'declined')).toEqual([]);
  });

  it('ends declined with the host\'s 75 when the customer reaches the host\'s PIN try limit', async () => {
    const { steps } = await swipeForPin('mastercard-2series-credit');
    expect(await typePin('0000', steps)).toMatchObject({ step: 'enter_pin', pinAttempt: 2 });
    expect(await typePin('0000', steps)).toMatchObject({ step: 'enter_pin', pinAttempt: 3 });
    expect(await typePin('0000', steps)).toMatchObject({ step: 'declined', outcome: { responseCode: '75' } });
    expect(pad().screen.awaitingPin).toBe(false);
  });

  it('ends the tender cancelled with pin_timeout when the pad times out, sends nothing, and leaves the pad idle and ready', async () => {
    const before = sent.filter((message) => message.mti === '0200').length;
    const { steps } = await swipeForPin('unionpay-debit-approved');
    pad().pressKey('1');
    expect(pad().expireEntry()).toBe(true);
    await vi.waitUntil(() => steps().at(-1)?.step === 'cancelled');
    expect(steps().at(-1)).toMatchObject({ step: 'cancelled', failure: 'pin_timeout' });
    expect(sent.filter((message) => message.mti === '0200')).toHaveLength(before);
    expect(pad().screen).toEqual({ lines: ['欢迎 WELCOME'], pinDigits: 0, awaitingPin: false });
    await vi.waitUntil(() => rig.services.devices.pinPad.machine.state === 'ready');
  });

  it('passes the cashier\'s cancel to the pad, which goes idle', async () => {
    const { paymentId, steps } = await swipeForPin('unionpay-debit-approved');
    expect(await rig.call('cancelPayment', { paymentId })).toEqual({ cancelled: true });
    await vi.waitUntil(() => steps().at(-1)?.step === 'cancelled');
    expect(steps().at(-1)?.failure).toBe('cancelled_by_cashier');
    await vi.waitUntil(() => !pad().screen.awaitingPin);
    await vi.waitUntil(() => rig.services.devices.pinPad.machine.state === 'ready');
  });
});
