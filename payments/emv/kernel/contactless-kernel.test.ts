/** The contactless kernel (qVSDC / qUICS) against the deck's virtual cards, held in the field directly. */
import { describe, expect, it } from 'vitest';
import { buildTlv, encodeTlv, flattenTlv, parseTlv } from '../tlv.ts';
import type { CardTransport } from './ports.ts';
import { runContactlessTransaction } from './contactless-kernel.ts';
import { caKeys, cny, config, heldCard, ports } from './kernel-test-rig.fixture.ts';

const tap = (id: string, amountMinor: number, options: Parameters<typeof ports>[1] & { removeAfter?: number } = {}) => {
  const { transport } = heldCard(id, 'contactless', { removeAfter: options.removeAfter });
  const rig = ports(transport, options);
  let readAt = -1;
  const outcome = runContactlessTransaction({
    amount: cny(amountMinor),
    config,
    caKeys,
    ports: rig.ports,
    signal: new AbortController().signal,
    onCardRead: () => (readAt = rig.recorded.requests.length),
  });
  return { rig, outcome, readAt: () => readAt };
};

describe('contactless kernel', () => {
  it.each(['unionpay-chip-debit', 'visa-chip-credit'])('%s: a small tap is approved without PIN; "remove card" comes before the authorization', async (id) => {
    const { rig, outcome, readAt } = tap(id, 2_500);
    const result = await outcome;
    expect(result.kind).toBe('approved');
    expect(readAt()).toBe(0);
    expect(rig.recorded.pinRequests).toEqual([]);
    expect(rig.recorded.messages.indexOf('remove_card')).toBeLessThan(rig.recorded.messages.indexOf('please_wait'));
    const request = rig.recorded.requests[0]!;
    expect(request.entryMode).toBe('contactless');
    expect(flattenTlv(parseTlv(request.iccData)).get('9F34')?.toString('hex')).toBe('1f0002');
  });

  it('China default: 1,000.00 CNY itself goes without PIN; 1,000.01 asks for online PIN', async () => {
    const atLimit = tap('unionpay-chip-debit', 100_000);
    expect((await atLimit.outcome).kind).toBe('approved');
    expect(atLimit.rig.recorded.pinRequests).toEqual([]);
    const above = tap('unionpay-chip-debit', 100_001);
    const result = await above.outcome;
    expect(result.kind).toBe('approved');
    expect(above.rig.recorded.pinRequests).toEqual([1]);
    expect(above.rig.recorded.requests[0]!.pin).toBeDefined();
    expect(result.kind === 'approved' && result.record.cvm).toBe('online_pin');
  });

  it('at or above the CVM required limit, a card whose GPO gives no CTQ still gets the online PIN', async () => {
    const { transport } = heldCard('visa-chip-credit', 'contactless');
    // The card's answer to GET PROCESSING OPTIONS with its CTQ (9F6C) taken out.
    const withoutCtq: CardTransport = {
      async transceive(command, signal) {
        const response = await transport.transceive(command, signal);
        if (command[1] !== 0xa8) return response;
        const [template] = parseTlv(response.subarray(0, -2));
        const kept = (template!.children ?? []).filter((entry) => entry.tag !== '9F6C').map((entry) => [entry.tag, entry.value] as const);
        return Buffer.concat([encodeTlv('77', buildTlv(kept)), response.subarray(-2)]);
      },
    };
    const rig = ports(withoutCtq);
    const result = await runContactlessTransaction({ amount: cny(config.contactless.cvmRequiredLimitMinor), config, caKeys, ports: rig.ports, signal: new AbortController().signal });
    expect(rig.recorded.pinRequests).toEqual([1]);
    expect(result).toMatchObject({ kind: 'approved', record: { cvm: 'online_pin', iccData: { '9F34': '020000' } } });
  });

  it('at or over the contactless transaction limit: insert the card, the card is never touched', async () => {
    const { rig, outcome } = tap('unionpay-chip-debit', config.contactless.transactionLimitMinor);
    expect(await outcome).toEqual({ kind: 'insert_card' });
    expect(rig.recorded.messages).toEqual(['insert_card']);
  });

  it('a card out of the field too early: present it again', async () => {
    expect(await tap('unionpay-chip-debit', 100, { removeAfter: 3 }).outcome).toEqual({ kind: 'present_card_again' });
  });

  it('wrong online PIN on a tap: declined 55', async () => {
    expect(await tap('unionpay-chip-debit', 200_000, { issuer: { responseCode: '55' } }).outcome).toMatchObject({ kind: 'declined', by: 'issuer', response: { responseCode: '55' } });
  });

  it('a card with no contactless interface (Mastercard here) does not answer in the field', async () => {
    expect((await tap('mastercard-chip-credit', 100).outcome).kind).toBe('chip_error');
  });
});
