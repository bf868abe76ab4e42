/**
 * The PIN pad's stripe head, an encrypting reader, against the driver over the USB transfer
 * subset, with real DUKPT: the station receives the masked read and the encrypted tracks only,
 * the host decrypts them with the data BDK, and the PIN block is formed inside the pad from the PAN
 * its head read. What crosses the driver boundary is checked byte by byte for the card's PAN.
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { encodeTracks, type TrackSource } from '../../common/card/tracks.ts';
import type { EncryptedCardRead } from '../../common/card/encrypted-card-read.ts';
import { money } from '../../common/money.ts';
import { deriveInitialKeyAes, decryptPinAesDukpt } from '../../payments/crypto/dukpt-aes.ts';
import { decryptPinTdesDukpt, deriveIpek } from '../../payments/crypto/dukpt-tdes.ts';
import { decryptCardData } from '../../payments/sred/decrypt-card-data.ts';
import type { MinimalUsbDevice } from '../usb/minimal-usb-device.ts';
import { aesDukptDataEncryptor, tdesDukptDataEncryptor } from './card-data-encryption.ts';
import { memoryKsnStore } from './ksn-store.ts';
import { aesDukptEncryptor, tdesDukptEncryptor } from './pin-encryption.ts';
import { PinPadDriver, PinPadNoCardError, type HeadRead } from './pin-pad-driver.ts';
import { CARD_HOLD_MS, VirtualPinPad } from './virtual-pin-pad.ts';

const PIN_BDK = Buffer.from('0123456789ABCDEFFEDCBA9876543210', 'hex');
const PIN_KSN = Buffer.from('FFFF9876543210E00000', 'hex');
const DATA_BDKS = { tdes: Buffer.from('FEDCBA98765432100123456789ABCDEF', 'hex'), aes: Buffer.from('F1F1F1F1F1F1F1F1FEDCBA9876543210', 'hex') };
const DATA_KSN = Buffer.from('FFFF9876543211E00000', 'hex');
const AES_PIN_BDK = Buffer.from('FEDCBA9876543210F1F1F1F1F1F1F1F1', 'hex');
const AES_PIN_KSN = Buffer.from('123456789012345600000000', 'hex');
const AES_DATA_KSN = Buffer.from('123456789012345700000000', 'hex');

const unionPay: TrackSource & { pin: string } = { pan: '6212345678901232', expiry: '3012', serviceCode: '101', discretionary: '1000012345', cardholderName: 'WANG/FANG', pin: '123456' };
const visa: TrackSource = { pan: '4111110000000013', expiry: '2911', serviceCode: '101', discretionary: '2000054321', cardholderName: 'SMITH/JO' };

/** The pad as the station sees it over USB, with every byte it sends recorded. */
async function connected(keys: 'tdes' | 'aes' = 'tdes', withHead = true) {
  const pin = keys === 'tdes' ? tdesDukptEncryptor(deriveIpek(PIN_BDK, PIN_KSN), memoryKsnStore(PIN_KSN)) : aesDukptEncryptor(deriveInitialKeyAes(AES_PIN_BDK, AES_PIN_KSN.subarray(0, 8)), memoryKsnStore(AES_PIN_KSN));
  const cardData = keys === 'tdes' ? tdesDukptDataEncryptor(deriveIpek(DATA_BDKS.tdes, DATA_KSN), memoryKsnStore(DATA_KSN)) : aesDukptDataEncryptor(deriveInitialKeyAes(DATA_BDKS.aes, AES_DATA_KSN.subarray(0, 8)), memoryKsnStore(AES_DATA_KSN));
  const pad = new VirtualPinPad(pin, withHead ? { cardData } : {});
  const fromPad: Buffer[] = [];
  const driver = new PinPadDriver(recording(pad, fromPad));
  await driver.open();
  driver.readLoop().catch(() => undefined);
  const reads: HeadRead[] = [];
  driver.onHeadRead((read) => reads.push(read));
  return { pad, driver, reads, fromPad };
}

function recording(device: MinimalUsbDevice, seen: Buffer[]): MinimalUsbDevice {
  return new Proxy(device, {
    get(target, property) {
      const value = Reflect.get(target, property, target) as unknown;
      if (property === 'transferIn') {
        return async (...args: Parameters<MinimalUsbDevice['transferIn']>) => {
          const result = await target.transferIn(...args);
          if (result.data) seen.push(Buffer.from(result.data.buffer, result.data.byteOffset, result.data.byteLength));
          return result;
        };
      }
      return typeof value === 'function' ? value.bind(target) : value;
    },
  });
}

async function swipeAndRead(pad: VirtualPinPad, reads: HeadRead[], card: TrackSource): Promise<EncryptedCardRead> {
  const before = reads.length;
  expect(pad.swipe(card)).toBe(true);
  await vi.waitUntil(() => reads.length > before);
  const read = reads.at(-1)!;
  if (read.kind !== 'card') throw new Error(`expected a card, got a bad read (${read.reason})`);
  return read.read;
}

async function typePin(pad: VirtualPinPad, pin: string): Promise<void> {
  await vi.waitUntil(() => pad.screen.awaitingPin);
  for (const digit of pin) pad.pressKey(digit as '0');
  pad.pressKey('enter');
}

afterEach(() => vi.useRealTimers());

describe('the PIN pad’s stripe head: an encrypting reader', () => {
  it('hands the station the masked read and the encrypted tracks, which the host decrypts with the data BDK', async () => {
    const { pad, driver, reads } = await connected();
    const read = await swipeAndRead(pad, reads, unionPay);
    expect(read).toMatchObject({ maskedPan: '621234******1232', bin: '621234', expiry: '3012', serviceCode: '101' });
    expect(read.encrypted.keyType).toBe('tdes-dukpt');
    expect(Buffer.from(read.encrypted.ksn).toString('hex').toUpperCase()).toBe('FFFF9876543211E00001');
    const card = decryptCardData(read.encrypted, DATA_BDKS);
    expect(card).toMatchObject({ pan: unionPay.pan, expiry: '3012', serviceCode: '101', cardholderName: 'WANG/FANG' });
    expect(card.track2).toBe(encodeTracks(unionPay).track2.slice(1, encodeTracks(unionPay).track2.indexOf('?')));
    await driver.close();
  });

  it('gives 8 BIN digits where the scheme uses 8 (Visa, Mastercard), 6 elsewhere', async () => {
    const { pad, driver, reads } = await connected();
    expect((await swipeAndRead(pad, reads, visa)).bin).toBe('41111100');
    expect((await swipeAndRead(pad, reads, unionPay)).bin).toBe('621234');
    await driver.close();
  });

  it('lets no PAN or track cross the USB boundary or the driver, and its read carries only the masked fields', async () => {
    const { pad, driver, reads, fromPad } = await connected();
    const read = await swipeAndRead(pad, reads, unionPay);
    const result = driver.requestPinForReadCard({ amount: money(1800, 'CNY'), timeoutSeconds: 30 });
    await typePin(pad, unionPay.pin);
    await result;
    const wire = Buffer.concat(fromPad).toString('latin1');
    expect(wire).toContain('621234******1232');
    for (const secret of [unionPay.pan, unionPay.pan.slice(6, 12), '=3012', '^WANG', unionPay.discretionary]) expect(wire).not.toContain(secret);
    expect(Object.keys(read).sort()).toEqual(['bin', 'encrypted', 'expiry', 'maskedPan', 'serviceCode']);
    expect(Object.keys(read.encrypted).sort()).toEqual(['ciphertext', 'keyType', 'ksn']);
    const flattened = JSON.stringify(read, (_key, value: unknown) => (value instanceof Uint8Array ? Buffer.from(value).toString('latin1') : value));
    expect(flattened).not.toContain(unionPay.pan);
    await driver.close();
  });

  it('forms the PIN block from the PAN it read: the host verifies it with the PAN from the decrypted track', async () => {
    const { pad, driver, reads } = await connected();
    const read = await swipeAndRead(pad, reads, unionPay);
    const result = driver.requestPinForReadCard({ amount: money(1800, 'CNY'), timeoutSeconds: 30 });
    await typePin(pad, '123456');
    const entry = await result;
    if (entry.kind !== 'entered') throw new Error('no PIN');
    // A PIN key apart from the data key: its own KSN.
    expect(entry.ksn.toString('hex').toUpperCase()).toBe('FFFF9876543210E00001');
    const pan = decryptCardData(read.encrypted, DATA_BDKS).pan;
    expect(decryptPinTdesDukpt({ bdk: PIN_BDK, ksn: entry.ksn, encryptedPinBlock: entry.pinBlock, pan })).toBe('123456');
    // Another attempt after a 55 uses the same card.
    const again = driver.requestPinForReadCard({ amount: money(1800, 'CNY'), timeoutSeconds: 30, attempt: 2 });
    await typePin(pad, '654321');
    const second = await again;
    if (second.kind !== 'entered') throw new Error('no PIN');
    expect(decryptPinTdesDukpt({ bdk: PIN_BDK, ksn: second.ksn, encryptedPinBlock: second.pinBlock, pan })).toBe('654321');
    await driver.close();
  });

  it('does the same under AES DUKPT: data key usage "encrypt", format 4 PIN block', async () => {
    const { pad, driver, reads } = await connected('aes');
    const read = await swipeAndRead(pad, reads, visa);
    expect(read.encrypted.keyType).toBe('aes-dukpt');
    expect(read.encrypted.ciphertext.length % 16).toBe(0);
    const pan = decryptCardData(read.encrypted, DATA_BDKS).pan;
    const result = driver.requestPinForReadCard({ amount: money(500, 'CNY'), timeoutSeconds: 30 });
    await typePin(pad, '2468');
    const entry = await result;
    if (entry.kind !== 'entered') throw new Error('no PIN');
    expect(decryptPinAesDukpt({ bdk: AES_PIN_BDK, ksn: entry.ksn, encryptedPinBlock: entry.pinBlock, pan })).toBe('2468');
    await driver.close();
  });

  it('holds the card only until the station ends it, another card is swiped, or the hold runs out', async () => {
    const { pad, driver, reads } = await connected();
    await swipeAndRead(pad, reads, unionPay);
    await driver.endCard();
    await expect(driver.requestPinForReadCard({ amount: money(100, 'CNY'), timeoutSeconds: 30 })).rejects.toThrow(PinPadNoCardError);

    await swipeAndRead(pad, reads, unionPay);
    const visaRead = await swipeAndRead(pad, reads, visa);
    const result = driver.requestPinForReadCard({ amount: money(100, 'CNY'), timeoutSeconds: 30 });
    await typePin(pad, '1234');
    const entry = await result;
    if (entry.kind !== 'entered') throw new Error('no PIN');
    expect(decryptPinTdesDukpt({ bdk: PIN_BDK, ksn: entry.ksn, encryptedPinBlock: entry.pinBlock, pan: decryptCardData(visaRead.encrypted, DATA_BDKS).pan })).toBe('1234');

    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    await swipeAndRead(pad, reads, visa);
    await vi.advanceTimersByTimeAsync(CARD_HOLD_MS);
    vi.useRealTimers();
    await expect(driver.requestPinForReadCard({ amount: money(100, 'CNY'), timeoutSeconds: 30 })).rejects.toThrow(PinPadNoCardError);
    await driver.close();
  });

  it('reports bad reads with their reason, encrypting nothing and holding no card', async () => {
    const { pad, driver, reads } = await connected();
    expect(pad.swipe(unionPay, 'bad_read')).toBe(true);
    expect(pad.swipe(unionPay, 'partial_track')).toBe(true);
    await vi.waitUntil(() => reads.length === 2);
    expect(reads).toEqual([
      { kind: 'bad_read', reason: 'no_data' },
      { kind: 'bad_read', reason: 'track2_unreadable' },
    ]);
    expect((await driver.keyStatus()).dataKsnHex).toBe('FFFF9876543211E00000');
    await expect(driver.requestPinForReadCard({ amount: money(100, 'CNY'), timeoutSeconds: 30 })).rejects.toThrow(PinPadNoCardError);
    await driver.close();
  });

  it('a pad without a head takes no swipe and reports no data key', async () => {
    const { pad, driver } = await connected('tdes', false);
    expect(pad.hasStripeHead).toBe(false);
    expect(pad.swipe(unionPay)).toBe(false);
    expect(await driver.keyStatus()).toEqual({ ksnHex: 'FFFF9876543210E00000', keyType: 'TDES-DUKPT' });
    await driver.close();
  });
});
