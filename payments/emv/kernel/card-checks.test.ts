/** Processing restrictions and terminal risk management on hand-set transaction data (Book 3 §10.4, §10.6). */
import { describe, expect, it } from 'vitest';
import { processingRestrictions, terminalRiskManagement } from './card-checks.ts';
import { cny, config } from './kernel-test-rig.fixture.ts';
import type { CardTransport } from './ports.ts';
import { TransactionData, TVR } from './transaction-data.ts';

const hex = (value: string) => Buffer.from(value, 'hex');
const bit = (tx: TransactionData, [index, mask]: readonly [number, number]) => (tx.tvr[index]! & mask) !== 0;

/** A card that answers GET DATA with `answer` (SW included) and records what it was asked. */
function card(answer: (command: Buffer) => Buffer): CardTransport & { commands: string[] } {
  const commands: string[] = [];
  return {
    commands,
    async transceive(command) {
      commands.push(command.toString('hex').toUpperCase());
      return answer(command);
    },
  };
}

const transaction = (transport: CardTransport, now = new Date(2026, 10, 21, 10, 0)) => new TransactionData(config, cny(100), transport, new AbortController().signal, now);

describe('processing restrictions: dates across the century (YY < 50 is 20YY)', () => {
  it('an expiry of 991231 is 1999: expired; an effective date of 491231 is 2049: not yet effective', () => {
    const tx = transaction(card(() => hex('9000')));
    tx.setFromCard('5F24', hex('991231'));
    tx.setFromCard('5F25', hex('491231'));
    processingRestrictions(tx, '0030');
    expect(bit(tx, TVR.expiredApplication)).toBe(true);
    expect(bit(tx, TVR.applicationNotYetEffective)).toBe(true);
  });

  it('an expiry of 301231 on 2026-11-21 is not expired', () => {
    const tx = transaction(card(() => hex('9000')));
    tx.setFromCard('5F24', hex('301231'));
    processingRestrictions(tx, '0030');
    expect(bit(tx, TVR.expiredApplication)).toBe(false);
  });
});

describe('velocity checking (Book 3 §10.6.3)', () => {
  it('a card without consecutive offline limits is not asked for its counters', async () => {
    const transport = card(() => hex('9000'));
    await terminalRiskManagement(transaction(transport));
    expect(transport.commands).toEqual([]);
  });

  it('a card with limits whose counters cannot be read: both offline limits count as exceeded', async () => {
    const transport = card(() => hex('6A88'));
    const tx = transaction(transport);
    tx.setFromCard('9F14', hex('03'));
    await terminalRiskManagement(tx);
    expect(transport.commands).toEqual(['80CA9F3600', '80CA9F1300']);
    expect(bit(tx, TVR.lowerOfflineLimitExceeded)).toBe(true);
    expect(bit(tx, TVR.upperOfflineLimitExceeded)).toBe(true);
  });

  it('ATC 9 since last online ATC 4 is over a lower limit of 3; a last online ATC of 0 is a new card', async () => {
    const counters = (last: string) => card((command) => (command[3] === 0x36 ? hex('9F36020009' + '9000') : hex(`9F1302${last}9000`)));
    const tx = transaction(counters('0004'));
    tx.setFromCard('9F14', hex('03'));
    tx.setFromCard('9F23', hex('08'));
    await terminalRiskManagement(tx);
    expect(bit(tx, TVR.lowerOfflineLimitExceeded)).toBe(true);
    expect(bit(tx, TVR.upperOfflineLimitExceeded)).toBe(false);
    expect(bit(tx, TVR.newCard)).toBe(false);
    const fresh = transaction(counters('0000'));
    fresh.setFromCard('9F23', hex('20'));
    await terminalRiskManagement(fresh);
    expect(bit(fresh, TVR.newCard)).toBe(true);
  });
});
