// @vitest-environment happy-dom
/** The back office: every sale by keyset pages, a sale in full, reprint, void and refund per tender with a supervisor in place; the shift's X report and blind close; settlement confirmed. */
import { flushPromises, type VueWrapper } from '@vue/test-utils';
import { afterEach, describe, expect, it } from 'vitest';
import type { BatchReport } from '../../common/acquirer.ts';
import { checkoutContract, type GivenBack } from '../../common/ipc/checkout-contract.ts';
import { ok } from '../../common/ipc/result.ts';
import { money } from '../../common/money.ts';
import type { Sale, SaleSummary } from '../../common/sale/model.ts';
import type { ShiftReport } from '../../common/shift.ts';
import type { AppLocale } from '../i18n/locales.ts';
import { approveInDialog } from '../test-support/approval-dialog.ts';
import { fakeStation, saleOf, SIGNED_IN } from '../test-support/fake-station.ts';
import { createMemoryApi, type Handlers } from '../test-support/memory-api.ts';
import { mountApp } from '../test-support/mount-app.ts';
import CheckoutApp from './CheckoutApp.vue';
import { posApi } from './pos-api.ts';

const cny = (amountMinor: number) => money(amountMinor, 'CNY');
const paidSale: Sale = saleOf([['NOTE-003', 2]], {
  id: '0193a1b2-0000-7000-8000-000000000001',
  receiptNumber: '000012',
  status: 'paid',
  paid: cny(2500),
  due: cny(0),
  tenders: [
    { id: 3, type: 'cash', entryMode: 'cash', state: 'approved', amount: cny(500), received: cny(1000), change: cny(500), refunded: cny(0), legs: [] },
    {
      id: 4,
      type: 'card',
      entryMode: 'magstripe',
      state: 'approved',
      amount: cny(2000),
      refunded: cny(0),
      card: { maskedPan: '621234******1232', scheme: 'unionpay', rrn: '632510000012', approvalCode: '123456' },
      legs: [
        { id: 21, kind: 'purchase', mti: '0200', processingCode: '000000', amount: cny(2000), transmittedAt: '1121020304', stan: '000021', posEntryMode: '021', maskedPan: '621234******1232', scheme: 'unionpay', status: 'declined', responseCode: '55', attempt: 1, createdAt: '2026-11-21T02:03:04.000Z' },
        { id: 22, kind: 'purchase', mti: '0200', processingCode: '000000', amount: cny(2000), transmittedAt: '1121020310', stan: '000022', posEntryMode: '021', maskedPan: '621234******1232', scheme: 'unionpay', status: 'approved', responseCode: '00', rrn: '632510000012', attempt: 2, createdAt: '2026-11-21T02:03:10.000Z' },
      ],
    },
  ],
});
const summary = (sale: Sale, index: number): SaleSummary => ({
  id: `0193a1b2-0000-7000-8000-${String(index).padStart(12, '0')}`,
  receiptNumber: String(index).padStart(6, '0'),
  status: sale.status,
  openedAt: sale.openedAt,
  legacy: false,
  paid: sale.paid,
  refunded: sale.refunded,
  total: sale.totals.total,
  tenders: sale.tenders.map(({ id, type, state, amount }) => ({ id, type, state, amount })),
});
const batch = (extra: Partial<BatchReport> = {}): BatchReport => ({
  batchNumber: '000001',
  openedAt: '2026-11-21T00:00:00.000Z',
  totals: { debits: { count: 1, amount: cny(2000) }, credits: { count: 0, amount: cny(0) }, net: { sign: 'D', amount: cny(2000) } },
  byScheme: [{ scheme: 'unionpay', sales: { count: 1, amount: cny(2000) }, refunds: { count: 0, amount: cny(0) } }],
  byType: { sale: { count: 1, amount: cny(2000) }, refund: { count: 0, amount: cny(0) }, void: { count: 0, amount: cny(0) } },
  byResult: [{ result: 'approved', count: 1, amount: cny(2000) }],
  ...extra,
});
const xReport: ShiftReport = {
  kind: 'X',
  shift: SIGNED_IN.shift!,
  at: '2026-11-21T03:00:00.000Z',
  sales: { count: 1, amount: cny(2500) },
  cancelled: 0,
  voids: { count: 0, amount: cny(0) },
  byTender: [
    { type: 'cash', count: 1, amount: cny(500) },
    { type: 'card', count: 1, amount: cny(2000) },
  ],
  byScheme: [{ scheme: 'unionpay', count: 1, amount: cny(2000) }],
  byVatRate: [{ rateBp: 1300, amount: cny(2500), vat: cny(288) }],
  refunds: { total: { count: 0, amount: cny(0) }, byTender: [], byVatRate: [] },
  cash: { float: cny(20_000), sales: cny(500), refunds: cny(0), paidIn: cny(0), paidOut: cny(0), expected: cny(20_500) },
  noSales: 0,
  batch: { batchNumber: '000001', debits: { count: 1, amount: cny(2000) }, credits: { count: 0, amount: cny(0) } },
};
const APPROVAL = { operatorId: '9001', pin: '7391' };

async function mountCheckout(overrides: Handlers<typeof checkoutContract> = {}, locale: AppLocale = 'en') {
  const page = Array.from({ length: 50 }, (_, index) => summary(paidSale, 60 - index));
  const fake = createMemoryApi(checkoutContract, {
    ...fakeStation(),
    listSales: ({ before }) => ok({ sales: before === undefined ? page : [summary(paidSale, 3), summary(paidSale, 2)] }),
    getSale: () => ok(paidSale),
    reprintReceipt: () => ok({ printed: true }),
    voidSale: ({ saleId }) => ok({ sale: { ...paidSale, id: saleId, status: 'voided' }, tenders: [{ tenderId: 3, type: 'cash', amountMinor: 500, fate: 'returned_cash' }, { tenderId: 4, type: 'card', amountMinor: 2000, fate: 'void_pending' }] } satisfies GivenBack),
    refundTender: ({ tenderId, amountMinor }) => ok(tenderId === 4 ? { paymentId: 'refund-1' } : { sale: { ...paidSale, status: 'partly_refunded', refunded: cny(amountMinor) } }),
    getOpenBatch: () => ok(batch()),
    listBatches: () => ok([]),
    settleBatch: () => ok(batch({ closedAt: '2026-11-21T14:00:00.000Z', settlement: 'in_balance' })),
    getXReport: () => ok(xReport),
    printXReport: () => ok(xReport),
    closeShift: ({ countedMinor }) => ok({ ...xReport, kind: 'Z', cash: { ...xReport.cash, counted: cny(countedMinor), overShort: { sign: 'short', amount: cny(20_500 - countedMinor) } } }),
    ...overrides,
  });
  const mounted = mountApp(CheckoutApp, { key: posApi.key, api: fake.api }, { locale });
  await flushPromises();
  return { ...mounted, fake };
}

async function tap(wrapper: VueWrapper, testid: string): Promise<void> {
  await wrapper.get(`[data-testid="${testid}"]`).trigger('click');
  await flushPromises();
}

/** The supervisor types their own id and PIN in the approval dialog. */
const approve = (wrapper: VueWrapper) => approveInDialog(wrapper, APPROVAL);

afterEach(() => {
  document.body.innerHTML = '';
});

describe('bank link in the status bar', () => {
  it('shows the link state and the reversals waiting, and follows what the station pushes', async () => {
    const { wrapper, fake } = await mountCheckout({}, 'zh-CN');
    expect(wrapper.get('[data-testid="link-status"]').attributes('data-state')).toBe('up');
    expect(wrapper.get('[data-testid="link-status"]').text()).toContain('正常');
    expect(wrapper.find('[data-testid="pending-reversals"]').exists()).toBe(false);

    fake.emit('linkStatus', { state: 'down', transport: 'tls', pendingReversals: 2 });
    await flushPromises();
    expect(wrapper.get('[data-testid="link-status"]').attributes('data-state')).toBe('down');
    expect(wrapper.get('[data-testid="link-state"]').text()).toBe('断开');
    expect(wrapper.get('[data-testid="pending-reversals"]').text()).toBe('2 笔冲正待发送');
    expect(wrapper.find('[data-testid="link-not-encrypted"]').exists()).toBe(false);
  });

  it.each([
    ['zh-CN', '未加密'],
    ['en', 'Not encrypted'],
  ] as const)('warns that a plain TCP link is not encrypted (%s)', async (locale, words) => {
    const { wrapper, fake } = await mountCheckout({}, locale);
    fake.emit('linkStatus', { state: 'up', transport: 'plain', pendingReversals: 0 });
    await flushPromises();
    expect(wrapper.get('[data-testid="link-status"]').attributes('data-transport')).toBe('plain');
    const warning = wrapper.get('[data-testid="link-not-encrypted"]');
    expect(warning.text()).toContain(words);
    expect(warning.classes()).toContain('link__plain');
    expect(warning.attributes('title')).toContain('acquirer.transport');
  });
});

describe('transactions', () => {
  it('lists sales newest first and reaches older ones by keyset', async () => {
    const { wrapper, fake } = await mountCheckout();
    await tap(wrapper, 'open-transactions');
    expect(wrapper.findAll('[data-testid^="sale-0000"]')).toHaveLength(50);
    await tap(wrapper, 'load-older');
    expect(fake.callsTo('listSales').at(-1)).toEqual({ before: '0193a1b2-0000-7000-8000-000000000011', limit: 50 });
    expect(wrapper.find('[data-testid="sale-000002"]').exists()).toBe(true);
    expect(wrapper.find('[data-testid="load-older"]').exists()).toBe(false);
  });

  it('opens a sale in full: tenders, and the card tender\'s legs (a 55 then the approval), and reprints it', async () => {
    const { wrapper, fake } = await mountCheckout();
    await tap(wrapper, 'open-transactions');
    await tap(wrapper, 'sale-000060');
    const detail = wrapper.get('[data-testid="sale-detail"]');
    expect(detail.get('[data-testid="tender-4"]').findAll('[data-testid^="leg-"]').map((leg) => leg.attributes('data-status'))).toEqual(['declined', 'approved']);
    expect(detail.text()).toContain('Received ¥10.00, change ¥5.00');
    await tap(wrapper, 'reprint-sale');
    expect(fake.callsTo('reprintReceipt')).toEqual([{ saleId: paidSale.id }]);
  });

  it('voids a sale with a supervisor\'s approval typed in place, and tells each tender\'s fate', async () => {
    const { wrapper, fake } = await mountCheckout();
    await tap(wrapper, 'open-transactions');
    await tap(wrapper, 'sale-000060');
    await tap(wrapper, 'void-sale');
    expect(wrapper.get('[data-testid="approval-dialog"]').attributes('data-purpose')).toBe('void');
    await approve(wrapper);
    expect(fake.callsTo('voidSale')).toEqual([{ saleId: paidSale.id, approval: APPROVAL }]);
    expect(wrapper.get('[data-testid="fate-3"]').attributes('data-fate')).toBe('returned_cash');
    expect(wrapper.get('[data-testid="fate-4"]').text()).toContain('the bank cannot be reached now');
  });

  it('sends nothing when the approval is cancelled', async () => {
    const { wrapper, fake } = await mountCheckout();
    await tap(wrapper, 'open-transactions');
    await tap(wrapper, 'sale-000060');
    await tap(wrapper, 'void-sale');
    await tap(wrapper, 'approval-cancel');
    expect(fake.callsTo('voidSale')).toEqual([]);
  });

  it('refunds a cash tender in yuan, sent as fen, and hands a card refund to the payment panel', async () => {
    const { wrapper, fake } = await mountCheckout();
    await tap(wrapper, 'open-transactions');
    await tap(wrapper, 'sale-000060');
    await tap(wrapper, 'refund-tender-3');
    expect(wrapper.get('[data-testid="refund-left"]').text()).toBe('¥5.00');
    await wrapper.get('[data-testid="refund-amount"]').setValue('5.01');
    expect(wrapper.get('[data-testid="confirm-refund"]').attributes('disabled')).toBeDefined();
    await wrapper.get('[data-testid="refund-amount"]').setValue('2.5');
    await tap(wrapper, 'confirm-refund');
    await approve(wrapper);
    expect(fake.callsTo('refundTender')).toEqual([{ saleId: paidSale.id, tenderId: 3, amountMinor: 250, approval: APPROVAL }]);

    await tap(wrapper, 'refund-tender-4');
    await wrapper.get('[data-testid="refund-amount"]').setValue('12.5');
    await tap(wrapper, 'confirm-refund');
    await approve(wrapper);
    expect(wrapper.find('[data-testid="back-office"]').exists()).toBe(false);
    expect(wrapper.get('[data-testid="payment-panel"]').attributes('data-kind')).toBe('refund');
    expect(wrapper.get('[data-testid="payment-amount"]').text()).toBe('¥12.50');
  });
});

describe('shift', () => {
  it('shows the X report, prints it, and closes blind: the count first, the expected cash after', async () => {
    const { wrapper, fake } = await mountCheckout();
    await tap(wrapper, 'open-shift-view');
    expect(wrapper.get('[data-testid="report-expected"]').attributes('data-amount-minor')).toBe('20500');
    await tap(wrapper, 'print-x-report');
    expect(fake.callsTo('printXReport')).toHaveLength(1);
    await tap(wrapper, 'start-close-shift');
    expect(wrapper.find('[data-testid="report-expected"]').exists()).toBe(false);
    await wrapper.get('[data-testid="blind-count-amount"]').setValue('204.50');
    await wrapper.get('[data-testid="blind-count"]').trigger('submit');
    await flushPromises();
    expect(fake.callsTo('closeShift')).toEqual([{ countedMinor: 20_450 }]);
    expect(wrapper.get('[data-testid="shift-report"]').attributes('data-kind')).toBe('Z');
    expect(wrapper.get('[data-testid="report-over-short"]').attributes('data-sign')).toBe('short');
  });
});

describe('settlement', () => {
  it('shows the totals it will send, asks for confirmation and a supervisor, then shows the closed report', async () => {
    const { wrapper, fake } = await mountCheckout();
    await tap(wrapper, 'open-settlement');
    await tap(wrapper, 'settle-batch');
    expect(wrapper.get('[data-testid="settlement-confirmation"]').text()).toContain('1 sale(s) of ¥20.00');
    expect(fake.callsTo('settleBatch')).toEqual([]);
    await tap(wrapper, 'settle-confirm');
    await approve(wrapper);
    expect(fake.callsTo('settleBatch')).toEqual([{ approval: APPROVAL }]);
    expect(wrapper.get('[data-testid="closed-batch-report"] [data-testid="settlement-result"]').attributes('data-result')).toBe('in_balance');
  });

  it('cannot settle an empty batch', async () => {
    const empty = batch({ totals: { debits: { count: 0, amount: cny(0) }, credits: { count: 0, amount: cny(0) }, net: { sign: 'D', amount: cny(0) } } });
    const { wrapper } = await mountCheckout({ getOpenBatch: () => ok(empty) });
    await tap(wrapper, 'open-settlement');
    expect(wrapper.get('[data-testid="settle-batch"]').attributes('disabled')).toBeDefined();
    expect(wrapper.find('[data-testid="settlement-empty"]').exists()).toBe(true);
  });
});
