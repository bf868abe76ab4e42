/**
 * QR tenders through the station's own composition, against the real host's wallet platform over
 * its signed HTTP API, on virtual devices: merchant-presented (the customer's phone scans the code
 * the station shows and pays), customer-presented (the cashier scans the phone's payment code with
 * the virtual scanner), the password a wallet asks above an amount ("user paying" → query → paid),
 * the cashier's cancel closing the order, the time-out, refunds and voids back to the wallet, and
 * receipts. kill -9 of the station mid-payment: qr-crash.test.ts.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { startWalletTestHost, testWallet, type WalletTestHost } from '../../bank/wallet/wallet-test-host.ts';
import type { PaymentProgress } from '../../common/payment.ts';
import { parseMerchantPresentedPayload } from '../../common/qr/merchant-presented.ts';
import { receiptText } from '../../common/receipt/model.ts';
import { APPROVAL, startRig, type Rig } from '../test-support/station-rig.ts';

let host: WalletTestHost;
let rig: Rig;
let dataDir: string;
const receipts: { saleId?: string; text: string }[] = [];

async function startStation(walletConfig: Parameters<typeof startRig>[0]['walletConfig'] = {}): Promise<Rig> {
  const started = await startRig({ host: host.running.host, port: host.running.port, dataDir, transport: 'plain', wallet: () => host.running.wallet, walletConfig });
  started.services.devices.onReceiptPrinted((document, receipt) => receipts.push({ ...(document.kind === 'sale' ? { saleId: document.saleId } : {}), text: receiptText(receipt) }));
  await started.waitUntilUp();
  await started.signInAndOpenShift(10_000);
  return started;
}

beforeAll(async () => {
  host = await startWalletTestHost();
  dataDir = mkdtempSync(join(tmpdir(), 'qr-tenders-'));
  rig = await startStation();
});

afterAll(async () => {
  await rig?.stop();
  await host?.close();
});

const finalOf = (paymentId: string) => vi.waitUntil(() => rig.progress.find((event) => event.paymentId === paymentId && ['approved', 'declined', 'cancelled', 'failed'].includes(event.step)), { timeout: 20_000, interval: 20 });
const shownCode = (paymentId: string) => vi.waitUntil(() => rig.progress.find((event) => event.paymentId === paymentId && event.step === 'show_qr' && event.qr?.payload !== undefined)?.qr?.payload, { timeout: 10_000, interval: 20 });
const receiptOf = (saleId: string) => vi.waitUntil(() => receipts.find((receipt) => receipt.saleId === saleId)?.text, { timeout: 5000 });

describe('merchant-presented QR', () => {
  it('shows an EMVCo code; the phone scans and pays it; the sale is paid with the wallet summary and a receipt; part is refunded to the wallet', async () => {
    const sale = await rig.ring(['TEA-001']);
    const before = host.balance('wallet-demo');
    const { paymentId, tenderId } = await rig.call('startQrTender', { mode: 'merchant_presented' });
    const payload = await shownCode(paymentId);
    const parsed = parseMerchantPresentedPayload(payload, { acceptedCurrencies: ['156'] });
    expect(parsed.pointOfInitiation).toBe('dynamic');
    expect(parsed.currencyNumeric).toBe('156');
    expect(parsed.countryCode).toBe('CN');
    expect(parsed.amount).toBe((sale.totals.total.amountMinor / 100).toFixed(2));
    expect(parsed.language?.merchantName).toBe('示范便利店');

    const phone = host.phone('wallet-demo');
    const scanned = await phone.scan(payload);
    expect(scanned.kind).toBe('ok');
    if (scanned.kind !== 'ok') return;
    expect(scanned.value.order.amount.total).toBe(sale.totals.total.amountMinor);
    expect((await phone.payOrder(scanned.value.orderCode)).kind).toBe('ok');

    const final = await finalOf(paymentId);
    expect(final.step).toBe('approved');
    const paid = rig.services.journal.sales.load(sale.id)!;
    expect(paid.status).toBe('paid');
    const tender = paid.tenders.find((candidate) => candidate.id === tenderId)!;
    expect(tender).toMatchObject({ type: 'qr', entryMode: 'qr', state: 'approved', qr: { mode: 'merchant_presented', wallet: 'DemoPay', maskedPayer: '138****0001' } });
    expect(tender.qr!.transactionId).toMatch(/^\d{28}$/);
    expect(host.balance('wallet-demo')).toBe(before - sale.totals.total.amountMinor);
    const text = await receiptOf(sale.id);
    expect(text).toContain('QR PAYMENT');
    expect(text).toContain('138****0001');
    expect(text).toContain(tender.qr!.transactionId!);
    expect(text).not.toContain('13800000001');

    const refunded = await rig.call('refundTender', { saleId: sale.id, tenderId, amountMinor: 100, approval: APPROVAL });
    expect('sale' in refunded ? refunded.sale?.status : undefined).toBe('partly_refunded');
    expect(host.balance('wallet-demo')).toBe(before - sale.totals.total.amountMinor + 100);
    expect(rig.services.journal.qrLegs.ofTender(tenderId).map((leg) => [leg.kind, leg.state])).toEqual([
      ['native', 'paid'],
      ['refund', 'refunded'],
    ]);

    // The X report counts QR by its tender type, sales and refunds.
    const report = await rig.call('printXReport', {});
    expect(report.byTender).toContainEqual({ type: 'qr', count: 1, amount: sale.totals.total });
    expect(report.refunds.byTender).toContainEqual({ type: 'qr', count: 1, amount: { amountMinor: 100, currency: 'CNY' } });
  });

  it("the cashier's cancel closes the order: the phone can no longer pay it", async () => {
    const sale = await rig.ring(['TEA-001']);
    const { paymentId } = await rig.call('startQrTender', { mode: 'merchant_presented' });
    const payload = await shownCode(paymentId);
    expect(await rig.call('cancelPayment', { paymentId })).toEqual({ cancelled: true });
    const final = await finalOf(paymentId);
    expect(final.step).toBe('cancelled');
    const phone = host.phone('wallet-demo');
    const scanned = await phone.scan(payload);
    if (scanned.kind === 'ok') expect((await phone.payOrder(scanned.value.orderCode)).kind).toBe('refused');
    expect(rig.services.journal.sales.load(sale.id)!.status).toBe('tendering');
    await rig.call('cancelSale', {});
  });
});

describe('customer-presented QR', () => {
  it("the cashier scans the phone's payment code; the sale is paid; a void gives it all back to the wallet", async () => {
    const sale = await rig.ring(['TEA-001']);
    const before = host.balance('wallet-demo');
    const { paymentId, tenderId } = await rig.call('startQrTender', { mode: 'customer_presented' });
    await vi.waitUntil(() => rig.progress.some((event) => event.paymentId === paymentId && event.step === 'scan_qr'), { timeout: 5000 });
    const code = await host.phone('wallet-demo').issuePaymentCode();
    if (code.kind !== 'ok') throw new Error('no payment code');
    await rig.sim('scanBarcode', { code: code.value.auth_code });
    const final = await finalOf(paymentId);
    expect(final.step).toBe('approved');
    expect(final.qr).toMatchObject({ mode: 'customer_presented', maskedPayer: '138****0001' });
    expect(rig.services.journal.sales.load(sale.id)!.tenders.find((tender) => tender.id === tenderId)!.qr?.mode).toBe('customer_presented');
    expect(host.balance('wallet-demo')).toBe(before - sale.totals.total.amountMinor);

    const voided = await rig.call('voidSale', { saleId: sale.id, approval: APPROVAL });
    expect(voided.tenders).toEqual([{ tenderId, type: 'qr', amountMinor: sale.totals.total.amountMinor, fate: 'voided' }]);
    expect(voided.sale.status).toBe('voided');
    expect(host.balance('wallet-demo')).toBe(before);
  });

  it('a wallet that asks for the password: "user paying", queried until the phone confirms, then paid', async () => {
    const sale = await rig.ring(['TEA-001']);
    const { paymentId } = await rig.call('startQrTender', { mode: 'customer_presented' });
    const phone = host.phone('wallet-password');
    const code = await phone.issuePaymentCode();
    if (code.kind !== 'ok') throw new Error('no payment code');
    await rig.sim('scanBarcode', { code: code.value.auth_code });
    const waiting = await vi.waitUntil(
      async () => {
        const pending = await phone.pending();
        return pending.kind === 'ok' && pending.value.length > 0 ? pending.value[0] : undefined;
      },
      { timeout: 10_000, interval: 50 },
    );
    expect(rig.progress.some((event: PaymentProgress) => event.paymentId === paymentId && ['approved', 'declined'].includes(event.step))).toBe(false);
    expect((await phone.confirm(waiting.transaction_id!, testWallet('wallet-password').password)).kind).toBe('ok');
    expect((await finalOf(paymentId)).step).toBe('approved');
    expect(rig.services.journal.sales.load(sale.id)!.status).toBe('paid');
  });

  it('a used payment code is declined with the wallet\'s reason, and nothing is charged', async () => {
    await rig.ring(['TEA-001']);
    const phone = host.phone('wallet-demo');
    const code = await phone.issuePaymentCode();
    if (code.kind !== 'ok') throw new Error('no payment code');
    const first = await rig.call('startQrTender', { mode: 'customer_presented', amountMinor: 100 });
    await rig.sim('scanBarcode', { code: code.value.auth_code });
    expect((await finalOf(first.paymentId)).step).toBe('approved');
    const before = host.balance('wallet-demo');
    const second = await rig.call('startQrTender', { mode: 'customer_presented' });
    await rig.sim('scanBarcode', { code: code.value.auth_code });
    const final = await finalOf(second.paymentId);
    expect(final.step).toBe('declined');
    expect(final.qr?.errorCode).toMatch(/AUTH_CODE/);
    expect(host.balance('wallet-demo')).toBe(before);
    await rig.call('cancelSale', {});
  });
});

describe('time-out', () => {
  it('a code nobody pays is closed at the time-out: failed, and the phone can no longer pay it', async () => {
    await rig.stop();
    rig = await startStation({ showSeconds: 1 });
    await rig.ring(['TEA-001']);
    const { paymentId } = await rig.call('startQrTender', { mode: 'merchant_presented' });
    const payload = await shownCode(paymentId);
    const final = await finalOf(paymentId);
    expect(final).toMatchObject({ step: 'failed', failure: 'qr_timeout' });
    const phone = host.phone('wallet-demo');
    const scanned = await phone.scan(payload);
    if (scanned.kind === 'ok') expect((await phone.payOrder(scanned.value.orderCode)).kind).toBe('refused');
    await rig.call('cancelSale', {});
  });
});
