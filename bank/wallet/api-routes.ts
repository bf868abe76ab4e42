/**
 * The platform's routes: method, path pattern, which API (merchant or wallet app) and so whose
 * signature it takes, the body schema, and the operation. Path parameters are percent-decoded.
 */
import type { z } from 'zod';
import {
  CreateOrderRequestSchema,
  MicropayRequestSchema,
  PasswordRequestSchema,
  PayRequestSchema,
  RefundRequestSchema,
} from '../../payments/wallet/wallet-api.ts';
import type { Realm } from '../../payments/wallet/signature.ts';
import type { AppOperations } from './app-operations.ts';
import type { MerchantOperations } from './merchant-operations.ts';

export interface RouteResult {
  readonly status: number;
  readonly body?: unknown;
}

export interface Route {
  readonly method: 'GET' | 'POST';
  readonly pattern: RegExp;
  readonly realm: Realm;
  readonly body?: z.ZodType;
  /** `principal` is the merchant's mchid or the wallet's id; `params` the pattern's groups. */
  run(principal: string, params: readonly string[], body: unknown): RouteResult | Promise<RouteResult>;
}

const SEGMENT = '([^/]+)';

export function walletRoutes(merchant: MerchantOperations, app: AppOperations): readonly Route[] {
  const ok = (body: unknown): RouteResult => ({ status: 200, body });
  return [
    { method: 'POST', pattern: /^\/v1\/orders\/native$/, realm: 'merchant', body: CreateOrderRequestSchema, run: (mchid, _, body) => ok(merchant.createNativeOrder(mchid, body as z.infer<typeof CreateOrderRequestSchema>)) },
    {
      method: 'POST',
      pattern: /^\/v1\/orders\/micropay$/,
      realm: 'merchant',
      body: MicropayRequestSchema,
      run(mchid, _, body) {
        const { status, order } = merchant.micropay(mchid, body as z.infer<typeof MicropayRequestSchema>);
        return { status, body: order };
      },
    },
    { method: 'GET', pattern: new RegExp(`^/v1/orders/out-trade-no/${SEGMENT}$`), realm: 'merchant', run: (mchid, [no]) => ok(merchant.query(mchid, no!)) },
    {
      method: 'POST',
      pattern: new RegExp(`^/v1/orders/out-trade-no/${SEGMENT}/close$`),
      realm: 'merchant',
      run(mchid, [no]) {
        merchant.close(mchid, no!);
        return { status: 204 };
      },
    },
    { method: 'POST', pattern: new RegExp(`^/v1/orders/out-trade-no/${SEGMENT}/reverse$`), realm: 'merchant', run: (mchid, [no]) => ok(merchant.reverse(mchid, no!)) },
    { method: 'POST', pattern: /^\/v1\/refunds$/, realm: 'merchant', body: RefundRequestSchema, run: (mchid, _, body) => ok(merchant.refund(mchid, body as z.infer<typeof RefundRequestSchema>)) },
    { method: 'GET', pattern: new RegExp(`^/v1/refunds/${SEGMENT}$`), realm: 'merchant', run: (mchid, [no]) => ok(merchant.queryRefund(mchid, no!)) },

    { method: 'GET', pattern: /^\/app\/v1\/wallet$/, realm: 'app', run: (walletId) => ok(app.wallet(walletId)) },
    { method: 'POST', pattern: /^\/app\/v1\/payment-codes$/, realm: 'app', run: (walletId) => ok(app.issuePaymentCode(walletId)) },
    { method: 'GET', pattern: /^\/app\/v1\/pending$/, realm: 'app', run: (walletId) => ok({ payments: app.pending(walletId) }) },
    {
      method: 'POST',
      pattern: new RegExp(`^/app/v1/pending/${SEGMENT}/confirm$`),
      realm: 'app',
      body: PasswordRequestSchema,
      run: async (walletId, [id], body) => ok(await app.confirm(walletId, id!, (body as z.infer<typeof PasswordRequestSchema>).password)),
    },
    { method: 'POST', pattern: new RegExp(`^/app/v1/pending/${SEGMENT}/cancel$`), realm: 'app', run: (walletId, [id]) => ok(app.cancel(walletId, id!)) },
    { method: 'GET', pattern: new RegExp(`^/app/v1/orders/${SEGMENT}$`), realm: 'app', run: (walletId, [code]) => ok(app.showOrder(walletId, code!)) },
    {
      method: 'POST',
      pattern: new RegExp(`^/app/v1/orders/${SEGMENT}/pay$`),
      realm: 'app',
      body: PayRequestSchema,
      run: async (walletId, [code], body) => ok(await app.payOrder(walletId, code!, (body as z.infer<typeof PayRequestSchema>).password)),
    },
  ];
}
