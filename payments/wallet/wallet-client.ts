/**
 * The station's client of the wallet platform's merchant API: one method per operation, each
 * answering ok (with the parsed body), refused (the platform's error code and message), or unknown
 * (no trustworthy answer: time-out, broken connection, bad signature, 5xx). It decides nothing; the
 * flows (micropay-flow.ts, merchant-presented-flow.ts) do.
 */
import type { z } from 'zod';
import { createSignedHttp, type HttpOutcome, type SignedHttp } from './signed-http.ts';
import type { SigningKey, VerifyingKey } from './signature.ts';
import {
  API_PATHS,
  ErrorBodySchema,
  OrderSchema,
  RefundSchema,
  type CreateOrderRequest,
  type ErrorBody,
  type MicropayRequest,
  type Order,
  type Refund,
  type RefundRequest,
} from './wallet-api.ts';

export type ApiOutcome<T> =
  | { readonly kind: 'ok'; readonly status: number; readonly value: T }
  | { readonly kind: 'refused'; readonly status: number; readonly error: ErrorBody }
  | { readonly kind: 'unknown'; readonly reason: string };

export interface WalletClientOptions {
  readonly baseUrl: string;
  readonly mchid: string;
  /** The merchant's key: HMAC-SHA256 secret, or its RSA private key. */
  readonly signing: SigningKey;
  /** The platform's: the same HMAC secret, or the platform's RSA public key. */
  readonly platformKey: VerifyingKey;
  /** How long one request waits for its answer (default 10 s). */
  readonly timeoutMs?: number;
  readonly maxSockets?: number;
  readonly now?: () => Date;
}

export interface WalletClient {
  readonly mchid: string;
  createNativeOrder(request: CreateOrderRequest): Promise<ApiOutcome<Order>>;
  /** ok with status 200 (paid) or 202 (USERPAYING). */
  micropay(request: MicropayRequest): Promise<ApiOutcome<Order>>;
  query(outTradeNo: string): Promise<ApiOutcome<Order>>;
  close(outTradeNo: string): Promise<ApiOutcome<undefined>>;
  reverse(outTradeNo: string): Promise<ApiOutcome<Order>>;
  refund(request: RefundRequest): Promise<ApiOutcome<Refund>>;
  queryRefund(outRefundNo: string): Promise<ApiOutcome<Refund>>;
  /** Closes the kept-open connections. */
  dispose(): void;
}

export function createWalletClient(options: WalletClientOptions): WalletClient {
  const http: SignedHttp = createSignedHttp({
    baseUrl: options.baseUrl,
    realm: 'merchant',
    principal: options.mchid,
    signing: options.signing,
    verifying: options.platformKey,
    timeoutMs: options.timeoutMs ?? 10_000,
    ...(options.maxSockets === undefined ? {} : { maxSockets: options.maxSockets }),
    ...(options.now === undefined ? {} : { now: options.now }),
  });
  return {
    mchid: options.mchid,
    createNativeOrder: async (request) => interpret(await http.request('POST', API_PATHS.nativeOrders, request), OrderSchema),
    micropay: async (request) => interpret(await http.request('POST', API_PATHS.micropay, request), OrderSchema),
    query: async (outTradeNo) => interpret(await http.request('GET', API_PATHS.order(outTradeNo)), OrderSchema),
    close: async (outTradeNo) => interpret(await http.request('POST', API_PATHS.close(outTradeNo)), undefined),
    reverse: async (outTradeNo) => interpret(await http.request('POST', API_PATHS.reverse(outTradeNo)), OrderSchema),
    refund: async (request) => interpret(await http.request('POST', API_PATHS.refunds, request), RefundSchema),
    queryRefund: async (outRefundNo) => interpret(await http.request('GET', API_PATHS.refund(outRefundNo)), RefundSchema),
    dispose: () => http.close(),
  };
}

/** A 5xx says the platform failed, not that it refused: whether it acted is unknown. */
export function interpret<T>(outcome: HttpOutcome, schema: z.ZodType<T> | undefined): ApiOutcome<T> {
  if (outcome.kind === 'unknown') return outcome;
  if (outcome.status >= 500) return { kind: 'unknown', reason: `HTTP ${outcome.status}: ${JSON.stringify(outcome.body)?.slice(0, 200)}` };
  if (outcome.status >= 400) {
    const error = ErrorBodySchema.safeParse(outcome.body);
    return error.success ? { kind: 'refused', status: outcome.status, error: error.data } : { kind: 'unknown', reason: `HTTP ${outcome.status} with an error body that does not parse` };
  }
  if (schema === undefined) return { kind: 'ok', status: outcome.status, value: undefined as T };
  const parsed = schema.safeParse(outcome.body);
  return parsed.success ? { kind: 'ok', status: outcome.status, value: parsed.data } : { kind: 'unknown', reason: `HTTP ${outcome.status} with a body that does not parse: ${parsed.error.issues[0]?.message}` };
}
