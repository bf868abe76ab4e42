/**
 * After a sale, per tender, through the product's composition over TCP to the real host: refunds
 * (cash back as cash; a card refund referencing the RRN, with the card presented again), voids (the
 * card leg reversed at the host, the cash handed back), the supervisor's approval journaled with
 * each, and a reprint of any receipt rebuilt from the journal after a restart.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { receiptText } from '../../common/receipt/model.ts';
import { startHost, type RunningHost } from '../../bank/start-host.ts';
import { hostTransactions } from '../test-support/host-ledger.ts';
import { APPROVAL, CASHIER, rigEnrolment, startRig, SUPERVISOR, type Rig } from '../test-support/station-rig.ts';

let host: RunningHost;
let rig: Rig;
let dataDir: string;

beforeAll(async () => {
  dataDir = mkdtempSync(join(tmpdir(), 'after-sale-'));
  host = await startHost({ dataDir: join(dataDir, 'bank'), port: 0, log: () => undefined, enrolStation: rigEnrolment(dataDir) });
  rig = await startRig({ host: host.host, port: host.port, dataDir });
  await rig.waitUntilUp();
  await rig.signInAndOpenShift(20_000);
});

afterAll(async () => {
  await rig.stop();
  await host.close();
});

/** A sale paid part cash (500), part card (the rest), on the Mastercard. */
async function splitSale(skus: string[]) {
  const sale = await rig.ring(skus);
  await rig.call('startCashTender', { amountMinor: 500, receivedMinor: 500 });
  await rig.services.tenders.whenIdle();
  await rig.payByCard('mastercard-2series-credit', ['2468']);
  const paid = await rig.call('getSale', { saleId: sale.id });
  return { sale: paid, cash: paid.tenders[0]!, card: paid.tenders[1]! };
}

function approvals(): { action: string; subject: string; requested_by: string; approved_by: string }[] {
  const db = new DatabaseSync(join(dataDir, 'journal.sqlite'), { readOnly: true });
  try {
    return db.prepare('SELECT action, subject, requested_by, approved_by FROM approvals ORDER BY id').all() as never;
  } finally {
    db.close();
  }
}

describe('supervisor approval', () => {
  it('is refused without a supervisor: a cashier\'s own PIN, a wrong PIN', async () => {
    const { sale } = await splitSale(['SNK-003']);
    await expect(rig.call('voidSale', { saleId: sale.id, approval: { operatorId: CASHIER.id, pin: CASHIER.pin } })).rejects.toMatchObject({ code: 'forbidden', message: expect.stringMatching(/is not a supervisor/) });
    await expect(rig.call('voidSale', { saleId: sale.id, approval: { operatorId: SUPERVISOR.id, pin: '0000' } })).rejects.toMatchObject({ code: 'forbidden', message: expect.stringMatching(/wrong operator id or PIN/) });
    expect((await rig.call('getSale', { saleId: sale.id })).status).toBe('paid');
  });
});

describe('refunds per tender', () => {
  it('cash goes back as cash; a card refund references the RRN and needs the card again; never more than is left', async () => {
    const { sale, cash, card } = await splitSale(['HOM-002']); // 39.00: 5.00 cash, 34.00 card
    const cashBack = await rig.call('refundTender', { saleId: sale.id, tenderId: cash.id, amountMinor: 300, approval: APPROVAL });
    expect(cashBack.sale).toMatchObject({ status: 'partly_refunded', refunded: { amountMinor: 300 } });
    await expect(rig.call('refundTender', { saleId: sale.id, tenderId: cash.id, amountMinor: 201, approval: APPROVAL })).rejects.toThrow(/at most 2.00 CNY is left to refund on this cash tender/);

    const { paymentId } = await rig.call('refundTender', { saleId: sale.id, tenderId: card.id, amountMinor: 1250, approval: APPROVAL });
    expect(paymentId).toBeDefined();
    // The wrong card is refused: the refund goes back to the card that paid.
    expect(await rig.presentCard(paymentId!, 'visa-credit', [])).toMatchObject({ step: 'failed', failure: 'card_mismatch' });
    const again = await rig.call('refundTender', { saleId: sale.id, tenderId: card.id, amountMinor: 1250, approval: APPROVAL });
    expect(await rig.presentCard(again.paymentId!, 'mastercard-2series-credit', [])).toMatchObject({ step: 'approved', kind: 'refund' });
    const refunded = await rig.call('getSale', { saleId: sale.id });
    expect(refunded).toMatchObject({ status: 'partly_refunded', refunded: { amountMinor: 1550 } });
    const refundLeg = refunded.tenders[1]!.legs.find((leg) => leg.kind === 'refund')!;
    expect(refundLeg).toMatchObject({ status: 'approved', processingCode: '200000', amount: { amountMinor: 1250 } });
    expect(hostTransactions(host.ledgerPath, 'POS00001').filter((transaction) => transaction.kind === 'refund').at(-1)).toMatchObject({ amount_minor: 1250, state: 'pending' });
    await expect(rig.call('refundTender', { saleId: sale.id, tenderId: card.id, amountMinor: 2151, approval: APPROVAL })).rejects.toThrow(/at most 21.50 CNY is left/);
    await expect(rig.call('voidSale', { saleId: sale.id, approval: APPROVAL })).rejects.toThrow(/only a paid sale with nothing refunded can be voided/);
    expect(approvals().filter((approval) => approval.action === 'refund' && approval.subject === sale.id)).toEqual([
      { action: 'refund', subject: sale.id, requested_by: CASHIER.id, approved_by: SUPERVISOR.id },
      { action: 'refund', subject: sale.id, requested_by: CASHIER.id, approved_by: SUPERVISOR.id },
      { action: 'refund', subject: sale.id, requested_by: CASHIER.id, approved_by: SUPERVISOR.id },
    ]);
  });
});

describe('voids per tender', () => {
  it('voids every tender: the card leg reversed (0400 reason 17) and confirmed by the host, the cash handed back', async () => {
    const { sale, card } = await splitSale(['COF-002', 'RIC-001']);
    const voided = await rig.call('voidSale', { saleId: sale.id, approval: APPROVAL });
    expect(voided.sale.status).toBe('voided');
    expect(voided.tenders.map((tender) => tender.fate)).toEqual(['returned_cash', 'voided']);
    expect(hostTransactions(host.ledgerPath, 'POS00001').find((transaction) => transaction.rrn === card.card!.rrn)).toMatchObject({ state: 'reversed', reversal_reason: '17' });
    expect(voided.sale.tenders[1]!.legs.map((leg) => [leg.kind, leg.mti, leg.status])).toEqual([
      ['purchase', '0200', 'voided'],
      ['reversal', '0400', 'approved'],
    ]);
    expect(approvals().at(-1)).toEqual({ action: 'void', subject: sale.id, requested_by: CASHIER.id, approved_by: SUPERVISOR.id });
  });
});

describe('reprint', () => {
  it('reprints any sale from the transactions list, rebuilt from the journal, after a restart too', async () => {
    const { sale } = await splitSale(['JUI-001', 'NOO-001']);
    await rig.stop();
    rig = await startRig({ host: host.host, port: host.port, dataDir });
    await rig.waitUntilUp();
    await rig.call('signIn', { operatorId: CASHIER.id, pin: CASHIER.pin });
    const listed = await rig.call('listSales', { limit: 50 });
    expect(listed.sales.map((summary) => summary.id)).toContain(sale.id);
    const printed: string[] = [];
    rig.services.devices.onReceiptPrinted((document, receipt) => document.kind === 'sale' && document.saleId === sale.id && printed.push(receiptText(receipt)));
    expect(await rig.call('reprintReceipt', { saleId: sale.id })).toEqual({ printed: true });
    const text = await vi.waitUntil(() => printed[0], { timeout: 5000 });
    expect(text).toContain('*** REPRINT ***');
    expect(text).toContain(`RECEIPT NO`);
    expect(text).toContain(sale.receiptNumber);
    expect(text).toMatch(/Orange juice/);
    expect(text).toMatch(/TOTAL +CNY 12\.30/);
  });
});
