/** The risk log's card hash key: made per install at the first start, owner-only, never the old shipped key. */
import { readFileSync, statSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { purchaseFor } from '../purchase-fixture.ts';
import { deckCard, startTestHost, type TestHost } from '../test-host.ts';
import { createCardHasher } from './card-hash.ts';
import { cardHashKeyPath } from './card-hash-key.ts';

/** The key bank/config/host.json shipped before it was made per install. */
const OLD_SHIPPED_KEY = '5A0D078ABAFD752ED7419A2314C7A1B24F560BCB9B1A1F2657CBE2CE135FD076';
const hosts: TestHost[] = [];
afterEach(async () => {
  for (const host of hosts.splice(0)) await host.close();
});

async function host(): Promise<TestHost> {
  const started = await startTestHost();
  hosts.push(started);
  return started;
}

const keyOf = (started: TestHost) => readFileSync(cardHashKeyPath(started.dataDir), 'utf8').trim();

describe('the card hash key', () => {
  it('is generated at the first start, 256 bits, owner-only (0600), and differs from install to install', async () => {
    const [first, second] = [await host(), await host()];
    for (const started of [first, second]) {
      expect(keyOf(started)).toMatch(/^[0-9a-f]{64}$/);
      expect(statSync(cardHashKeyPath(started.dataDir)).mode & 0o777).toBe(0o600);
      expect(keyOf(started).toUpperCase()).not.toBe(OLD_SHIPPED_KEY);
    }
    expect(keyOf(first)).not.toBe(keyOf(second));
  });

  it('is the key the risk log names cards by, and survives a restart', async () => {
    const started = await host();
    const key = keyOf(started);
    const card = deckCard('unionpay-debit-approved');
    expect((await started.send(purchaseFor(card, { stan: '000001' }))).fields.get(39)).toBe('00');
    await started.restart();
    expect(keyOf(started)).toBe(key);
    expect((await started.send(purchaseFor(card, { stan: '000002' }))).fields.get(39)).toBe('00');
    const hashes = started.query<{ card_hash: string }>('SELECT card_hash FROM risk_log ORDER BY id').map((row) => row.card_hash);
    expect(hashes).toEqual([createCardHasher(Buffer.from(key, 'hex'))(card.pan), createCardHasher(Buffer.from(key, 'hex'))(card.pan)]);
    expect(hashes[0]).not.toBe(createCardHasher(Buffer.from(OLD_SHIPPED_KEY, 'hex'))(card.pan));
  });
});
