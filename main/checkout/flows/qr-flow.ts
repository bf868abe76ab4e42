/**
 * The QR flow: a sale's tender paid with a phone wallet, both ways a Chinese counter takes it.
 *
 *   routing ──merchant_presented──▶ showing_code ──paid──▶ approved
 *      │                               │  ──declined──▶ declined
 *      │                               │  ──expired / unreachable / reversal_pending──▶ failed
 *      │                               └──closed (the cashier cancelled)──▶ cancelled
 *      └──customer_presented──▶ paying ──paid──▶ approved · declined ──▶ declined
 *                                  └──reversed (cancelled) ──▶ cancelled · reversed / reversal_pending ──▶ failed
 *
 * showing_code (merchant-presented): the station creates the order, builds the EMVCo payload around
 * the platform's order code (common/qr/) and shows it (the progress event's qr.payload: the checkout
 * and the customer display draw it); it learns the payment from the platform's notification, or by
 * querying; at the time-out, or on the cashier's cancel, it closes the order, and a close answering
 * "already paid" makes the sale paid (payments/wallet/merchant-presented-flow.ts).
 * paying (customer-presented): the cashier scanned the customer's 18-digit payment code (the
 * presentment); the station sends a micropay and, on "user paying" or no answer, queries with
 * backoff until paid or failed, and reverses at the limit or on the cashier's cancel
 * (payments/wallet/micropay-flow.ts).
 *
 * Every wallet request is written ahead as a QR leg in the journal (main/journal/qr-legs.ts); the
 * tender is approved with the wallet's summary (TenderQr) once a leg is paid. A crash in between is
 * settled at start-up (qr/qr-recovery.ts).
 */
import { defineMachine } from '../../../common/fsm.ts';
import { money } from '../../../common/money.ts';
import { buildMerchantPresentedPayload } from '../../../common/qr/merchant-presented.ts';
import { qrAmount } from '../../../common/qr/qr-amount.ts';
import { walletAccountTemplate } from '../../../common/qr/wallet-account-template.ts';
import type { TenderQr } from '../../../common/sale/model.ts';
import type { FlowContext } from '../../../payments/wallet/flow-support.ts';
import { runMerchantPresented, type MerchantPresentedOutcome } from '../../../payments/wallet/merchant-presented-flow.ts';
import { runMicropay, type MicropayOutcome } from '../../../payments/wallet/micropay-flow.ts';
import type { Order } from '../../../payments/wallet/wallet-api.ts';
import type { WalletConfig } from '../../config/wallet-config.ts';
import type { Journal } from '../../journal/journal.ts';
import type { WalletLink } from '../qr/wallet-link.ts';
import type { FlowRun, Presentment, TenderFlow } from './tender-flow.ts';

export type QrMode = 'merchant_presented' | 'customer_presented';

/** What a QR tender is presented with: the station's code to show, or the customer's scanned payment code. */
export type QrPresentmentData = { readonly mode: 'merchant_presented' } | { readonly mode: 'customer_presented'; readonly authCode: string };

const STATES = ['routing', 'showing_code', 'paying', 'approved', 'declined', 'cancelled', 'failed'] as const;
type State = (typeof STATES)[number];
type Event = 'merchant_presented' | 'customer_presented' | 'paid' | 'declined' | 'closed' | 'given_up';

export const qrMachine = defineMachine<State, Event | 'cancel' | 'error', undefined>({
  name: 'QR flow',
  initial: 'routing',
  states: STATES,
  final: ['approved', 'declined', 'cancelled', 'failed'],
  transitions: [
    { from: 'routing', event: 'merchant_presented', to: 'showing_code' },
    { from: 'routing', event: 'customer_presented', to: 'paying' },
    { from: 'routing', event: 'cancel', to: 'cancelled' },
    // The cashier may cancel while the code is shown or the payment is unsettled: the activity closes
    // or reverses the order itself (a close answering "already paid" still ends approved).
    { from: 'showing_code', event: 'cancel', to: 'cancelled' },
    { from: 'showing_code', event: 'paid', to: 'approved' },
    { from: 'showing_code', event: 'declined', to: 'declined' },
    { from: 'showing_code', event: 'closed', to: 'cancelled' },
    { from: 'showing_code', event: 'given_up', to: 'failed' },
    { from: 'showing_code', event: 'error', to: 'failed' },
    { from: 'paying', event: 'cancel', to: 'cancelled' },
    { from: 'paying', event: 'paid', to: 'approved' },
    { from: 'paying', event: 'declined', to: 'declined' },
    { from: 'paying', event: 'closed', to: 'cancelled' },
    { from: 'paying', event: 'given_up', to: 'failed' },
    { from: 'paying', event: 'error', to: 'failed' },
  ],
});

export interface QrFlowDependencies {
  readonly config: WalletConfig;
  readonly journal: Journal;
  readonly wallet: WalletLink;
  readonly terminalId: string;
  /** The merchant's Chinese name, for the payload's language template (tag 64). */
  readonly merchantNameZh: string;
  readonly log: (line: string) => void;
  /** Tests shorten the waits between retries of unknown answers; the product runs with the policies' defaults. */
  readonly retryDelaysMs?: readonly number[];
}

interface Context {
  readonly data: QrPresentmentData;
}

export function qrFlow(deps: QrFlowDependencies): TenderFlow<State, Event, Context> {
  return {
    tender: 'qr',
    entryMode: 'qr',
    operations: ['payment'],
    machine: qrMachine,
    createContext: (presentment: Presentment) => ({ data: presentment.data as QrPresentmentData }),
    steps: { routing: 'authorizing', showing_code: 'show_qr', paying: 'authorizing', approved: 'approved', declined: 'declined', cancelled: 'cancelled', failed: 'failed' },
    outcomes: { approved: 'approve', declined: 'decline', cancelled: 'cancel', failed: 'fail' },
    activities: {
      routing: async (run) => run.context.data.mode,
      showing_code: (run) => showCode(run, deps),
      paying: (run) => pay(run, deps),
    },
  };
}

function flowContext(deps: QrFlowDependencies, run: FlowRun<Context>): FlowContext {
  const tender = run.tender;
  return { client: deps.wallet.client(), store: deps.journal.qrLegs.paymentStore({ id: tender.tenderId!, currency: tender.amount.currency }), log: deps.log };
}

function description(deps: QrFlowDependencies): string {
  return `${deps.config.merchantNameLatin} ${deps.terminalId}`.slice(0, 127);
}

async function showCode(run: FlowRun<Context>, deps: QrFlowDependencies): Promise<Event> {
  const { tender } = run;
  const orderNo = deps.wallet.newNumber('P', tender.tenderId!);
  const retry = deps.retryDelaysMs ?? [1_000, 2_000, 5_000];
  const outcome = await runMerchantPresented(
    { ...flowContext(deps, run), notifications: deps.wallet.notifications },
    {
      out_trade_no: orderNo,
      description: description(deps),
      amount: { total: tender.amount.amountMinor, currency: 'CNY' },
      notify_url: deps.wallet.notifyUrl(),
      terminal_id: deps.terminalId,
      expire_seconds: Math.max(60, deps.config.showSeconds + 60),
    },
    { onOrder: (order) => run.progress({ qr: { mode: 'merchant_presented', orderNo, wallet: deps.config.brand, payload: payloadOf(order, deps, tender.saleId ?? orderNo, tender.amount.amountMinor) } }) },
    { timeoutMs: deps.config.showSeconds * 1000, queryDelaysMs: deps.config.queryDelaysMs, retryDelaysMs: retry },
    run.signal,
  );
  return settle(run, deps, 'merchant_presented', orderNo, outcome);
}

async function pay(run: FlowRun<Context>, deps: QrFlowDependencies): Promise<Event> {
  const { tender, context } = run;
  if (context.data.mode !== 'customer_presented') throw new Error('a customer-presented payment without a payment code');
  const orderNo = deps.wallet.newNumber('P', tender.tenderId!);
  run.progress({ qr: { mode: 'customer_presented', orderNo, wallet: deps.config.brand } });
  const outcome = await runMicropay(
    flowContext(deps, run),
    { out_trade_no: orderNo, description: description(deps), amount: { total: tender.amount.amountMinor, currency: 'CNY' }, auth_code: context.data.authCode, terminal_id: deps.terminalId },
    { queryDelaysMs: deps.config.queryDelaysMs, limitMs: deps.config.micropayLimitSeconds * 1000, reverseRetryDelaysMs: deps.retryDelaysMs ?? [1_000, 2_000, 5_000, 10_000] },
    run.signal,
  );
  return settle(run, deps, 'customer_presented', orderNo, outcome);
}

/** The EMVCo merchant-presented payload of an order: dynamic (12), the amount in tag 54 as "12.50", CN, 156. */
export function payloadOf(order: Order, deps: Pick<QrFlowDependencies, 'config' | 'terminalId' | 'merchantNameZh'>, billNumber: string, amountMinor: number): string {
  if (order.order_code === undefined) throw new Error(`the platform created order ${order.out_trade_no} without an order code`);
  return buildMerchantPresentedPayload({
    pointOfInitiation: 'dynamic',
    merchantAccounts: [walletAccountTemplate({ merchantId: deps.config.mchid, orderCode: order.order_code })],
    merchantCategoryCode: deps.config.merchantCategoryCode,
    currencyNumeric: '156',
    amount: qrAmount(money(amountMinor, 'CNY')),
    countryCode: 'CN',
    merchantName: deps.config.merchantNameLatin,
    merchantCity: deps.config.merchantCityLatin,
    additionalData: { billNumber: billNumber.replace(/[^A-Za-z0-9]/g, '').slice(-25), terminalLabel: deps.terminalId },
    language: { languagePreference: 'ZH', merchantName: deps.merchantNameZh, merchantCity: deps.config.merchantCityZh },
  });
}

function settle(run: FlowRun<Context>, deps: QrFlowDependencies, mode: QrMode, orderNo: string, outcome: MerchantPresentedOutcome | MicropayOutcome): Event {
  const base = { mode, orderNo, wallet: deps.config.brand } as const;
  switch (outcome.kind) {
    case 'paid': {
      const { order } = outcome;
      const qr: TenderQr = { ...base, ...(order.transaction_id === undefined ? {} : { transactionId: order.transaction_id }), ...(order.payer === undefined ? {} : { maskedPayer: order.payer.account }) };
      run.progress({ qr, outcome: { responseCode: '00' } });
      run.settle('approve', { qr });
      return 'paid';
    }
    case 'declined':
      run.progress({ qr: { ...base, errorCode: outcome.code } });
      deps.log(`QR payment ${orderNo} declined: ${outcome.code} ${outcome.message}`);
      return 'declined';
    case 'not_created':
      run.setFailure('wallet_unreachable');
      deps.log(`QR order ${orderNo} not created: ${outcome.reason}`);
      return 'given_up';
    case 'closed':
      if (run.signal.aborted) return 'closed';
      run.setFailure('qr_timeout');
      return 'given_up';
    case 'reversed':
      if (run.signal.aborted) return 'closed';
      run.setFailure('wallet_reversed');
      return 'given_up';
    case 'reversal_pending':
      run.setFailure('wallet_reversal_pending');
      return 'given_up';
  }
}
