/**
 * Tenders through the station's own composition, over TCP to the real host, on virtual devices at
 * the USB level: cash with change and the drawer, card with PIN retries, split tender (cash and card,
 * two cards), a partly paid sale cancelled (its card leg voided at the host), and the refusals a
 * cashier can meet.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { receiptText } from '../../common/receipt/model.ts';
import { startHost, type RunningHost } from '../../bank/start-host.ts';
import { hostTransactions } from '../test-support/host-ledger.ts';
import { CallError, rigEnrolment, startRig, type Rig } from '../test-support/station-rig.ts';

let host: RunningHost;
let rig: Rig;
const receipts: { saleId?: string; text: string }[] = [];
let drawerPulses = 0;

beforeAll(async () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'tenders-'));
  host = await startHost({ dataDir: join(dataDir, 'bank'), port: 0, log: () => undefined, enrolStation: rigEnrolment(dataDir) });
  rig = await startRig({ host: host.host, port: host.port, dataDir });
  rig.services.devices.onReceiptPrinted((document, receipt) => receipts.push({ ...(document.kind === 'sale' ? { saleId: document.saleId } : {}), text: receiptText(receipt) }));
  rig.services.devices.virtualPrinter.onDrawer((open) => {
    if (open) drawerPulses += 1;
  });
  await rig.waitUntilUp();
  await rig.signInAndOpenShift(20_000);
});

afterAll(async () => {
  await rig.stop();
  await host.close();
});

beforeEach(() => rig.services.devices.virtualPrinter.closeDrawer());

const receiptOf = (saleId: string) => vi.waitUntil(() => receipts.find((receipt) => receipt.saleId === saleId)?.text, { timeout: 5000 });

describe('cash', () => {
  it('takes the cash, shows the change, opens the drawer, prints tendered and change, and the sale is paid', async () => {
    const sale = await rig.ring(['COF-001', 'BAO-001']); // 15.00 + 3.00
    const pulses = drawerPulses;
    const { paymentId } = await rig.call('startCashTender', { receivedMinor: 5000 });
    await rig.services.tenders.whenIdle();
    const steps = rig.progress.filter((event) => event.paymentId === paymentId);
    expect(steps.at(-1)).toMatchObject({ step: 'approved', tenderType: 'cash', cash: { received: { amountMinor: 5000 }, change: { amountMinor: 3200 } } });
    expect(drawerPulses).toBe(pulses + 1);
    const paid = await rig.call('getSale', { saleId: sale.id });
    expect(paid).toMatchObject({ status: 'paid', paid: { amountMinor: 1800 }, due: { amountMinor: 0 } });
    const text = await receiptOf(sale.id);
    expect(text).toMatch(/CASH +CNY 18\.00/);
    expect(text).toMatch(/TENDERED +CNY 50\.00/);
    expect(text).toMatch(/CHANGE +CNY 32\.00/);
    expect(text).toMatch(/VAT 13% \(15\.00\) +1\.73/);
    expect(text).toMatch(/VAT 9% \(3\.00\) +0\.25/);
    expect((await rig.call('getCurrentSale', {})).sale).toBeUndefined();
  });

  it('refuses cash below the amount, and negative or fractional amounts, with a clear message', async () => {
    await rig.ring(['HOM-002']); // 39.00
    await expect(rig.call('startCashTender', { receivedMinor: 2000 })).rejects.toThrow(/handed over 20.00 CNY, less than the 39.00 CNY to pay in cash/);
    await expect(rig.call('startCashTender', { receivedMinor: -500 })).rejects.toThrow(/the cash received must be more than zero/);
    await expect(rig.call('startCashTender', { receivedMinor: 12.5 })).rejects.toThrow(/the cash received must be a whole number of fen/);
    await expect(rig.call('startCardTender', { amountMinor: 3901 })).rejects.toThrow(/only 39.00 CNY is due/);
    await expect(rig.call('setLineDiscount', { lineNo: 1, discount: { kind: 'amount', amountMinor: 3901 } })).rejects.toThrow(/more than the line 1's amount/);
    await rig.call('cancelSale', {});
  });
});

describe('card', () => {
  it('a wrong PIN (55) is an attempt of the one tender: the right PIN then approves it, and the 55 is a declined leg, not a declined sale', async () => {
    const sale = await rig.ring(['TEA-001']);
    const final = await rig.payByCard('visa-credit', ['9999', '1234']);
    expect(final).toMatchObject({ step: 'approved', tenderType: 'card', entryMode: 'magstripe' });
    const paid = await rig.call('getSale', { saleId: sale.id });
    expect(paid.tenders).toHaveLength(1);
    expect(paid.tenders[0]!.legs.map((leg) => [leg.attempt, leg.responseCode])).toEqual([
      [1, '55'],
      [2, '00'],
    ]);
    const batch = await rig.call('getOpenBatch', {});
    expect(batch.byResult.find((row) => row.result === 'declined')).toBeUndefined();
    await receiptOf(sale.id);
  });

  it('refuses a scheme the merchant does not accept before going online, and the sale waits for another tender', async () => {
    const sale = await rig.ring(['WAT-001']);
    const legs = rig.services.journal.legs.pending().length;
    expect(await rig.payByCard('amex-credit', [])).toMatchObject({ step: 'failed', failure: 'card_not_accepted' });
    expect(rig.services.journal.legs.pending()).toHaveLength(legs);
    expect((await rig.call('getSale', { saleId: sale.id })).status).toBe('tendering');
    await rig.call('cancelSale', {});
  });
});

describe('split tender', () => {
  it('part cash, part card: tendering until fully paid, then one receipt with both', async () => {
    const sale = await rig.ring(['HOM-003', 'SNK-001']); // 25.00 + 7.90
    await rig.call('startCashTender', { amountMinor: 1000, receivedMinor: 1000 });
    await rig.services.tenders.whenIdle();
    expect((await rig.call('getCurrentSale', {})).sale).toMatchObject({ status: 'tendering', paid: { amountMinor: 1000 }, due: { amountMinor: 2290 } });
    expect(await rig.payByCard('unionpay-debit-approved', ['123456'])).toMatchObject({ step: 'approved', amount: { amountMinor: 2290 } });
    const text = await receiptOf(sale.id);
    expect(text).toMatch(/CASH +CNY 10\.00/);
    expect(text).toMatch(/CARD +CNY 22\.90/);
    expect(text).toMatch(/CARD NO +621234\*{6}1232/);
    expect((await rig.call('getSale', { saleId: sale.id })).status).toBe('paid');
  });

  it('two cards, the first declined: the sale stays tendering, and the second card pays it', async () => {
    const sale = await rig.ring(['DUM-001']); // 22.90
    expect(await rig.payByCard('mastercard-2series-credit', ['2468'], 1000)).toMatchObject({ step: 'approved' });
    expect(await rig.payByCard('unionpay-low-balance', ['123456'])).toMatchObject({ step: 'declined', outcome: { responseCode: '51' } });
    expect((await rig.call('getSale', { saleId: sale.id })).status).toBe('tendering');
    expect(await rig.payByCard('jcb-credit', ['1234'])).toMatchObject({ step: 'approved', amount: { amountMinor: 1290 } });
    const paid = await rig.call('getSale', { saleId: sale.id });
    expect(paid.tenders.map((tender) => [tender.state, tender.amount.amountMinor])).toEqual([
      ['approved', 1000],
      ['declined', 1290],
      ['approved', 1290],
    ]);
  });

  it('a partly paid sale cancelled: the approved card leg is voided at the host, the cash handed back, each fate told', async () => {
    const sale = await rig.ring(['HOM-004', 'SNK-002']); // 18.50 + 12.00
    await rig.call('startCashTender', { amountMinor: 500, receivedMinor: 1000 });
    await rig.services.tenders.whenIdle();
    await rig.payByCard('mastercard-2series-credit', ['2468'], 1500);
    rig.services.devices.virtualPrinter.closeDrawer();
    const pulses = drawerPulses;
    const cancelled = await rig.call('cancelSale', {});
    expect(cancelled.sale.status).toBe('cancelled');
    expect(cancelled.tenders.map((tender) => [tender.type, tender.amountMinor, tender.fate])).toEqual([
      ['cash', 500, 'returned_cash'],
      ['card', 1500, 'voided'],
    ]);
    expect(drawerPulses).toBe(pulses + 1);
    const rrn = cancelled.sale.tenders.find((tender) => tender.type === 'card')!.card!.rrn!;
    expect(hostTransactions(host.ledgerPath, 'POS00001').find((transaction) => transaction.rrn === rrn)).toMatchObject({ state: 'reversed', reversal_reason: '17' });
    expect((await rig.call('getSale', { saleId: sale.id })).tenders.map((tender) => tender.state)).toEqual(['voided', 'voided']);
  });

  it('a cashier cancel while the card is awaited ends that tender only; the sale can be paid another way', async () => {
    const sale = await rig.ring(['EGG-001']);
    const { paymentId } = await rig.call('startCardTender', {});
    await vi.waitUntil(() => rig.progress.some((event) => event.paymentId === paymentId && event.step === 'present_card'));
    expect(await rig.call('cancelPayment', { paymentId })).toEqual({ cancelled: true });
    await rig.services.tenders.whenIdle();
    expect(rig.progress.filter((event) => event.paymentId === paymentId).at(-1)).toMatchObject({ step: 'cancelled', failure: 'cancelled_by_cashier' });
    await rig.call('startCashTender', { receivedMinor: 200 });
    await rig.services.tenders.whenIdle();
    expect((await rig.call('getSale', { saleId: sale.id })).status).toBe('paid');
  });

  it('one payment at a time, and items only change while nothing is held', async () => {
    await rig.ring(['TEA-001', 'WAT-001']);
    const { paymentId } = await rig.call('startCardTender', { amountMinor: 100 });
    await expect(rig.call('startCashTender', { receivedMinor: 100 })).rejects.toMatchObject({ code: 'busy' });
    await expect(rig.call('addItem', { sku: 'TEA-001', quantity: 1 })).rejects.toThrow(/a payment is in progress/);
    await rig.call('cancelPayment', { paymentId });
    await rig.services.tenders.whenIdle();
    await expect(rig.call('addItem', { sku: 'NOPE', quantity: 1 })).rejects.toBeInstanceOf(CallError);
    await rig.call('cancelSale', {});
  });
});
