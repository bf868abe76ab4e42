/**
 * The PIN pad driver against a virtual PIN pad injected with an AES DUKPT initial key: an ISO 9564
 * format 4 block under ANSI X9.24-3 travels over USB, and the host decrypts the typed PIN from it.
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { money } from '../../common/money.ts';
import { decryptPinAesDukpt, deriveInitialKeyAes } from '../../payments/crypto/dukpt-aes.ts';
import { memoryKsnStore } from './ksn-store.ts';
import { aesDukptEncryptor } from './pin-encryption.ts';
import { PinPadDriver } from './pin-pad-driver.ts';
import { VirtualPinPad, type PinPadKey } from './virtual-pin-pad.ts';

// ANSI X9.24-3:2017 test BDK and initial key ID (test keys: they protect nothing).
const AES_BDK = Buffer.from('FEDCBA9876543210F1F1F1F1F1F1F1F1', 'hex');
const INITIAL_KSN = Buffer.from('123456789012345600000000', 'hex');
const INITIAL_KEY = deriveInitialKeyAes(AES_BDK, INITIAL_KSN.subarray(0, 8));
const PAN = '6212345678901232';

async function connected() {
  const pad = new VirtualPinPad(aesDukptEncryptor(INITIAL_KEY, memoryKsnStore(INITIAL_KSN)));
  const driver = new PinPadDriver(pad);
  await driver.open();
  void driver.readLoop().catch(() => undefined);
  return { pad, driver };
}

async function typeWhenPrompted(pad: VirtualPinPad, keys: readonly PinPadKey[]): Promise<void> {
  await vi.waitUntil(() => pad.screen.awaitingPin);
  for (const key of keys) expect(pad.pressKey(key)).toBe(true);
}

afterEach(() => vi.useRealTimers());

describe('PIN pad with AES DUKPT', () => {
  it('returns a 16-byte format 4 block and a 12-byte KSN that the host decrypts to the typed PIN', async () => {
    const { pad, driver } = await connected();
    const result = driver.requestPin({ pan: PAN, amount: money(1800, 'CNY'), timeoutSeconds: 30 });
    await typeWhenPrompted(pad, ['1', '2', '3', '4', '5', '6', 'enter']);
    const entry = await result;
    if (entry.kind !== 'entered') return expect.fail(`expected a PIN, got ${entry.kind}`);
    expect(entry.ksn.toString('hex').toUpperCase()).toBe('123456789012345600000001');
    expect(entry.pinBlock).toHaveLength(16);
    expect(decryptPinAesDukpt({ bdk: AES_BDK, ksn: entry.ksn, encryptedPinBlock: entry.pinBlock, pan: PAN })).toBe('123456');
    await driver.close();
  });

  it('encrypts the same PIN differently every time (new KSN, random fill)', async () => {
    const { pad, driver } = await connected();
    const blocks: string[] = [];
    for (let i = 0; i < 2; i++) {
      const result = driver.requestPin({ pan: PAN, amount: money(100, 'CNY'), timeoutSeconds: 30 });
      await typeWhenPrompted(pad, ['1', '2', '3', '4', 'enter']);
      const entry = await result;
      if (entry.kind === 'entered') blocks.push(entry.pinBlock.toString('hex'));
    }
    expect(blocks).toHaveLength(2);
    expect(blocks[0]).not.toBe(blocks[1]);
    await driver.close();
  });

  it('reports AES-DUKPT as its key type, with its 24-digit KSN', async () => {
    const { driver } = await connected();
    expect(await driver.keyStatus()).toEqual({ ksnHex: '123456789012345600000000', keyType: 'AES-DUKPT' });
    await driver.close();
  });
});

describe('PIN pad prompts and timeout', () => {
  it('asks again with a "wrong PIN" prompt on a second attempt, and shows the plain prompt on a first', async () => {
    const { pad, driver } = await connected();
    const first = driver.requestPin({ pan: PAN, amount: money(100, 'CNY'), timeoutSeconds: 30 });
    await vi.waitUntil(() => pad.screen.awaitingPin);
    expect(pad.screen.lines[1]).toBe('请输入密码 ENTER PIN');
    pad.pressKey('cancel');
    await first;
    const second = driver.requestPin({ pan: PAN, amount: money(100, 'CNY'), timeoutSeconds: 30, attempt: 2 });
    await vi.waitUntil(() => pad.screen.awaitingPin);
    expect(pad.screen.lines[1]).toMatch(/WRONG PIN/);
    pad.pressKey('cancel');
    expect(await second).toEqual({ kind: 'cancelled' });
    await driver.close();
  });

  it('times out on request of the demo panel, as its timer would, and goes idle', async () => {
    const { pad, driver } = await connected();
    expect(pad.expireEntry()).toBe(false);
    const result = driver.requestPin({ pan: PAN, amount: money(100, 'CNY'), timeoutSeconds: 300 });
    await typeWhenPrompted(pad, ['1', '2']);
    expect(pad.expireEntry()).toBe(true);
    expect(await result).toEqual({ kind: 'timeout' });
    expect(pad.screen).toEqual({ lines: ['欢迎 WELCOME'], pinDigits: 0, awaitingPin: false });
    await driver.close();
  });
});
