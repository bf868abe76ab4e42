/**
 * The customer's wallet app (what the simulated-devices panel's virtual phone runs): a client of
 * the platform's app API, signed with the wallet user's own key, plus scanning: a merchant-presented
 * code is parsed and checked on the phone (CRC, fields, currency, the platform's template) before
 * anything is sent, and a code that fails is refused there with the parser's message.
 */
import { parseMerchantPresentedPayload, type MerchantPresentedPayload } from '../../common/qr/merchant-presented.ts';
import { readWalletAccount, WALLET_GLOBALLY_UNIQUE_ID } from '../../common/qr/wallet-account-template.ts';
import { createSignedHttp } from './signed-http.ts';
import { hmacKey } from './signature.ts';
import { interpret, type ApiOutcome } from './wallet-client.ts';
import { API_PATHS, AppPaymentSchema, PaymentCodeSchema, PendingListSchema, WalletViewSchema, type AppPayment, type PaymentCode, type WalletView } from './wallet-api.ts';

export interface WalletAppClientOptions {
  readonly baseUrl: string;
  /** The wallet user's 16-digit number. */
  readonly userId: string;
  /** The wallet app's HMAC-SHA256 key (64 hex digits; the test wallet deck's appKey). */
  readonly appKey: string;
  readonly timeoutMs?: number;
  readonly now?: () => Date;
}

export interface ScannedOrder {
  readonly payload: MerchantPresentedPayload;
  readonly merchantId: string;
  readonly orderCode: string;
  /** The order as the platform shows it to the payer (amount, merchant, whether the password is needed). */
  readonly order: AppPayment;
}

export interface WalletAppClient {
  wallet(): Promise<ApiOutcome<WalletView>>;
  /** A fresh 18-digit payment code for the cashier to scan. */
  issuePaymentCode(): Promise<ApiOutcome<PaymentCode>>;
  /** Payments waiting for this wallet's password ("user paying"). */
  pending(): Promise<ApiOutcome<AppPayment[]>>;
  confirm(transactionId: string, password: string): Promise<ApiOutcome<AppPayment>>;
  cancel(transactionId: string): Promise<ApiOutcome<AppPayment>>;
  /**
   * Reads a scanned merchant-presented code and fetches its order. Throws QrPayloadError for a code
   * the phone refuses (bad CRC, unknown template, wrong currency, …); a static code (no order) is
   * refused too: this wallet pays dynamic codes only.
   */
  scan(text: string): Promise<ApiOutcome<ScannedOrder>>;
  payOrder(orderCode: string, password?: string): Promise<ApiOutcome<AppPayment>>;
  dispose(): void;
}

export function createWalletAppClient(options: WalletAppClientOptions): WalletAppClient {
  const key = hmacKey(options.appKey);
  const http = createSignedHttp({
    baseUrl: options.baseUrl,
    realm: 'app',
    principal: options.userId,
    signing: key,
    verifying: key,
    timeoutMs: options.timeoutMs ?? 10_000,
    maxSockets: 2,
    ...(options.now === undefined ? {} : { now: options.now }),
  });
  return {
    wallet: async () => interpret(await http.request('GET', API_PATHS.app.wallet), WalletViewSchema),
    issuePaymentCode: async () => interpret(await http.request('POST', API_PATHS.app.paymentCodes), PaymentCodeSchema),
    async pending() {
      const outcome = interpret(await http.request('GET', API_PATHS.app.pending), PendingListSchema);
      return outcome.kind === 'ok' ? { ...outcome, value: outcome.value.payments } : outcome;
    },
    confirm: async (transactionId, password) => interpret(await http.request('POST', API_PATHS.app.confirm(transactionId), { password }), AppPaymentSchema),
    cancel: async (transactionId) => interpret(await http.request('POST', API_PATHS.app.cancel(transactionId)), AppPaymentSchema),
    async scan(text) {
      const payload = parseMerchantPresentedPayload(text, { acceptedCurrencies: ['156'], knownGloballyUniqueIds: [WALLET_GLOBALLY_UNIQUE_ID] });
      const { merchantId, orderCode } = readWalletAccount(payload);
      if (orderCode === undefined) throw new TypeError('a static code carries no order: this wallet pays dynamic (12) codes only');
      const outcome = interpret(await http.request('GET', API_PATHS.app.order(orderCode)), AppPaymentSchema);
      return outcome.kind === 'ok' ? { ...outcome, value: { payload, merchantId, orderCode, order: outcome.value } } : outcome;
    },
    payOrder: async (orderCode, password) => interpret(await http.request('POST', API_PATHS.app.pay(orderCode), password === undefined ? {} : { password }), AppPaymentSchema),
    dispose: () => http.close(),
  };
}
