// @vitest-environment happy-dom
import { flushPromises } from '@vue/test-utils';
import { afterEach, describe, expect, it } from 'vitest';
import type { BatchReport } from '../../common/acquirer.ts';
import { checkoutContract } from '../../common/ipc/checkout-contract.ts';
import type { JournalEntry } from '../../common/journal.ts';
import { ok } from '../../common/ipc/result.ts';
import { formatMoney, money } from '../../common/money.ts';
import type { AppLocale } from '../i18n/locales.ts';
import { catalog, devices, linkStatus, progress, stationInfo } from '../test-support/fixtures.ts';
import { createMemoryApi, type Handlers } from '../test-support/memory-api.ts';
import { mountApp } from '../test-support/mount-app.ts';
import CheckoutApp from './CheckoutApp.vue';
import { posApi } from './pos-api.ts';

const sale: JournalEntry = {
  id: 12,
  createdAt: '2026-11-21T02:03:04.000Z',
  kind: 'purchase',
  amount: money(1800, 'CNY'),
  maskedPan: '621234******1232',
  scheme: 'unionpay',
  stan: '000012',
  status: 'approved',
  responseCode: '00',
  approvalCode: '123456',
  rrn: '632510000012',
  batchNumber: '000001',
  voidable: false,
};
/** Partly refunded: refundable, not voidable. */
const purchase: JournalEntry = { ...sale, refundable: money(1300, 'CNY') };
const refund: JournalEntry = { ...sale, id: 13, kind: 'refund', amount: money(500, 'CNY'), stan: '000013', rrn: '632510000013', originalId: 12, originalRrn: '632510000012', voidable: true };

const cny = (amountMinor: number) => money(amountMinor, 'CNY');
const report = (extra: Partial<BatchReport> = {}): BatchReport => ({
  batchNumber: '000001',
  openedAt: '2026-11-21T00:00:00.000Z',
  totals: { debits: { count: 1, amount: cny(1800) }, credits: { count: 1, amount: cny(500) }, net: { sign: 'D', amount: cny(1300) } },
  byScheme: [{ scheme: 'unionpay', sales: { count: 1, amount: cny(1800) }, refunds: { count: 1, amount: cny(500) } }],
  byType: { sale: { count: 1, amount: cny(1800) }, refund: { count: 1, amount: cny(500) }, void: { count: 0, amount: cny(0) } },
  byResult: [{ result: 'approved', count: 2, amount: cny(2300) }],
  ...extra,
});

async function mountCheckout(overrides: Handlers<typeof checkoutContract> = {}, locale: AppLocale = 'en') {
  const fake = createMemoryApi(checkoutContract, {
    getStationInfo: () => ok(stationInfo),
    listCatalog: () => ok(catalog),
    listDevices: () => ok(devices),
    listJournal: () => ok([refund, purchase]),
    getLinkStatus: () => ok(linkStatus),
    startRefund: ({ amountMinor }) => ok({ paymentId: 'refund-1', amount: cny(amountMinor) }),
    startBalanceInquiry: () => ok({ paymentId: 'inquiry-1' }),
    voidTransaction: () => ok({ ...refund, status: 'voided', voidable: false }),
    getOpenBatch: () => ok(report()),
    listBatches: () => ok([]),
    settleBatch: () => ok(report({ closedAt: '2026-11-21T14:00:00.000Z', settlement: 'in_balance_after_upload' })),
    ...overrides,
  });
  const { wrapper } = mountApp(CheckoutApp, { key: posApi.key, api: fake.api }, { locale });
  await flushPromises();
  return { wrapper, fake };
}

afterEach(() => {
  document.body.innerHTML = '';
});

describe('bank link in the status bar', () => {
  it('shows the link state and the reversals waiting, and follows what the station pushes', async () => {
    const { wrapper, fake } = await mountCheckout({}, 'zh-CN');
    expect(wrapper.get('[data-testid="link-status"]').attributes('data-state')).toBe('up');
    expect(wrapper.get('[data-testid="link-status"]').text()).toContain('正常');
    expect(wrapper.find('[data-testid="pending-reversals"]').exists()).toBe(false);

    fake.emit('linkStatus', { state: 'down', pendingReversals: 2 });
    await flushPromises();
    expect(wrapper.get('[data-testid="link-status"]').attributes('data-state')).toBe('down');
    expect(wrapper.get('[data-testid="link-state"]').text()).toBe('断开');
    expect(wrapper.get('[data-testid="pending-reversals"]').text()).toBe('2 笔冲正待发送');
  });
});

describe('transactions view', () => {
  it('offers Refund and Void only where the station says they apply', async () => {
    const { wrapper } = await mountCheckout();
    await wrapper.get('[data-testid="open-transactions"]').trigger('click');
    await flushPromises();
    expect(wrapper.get('[data-testid="transaction-12"]').text()).toContain('Sale');
    expect(wrapper.find('[data-testid="refund-12"]').exists()).toBe(true);
    expect(wrapper.find('[data-testid="void-12"]').exists()).toBe(false);
    expect(wrapper.find('[data-testid="refund-13"]').exists()).toBe(false);
    expect(wrapper.find('[data-testid="void-13"]').exists()).toBe(true);
  });

  it('refunds a whole number of fen the cashier types, never more than is left, and hands over to the payment panel', async () => {
    const { wrapper, fake } = await mountCheckout();
    await wrapper.get('[data-testid="open-transactions"]').trigger('click');
    await flushPromises();
    await wrapper.get('[data-testid="refund-12"]').trigger('click');
    const input = wrapper.get('[data-testid="refund-amount"]');
    expect((input.element as HTMLInputElement).value).toBe('1300');

    await input.setValue('1301');
    expect(wrapper.get('[data-testid="confirm-refund"]').attributes('disabled')).toBeDefined();
    await input.setValue('12.50');
    expect(wrapper.get('[data-testid="refund-preview"]').text()).toBe(formatMoney(cny(1250), 'en'));
    await wrapper.get('[data-testid="refund-dialog"]').trigger('submit');
    await flushPromises();

    expect(fake.callsTo('startRefund')).toEqual([{ originalRrn: '632510000012', amountMinor: 1250 }]);
    expect(wrapper.find('[data-testid="back-office"]').exists()).toBe(false);
    fake.emit('paymentProgress', progress('present_card', { paymentId: 'refund-1', kind: 'refund', amount: cny(1250) }));
    await flushPromises();
    expect(wrapper.get('[data-testid="payment-panel"]').attributes('data-kind')).toBe('refund');
    expect(wrapper.get('[data-testid="payment-step"]').text()).toBe('Ask the customer to swipe the card the purchase was paid with');
    expect(wrapper.get('[data-testid="step-indicator"]').text()).not.toContain('PIN');
  });

  it('voids after a second confirmation, and shows a void still waiting for the bank', async () => {
    const { wrapper, fake } = await mountCheckout({ voidTransaction: () => ok({ ...refund, status: 'reversal_pending', voidable: false }) });
    await wrapper.get('[data-testid="open-transactions"]').trigger('click');
    await flushPromises();
    await wrapper.get('[data-testid="void-13"]').trigger('click');
    expect(fake.callsTo('voidTransaction')).toEqual([]);
    await wrapper.get('[data-testid="confirm-void"]').trigger('click');
    await flushPromises();
    expect(fake.callsTo('voidTransaction')).toEqual([{ transactionId: 13 }]);
    expect(wrapper.get('[data-testid="void-result"]').attributes('data-outcome')).toBe('queued');
    expect(wrapper.get('[data-testid="transaction-13"]').attributes('data-status')).toBe('reversal_pending');

    // The queue gets its 0410: the station pushes the row as it now is.
    fake.emit('transactionUpdated', { ...refund, status: 'voided', voidable: false });
    await flushPromises();
    expect(wrapper.get('[data-testid="transaction-13"]').attributes('data-status')).toBe('voided');
    expect(wrapper.get('[data-testid="transaction-13"]').text()).toContain('Voided');
  });
});

describe('balance inquiry', () => {
  it('starts from the menu and shows the balances DE54 reported', async () => {
    const { wrapper, fake } = await mountCheckout({}, 'zh-CN');
    await wrapper.get('[data-testid="balance-inquiry"]').trigger('click');
    await flushPromises();
    expect(fake.callsTo('startBalanceInquiry')).toEqual([{}]);
    fake.emit(
      'paymentProgress',
      progress('approved', {
        paymentId: 'inquiry-1',
        kind: 'balance_inquiry',
        amount: cny(0),
        outcome: { responseCode: '00' },
        balances: [
          { type: 'available', amount: cny(498_200), sign: 'credit' },
          { type: 'ledger', amount: cny(500_000), sign: 'credit' },
        ],
      }),
    );
    await flushPromises();
    expect(wrapper.get('[data-testid="payment-step"]').text()).toBe('余额查询成功');
    expect(wrapper.get('[data-testid="balance-available"]').text()).toContain(formatMoney(cny(498_200), 'zh-CN'));
    expect(wrapper.get('[data-testid="balance-ledger"]').text()).toContain('账面余额');
    expect(wrapper.find('[data-testid="payment-amount"]').exists()).toBe(false);
  });
});

describe('a sale the bank did not answer', () => {
  it.each([
    ['en', 'the customer was not charged. The reversal is being sent to the bank.'],
    ['zh-CN', '顾客没有被扣款，冲正正在发送给银行'],
  ] as const)('tells the cashier (%s) that nobody was charged and the reversal is on its way', async (locale, text) => {
    const { wrapper, fake } = await mountCheckout({ startPayment: () => ok({ paymentId: 'pay-1', amount: cny(649) }) }, locale);
    await wrapper.get('[data-testid="product-TEA-001"]').trigger('click');
    await wrapper.get('[data-testid="pay-by-card"]').trigger('click');
    await flushPromises();
    fake.emit('paymentProgress', progress('failed', { failure: 'host_timeout' }));
    await flushPromises();
    expect(wrapper.get('[data-failure="host_timeout"]').text()).toContain(text);
  });
});

describe('end of day', () => {
  it('shows the open batch, settles it, and shows the closed report', async () => {
    let closed: BatchReport[] = [];
    const { wrapper, fake } = await mountCheckout({
      listBatches: () => ok(closed),
      settleBatch: () => {
        closed = [report({ closedAt: '2026-11-21T14:00:00.000Z', settlement: 'in_balance_after_upload' })];
        return ok(closed[0]!);
      },
      getOpenBatch: () => ok(closed.length === 0 ? report() : report({ batchNumber: '000002', totals: { debits: { count: 0, amount: cny(0) }, credits: { count: 0, amount: cny(0) }, net: { sign: 'D', amount: cny(0) } } })),
    });
    await wrapper.get('[data-testid="open-settlement"]').trigger('click');
    await flushPromises();
    expect(wrapper.get('[data-testid="open-batch-report"]').attributes('data-batch')).toBe('000001');
    expect(wrapper.get('[data-testid="report-net"]').attributes('data-amount-minor')).toBe('1300');

    await wrapper.get('[data-testid="settle-batch"]').trigger('click');
    await flushPromises();
    expect(fake.callsTo('settleBatch')).toEqual([{}]);
    const closedReport = wrapper.get('[data-testid="closed-batch-report"]');
    expect(closedReport.text()).toContain('Batch 000001 settled');
    expect(closedReport.get('[data-testid="settlement-result"]').attributes('data-result')).toBe('in_balance_after_upload');
    expect(closedReport.get('[data-testid="report-type-refund"]').attributes('data-count')).toBe('1');
    expect(wrapper.get('[data-testid="open-batch-report"]').attributes('data-batch')).toBe('000002');
    expect(wrapper.find('[data-testid="batch-000001"]').exists()).toBe(true);
  });
});
