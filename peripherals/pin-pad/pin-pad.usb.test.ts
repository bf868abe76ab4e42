/**
 * The PIN pad driver against the virtual PIN pad over the USB transfer subset, with real DUKPT:
 * what the host decrypts is the PIN typed on the pad's keypad, and nothing else carries it.
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { decryptPinTdesDukpt } from '../../payments/crypto/dukpt-tdes.ts';
import { money } from '../../common/money.ts';
import { UsbDisconnectedError } from '../usb/minimal-usb-device.ts';
import { memoryKsnStore } from './ksn-store.ts';
import { PinPadDriver } from './pin-pad-driver.ts';
import { tdesDukptEncryptor } from './pin-encryption.ts';
import { VirtualPinPad, type PinPadKey } from './virtual-pin-pad.ts';

const BDK = Buffer.from('0123456789ABCDEFFEDCBA9876543210', 'hex');
const IPEK = Buffer.from('6AC292FAA1315B4D858AB3A3D7D5933A', 'hex');
const INITIAL_KSN = Buffer.from('FFFF9876543210E00000', 'hex');
const PAN = '6212345678901232';

async function connected() {
  const pad = new VirtualPinPad(tdesDukptEncryptor(IPEK, memoryKsnStore(INITIAL_KSN)));
  const driver = new PinPadDriver(pad);
  await driver.open();
  const reading = driver.readLoop();
  reading.catch(() => undefined);
  return { pad, driver, reading };
}

/** Presses keys once the pad is showing its PIN prompt. */
async function typeWhenPrompted(pad: VirtualPinPad, keys: readonly PinPadKey[]): Promise<void> {
  await vi.waitUntil(() => pad.screen.awaitingPin);
  for (const key of keys) expect(pad.pressKey(key)).toBe(true);
}

afterEach(() => vi.useRealTimers());

describe('PIN pad over USB', () => {
  it('returns a DUKPT-encrypted ISO 9564 format 0 block that the host decrypts to the typed PIN', async () => {
    const { pad, driver } = await connected();
    const result = driver.requestPin({ pan: PAN, amount: money(1800, 'CNY'), timeoutSeconds: 30 });
    await typeWhenPrompted(pad, ['1', '2', '3', '4', '5', '6', 'enter']);
    const entry = await result;
    expect(entry.kind).toBe('entered');
    if (entry.kind !== 'entered') return;
    expect(entry.ksn.toString('hex').toUpperCase()).toBe('FFFF9876543210E00001');
    expect(entry.pinBlock).toHaveLength(8);
    expect(decryptPinTdesDukpt({ bdk: BDK, ksn: entry.ksn, encryptedPinBlock: entry.pinBlock, pan: PAN })).toBe('123456');
    await driver.close();
  });

  it('shows the amount and counts digits on its display without revealing them', async () => {
    const { pad, driver } = await connected();
    const screens: string[][] = [];
    pad.onScreen((screen) => screens.push([...screen.lines]));
    const result = driver.requestPin({ pan: PAN, amount: money(1800, 'CNY'), timeoutSeconds: 30 });
    await typeWhenPrompted(pad, ['4', '2', 'clear', '1', '2', '3', '4']);
    expect(pad.screen.pinDigits).toBe(4);
    expect(screens.flat().join('|')).toContain('CNY 18.00');
    expect(screens.flat().join('|')).not.toMatch(/1234|42/);
    pad.pressKey('enter');
    await result;
    await driver.close();
  });

  it('advances the KSN for every PIN, so no key is used twice', async () => {
    const { pad, driver } = await connected();
    const ksns: string[] = [];
    for (let i = 0; i < 3; i++) {
      const result = driver.requestPin({ pan: PAN, amount: money(100, 'CNY'), timeoutSeconds: 30 });
      await typeWhenPrompted(pad, ['1', '2', '3', '4', 'enter']);
      const entry = await result;
      if (entry.kind === 'entered') ksns.push(entry.ksn.toString('hex'));
    }
    expect(new Set(ksns).size).toBe(3);
    await driver.close();
  });

  it('refuses Enter before four digits', async () => {
    const { pad, driver } = await connected();
    const result = driver.requestPin({ pan: PAN, amount: money(100, 'CNY'), timeoutSeconds: 30 });
    await typeWhenPrompted(pad, ['1', '2', '3']);
    expect(pad.pressKey('enter')).toBe(false);
    pad.pressKey('cancel');
    expect(await result).toEqual({ kind: 'cancelled' });
    await driver.close();
  });

  it('answers cancelled when the cardholder presses Cancel, or the station cancels', async () => {
    const { pad, driver } = await connected();
    const byCardholder = driver.requestPin({ pan: PAN, amount: money(100, 'CNY'), timeoutSeconds: 30 });
    await typeWhenPrompted(pad, ['1', 'cancel']);
    expect(await byCardholder).toEqual({ kind: 'cancelled' });

    const byStation = driver.requestPin({ pan: PAN, amount: money(100, 'CNY'), timeoutSeconds: 30 });
    await vi.waitUntil(() => pad.screen.awaitingPin);
    await driver.cancelPin();
    expect(await byStation).toEqual({ kind: 'cancelled' });
    expect(pad.screen.awaitingPin).toBe(false);
    await driver.close();
  });

  it('times out on the pad when nobody types, and the request ends cleanly', async () => {
    const { pad, driver } = await connected();
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    const result = driver.requestPin({ pan: PAN, amount: money(100, 'CNY'), timeoutSeconds: 10 });
    await vi.waitUntil(() => pad.screen.awaitingPin);
    await vi.advanceTimersByTimeAsync(10_000);
    vi.useRealTimers();
    expect(await result).toEqual({ kind: 'timeout' });
    expect(pad.screen.awaitingPin).toBe(false);
    await driver.close();
  });

  it('fails a PIN request in flight when the pad is unplugged', async () => {
    const { pad, driver, reading } = await connected();
    const result = driver.requestPin({ pan: PAN, amount: money(100, 'CNY'), timeoutSeconds: 30 });
    await vi.waitUntil(() => pad.screen.awaitingPin);
    pad.unplug();
    await expect(result).rejects.toThrow(UsbDisconnectedError);
    await expect(reading).rejects.toThrow(UsbDisconnectedError);
    expect(pad.screen.awaitingPin).toBe(false);
  });

  it('reports its key serial number and key type', async () => {
    const { driver } = await connected();
    expect(await driver.keyStatus()).toEqual({ ksnHex: 'FFFF9876543210E00000', keyType: 'TDES-DUKPT' });
    await driver.close();
  });
});
