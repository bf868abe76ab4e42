/** Settlement (0500 → 0510) and batch upload (0320 → 0330) over TCP. */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { getText, type IsoMessage } from '../../payments/iso8583/message.ts';
import { readUploadsNotAdopted } from '../../payments/iso8583/uploads-not-adopted.ts';
import { purchaseFor } from '../purchase-fixture.ts';
import { accountOf, deckCard, startTestHost, type TestHost } from '../test-host.ts';
import { batchUploadOf, refundFor, reversalOf, settlementFor, type Totals } from '../transaction-fixtures.ts';

const debit = deckCard('unionpay-debit-approved');
const credit = deckCard('visa-credit');
let host: TestHost;
beforeEach(async () => {
  host = await startTestHost();
});
afterEach(async () => {
  await host.close();
});

interface Approved {
  readonly request: IsoMessage;
  readonly response: IsoMessage;
}

async function approve(request: IsoMessage): Promise<Approved> {
  const response = await host.send(request);
  expect(getText(response, 39)).toBe('00');
  return { request, response };
}

const totals = (debitsCount: number, debitsMinor: number, creditsCount = 0, creditsMinor = 0): Totals => ({ debitsCount, debitsMinor, creditsCount, creditsMinor });
const batches = () => host.query<{ tid: string; batch_number: string | null; status: string; debits_count: number | null }>('SELECT tid, batch_number, status, debits_count FROM batches ORDER BY id');

describe('settlement over TCP', () => {
  it('closes a batch in balance (DE66 1): holds become postings, refunds credits, reversed ones are left out', async () => {
    const first = await approve(purchaseFor(debit, { amountMinor: 10_000 }));
    await approve(purchaseFor(credit, { amountMinor: 30_000 }));
    const voided = await approve(purchaseFor(debit, { amountMinor: 7_000 }));
    await approve(reversalOf(voided.request));
    await approve(refundFor(debit, { amountMinor: 2_500, originalRrn: getText(first.response, 37)! }));

    const request = settlementFor(totals(2, 40_000, 1, 2_500), { batchNumber: '000007' });
    expect(getText(request, 97)).toBe('D0000000000037500');
    const response = await host.send(request);
    expect(response.mti).toBe('0510');
    expect(getText(response, 39)).toBe('00');
    expect(getText(response, 66)).toBe('1');
    for (const field of [3, 7, 11, 41, 42, 49, 60]) expect(response.fields.get(field)).toEqual(request.fields.get(field));

    expect(accountOf(host, debit.id)).toEqual({ posted: 500_000 - 10_000 + 2_500, available: 492_500 });
    expect(accountOf(host, credit.id)).toEqual({ posted: 30_000, available: 1_970_000 });
    expect(batches()).toEqual([{ tid: 'POS00001', batch_number: '000007', status: 'closed', debits_count: 2 }]);

    // The next approval opens the terminal's next batch.
    await approve(purchaseFor(debit, { amountMinor: 1_000 }));
    expect(batches().map((batch) => batch.status)).toEqual(['closed', 'open']);
  });

  it('closes an empty batch in balance', async () => {
    expect(getText(await host.send(settlementFor(totals(0, 0))), 66)).toBe('1');
    expect(batches()).toEqual([{ tid: 'POS00001', batch_number: '000001', status: 'closed', debits_count: 0 }]);
  });

  it('settles each terminal’s batch on its own', async () => {
    await approve(purchaseFor(debit, { amountMinor: 1_000, terminalId: 'POS00001' }));
    await approve(purchaseFor(debit, { amountMinor: 2_000, terminalId: 'POS00002' }));
    expect(getText(await host.send(settlementFor(totals(1, 2_000), { terminalId: 'POS00002' })), 66)).toBe('1');
    expect(getText(await host.send(settlementFor(totals(1, 2_000), { terminalId: 'POS00001' })), 66)).toBe('2');
    expect(getText(await host.send(settlementFor(totals(1, 1_000), { terminalId: 'POS00001' })), 66)).toBe('1');
  });

  it('out of balance: DE66 2, then 0320 uploads and 960000 make the upload the record and close in balance', async () => {
    const kept = await approve(purchaseFor(debit, { amountMinor: 10_000 }));
    // The terminal never saw this approval (its 0210 was lost and its reversal not yet sent).
    await approve(purchaseFor(debit, { amountMinor: 4_000 }));
    const refunded = await approve(refundFor(debit, { amountMinor: 1_000, originalRrn: getText(kept.response, 37)! }));
    expect(accountOf(host, debit.id).available).toBe(487_000);

    const terminalTotals = totals(1, 10_000, 1, 1_000);
    const close = await host.send(settlementFor(terminalTotals, { batchNumber: '000003' }));
    expect(getText(close, 39)).toBe('00');
    expect(getText(close, 66)).toBe('2');
    expect(accountOf(host, debit.id).available).toBe(487_000);

    for (const { request, response } of [kept, refunded]) {
      const upload = batchUploadOf(request, response, '000003');
      const answer = await host.send(upload);
      expect(answer.mti).toBe('0330');
      expect(getText(answer, 39)).toBe('00');
      expect(getText(answer, 37)).toBe(getText(response, 37));
    }

    const reclose = await host.send(settlementFor(terminalTotals, { batchNumber: '000003', processingCode: '960000' }));
    expect(getText(reclose, 39)).toBe('00');
    expect(getText(reclose, 66)).toBe('1');
    // The approval the terminal did not have was reversed; the rest posted.
    expect(accountOf(host, debit.id)).toEqual({ posted: 491_000, available: 491_000 });
    expect(batches()).toEqual([{ tid: 'POS00001', batch_number: '000003', status: 'closed', debits_count: 1 }]);
    expect(host.query('SELECT * FROM batch_uploads')).toEqual([]);
    expect(reclose.fields.has(62)).toBe(false);
    expect(host.logLines.some((line) => line.includes('1 reversed, 0 corrected, 0 not found, 0 outside the batch'))).toBe(true);
  });

  it('puts back an uploaded approval it holds as reversed, on its own card; one it lacks altogether is reported in DE62, not adopted', async () => {
    const reversedHere = await approve(purchaseFor(debit, { amountMinor: 6_000 }));
    await approve(reversalOf(reversedHere.request));
    expect(accountOf(host, debit.id).available).toBe(500_000);

    expect(getText(await host.send(settlementFor(totals(2, 8_000))), 66)).toBe('2');
    expect(getText(await host.send(batchUploadOf(reversedHere.request, reversedHere.response)), 39)).toBe('00');
    const unknown = purchaseFor(credit, { amountMinor: 2_000 });
    const madeUpApproval = { mti: '0210', fields: new Map([[37, '632510777777'], [38, '654321']]) } as IsoMessage;
    expect(getText(await host.send(batchUploadOf(unknown, madeUpApproval)), 39)).toBe('00');

    const reclose = await host.send(settlementFor(totals(2, 8_000), { processingCode: '960000' }));
    expect(getText(reclose, 66)).toBe('1');
    expect(readUploadsNotAdopted(getText(reclose, 62)!)).toEqual({ count: 1, rrns: ['632510777777'] });
    expect(accountOf(host, debit.id)).toEqual({ posted: 494_000, available: 494_000 });
    // The upload it could not find has no card to charge: nothing is posted for it.
    expect(accountOf(host, credit.id)).toEqual({ posted: 0, available: 2_000_000 });
    expect(host.query('SELECT rrn, state FROM transactions ORDER BY id')).toEqual([{ rrn: getText(reversedHere.response, 37), state: 'posted' }]);
    expect(host.logLines.some((line) => line.includes('0 reversed, 1 corrected, 1 not found, 0 outside the batch; the upload does not add up'))).toBe(true);
  });

  it('reports in DE62 an upload whose RRN belongs to another terminal’s transaction, and leaves that one alone', async () => {
    const other = await approve(purchaseFor(debit, { amountMinor: 3_000, terminalId: 'POS00002' }));
    expect(getText(await host.send(settlementFor(totals(1, 3_000))), 66)).toBe('2');
    const upload = batchUploadOf(other.request, other.response);
    upload.fields.set(41, 'POS00001');
    expect(getText(await host.send(upload), 39)).toBe('00');
    const reclose = await host.send(settlementFor(totals(1, 3_000), { processingCode: '960000' }));
    expect(readUploadsNotAdopted(getText(reclose, 62)!)).toEqual({ count: 1, rrns: [getText(other.response, 37)] });
    expect(host.query('SELECT tid, state FROM transactions')).toEqual([{ tid: 'POS00002', state: 'pending' }]);
  });

  it('answers a repeat of an accepted close with 1 again and changes nothing', async () => {
    await approve(purchaseFor(debit, { amountMinor: 10_000 }));
    expect(getText(await host.send(settlementFor(totals(1, 10_000), { batchNumber: '000004' })), 66)).toBe('1');
    expect(getText(await host.send(settlementFor(totals(1, 10_000), { batchNumber: '000004' })), 66)).toBe('1');
    expect(accountOf(host, debit.id)).toEqual({ posted: 490_000, available: 490_000 });
    expect(batches()).toHaveLength(1);
  });

  it.each([
    ['an unknown processing code', (request: IsoMessage) => request.fields.set(3, '900000'), '12'],
    ['an unknown currency', (request: IsoMessage) => request.fields.set(49, '999'), '12'],
    ['no batch number', (request: IsoMessage) => request.fields.delete(60), '30'],
    ['a batch number that is not 6 digits', (request: IsoMessage) => request.fields.set(60, '1'), '30'],
    ['a net amount without its sign', (request: IsoMessage) => request.fields.set(97, '00000000000000000'), '30'],
    ['no debits count', (request: IsoMessage) => request.fields.delete(76), '30'],
  ])('answers %s with %s and no DE66', async (_case, change, code) => {
    const request = settlementFor(totals(0, 0));
    change(request);
    const response = await host.send(request);
    expect(getText(response, 39)).toBe(code);
    expect(response.fields.has(66)).toBe(false);
    expect(batches()).toEqual([]);
  });
});

describe('batch upload over TCP', () => {
  it.each([
    ['no DE60', (request: IsoMessage) => request.fields.delete(60), '30'],
    ['a DE60 that is not n16', (request: IsoMessage) => request.fields.set(60, '0200000001'), '30'],
    ['a DE60 naming an 0100', (request: IsoMessage) => request.fields.set(60, '0100000001000001'), '12'],
    ['a declined transaction', (request: IsoMessage) => request.fields.set(39, '05'), '12'],
    ['a balance inquiry', (request: IsoMessage) => request.fields.set(3, '310000'), '12'],
    ['a zero amount', (request: IsoMessage) => request.fields.set(4, '000000000000'), '13'],
    ['a PAN (profile v4: an upload carries no card data)', (request: IsoMessage) => request.fields.set(2, '6212345678901232'), '30'],
    ['track 2', (request: IsoMessage) => request.fields.set(35, '6212345678901232=30122011000012345'), '30'],
  ])('answers %s with %s and keeps nothing', async (_case, change, code) => {
    const request = purchaseFor(debit, { amountMinor: 1_000 });
    const upload = batchUploadOf(request, { mti: '0210', fields: new Map([[37, '632510000001'], [38, '123456']]) } as IsoMessage);
    change(upload);
    const response = await host.send(upload);
    expect(response.mti).toBe('0330');
    expect(getText(response, 39)).toBe(code);
    expect(host.query('SELECT * FROM batch_uploads')).toEqual([]);
  });
});
