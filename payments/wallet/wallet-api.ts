/**
 * The wallet platform's JSON API on the wire, shared by the platform (bank/wallet/) and its clients
 * (the station's wallet client and the wallet app client here): paths, bodies, states and error
 * codes. Field names are snake_case as on real wallet platforms; amounts are integer minor units
 * with the currency beside them. docs/wallet-api.md describes the same, for people.
 */
import { z } from 'zod';

export const API_PATHS = {
  nativeOrders: '/v1/orders/native',
  micropay: '/v1/orders/micropay',
  order: (outTradeNo: string) => `/v1/orders/out-trade-no/${encodeURIComponent(outTradeNo)}`,
  close: (outTradeNo: string) => `/v1/orders/out-trade-no/${encodeURIComponent(outTradeNo)}/close`,
  reverse: (outTradeNo: string) => `/v1/orders/out-trade-no/${encodeURIComponent(outTradeNo)}/reverse`,
  refunds: '/v1/refunds',
  refund: (outRefundNo: string) => `/v1/refunds/${encodeURIComponent(outRefundNo)}`,
  app: {
    wallet: '/app/v1/wallet',
    paymentCodes: '/app/v1/payment-codes',
    pending: '/app/v1/pending',
    confirm: (transactionId: string) => `/app/v1/pending/${encodeURIComponent(transactionId)}/confirm`,
    cancel: (transactionId: string) => `/app/v1/pending/${encodeURIComponent(transactionId)}/cancel`,
    order: (orderCode: string) => `/app/v1/orders/${encodeURIComponent(orderCode)}`,
    pay: (orderCode: string) => `/app/v1/orders/${encodeURIComponent(orderCode)}/pay`,
  },
} as const;

/** The merchant's order number: its idempotency key. */
export const OutTradeNoSchema = z.string().regex(/^[A-Za-z0-9_\-|*]{6,32}$/, '6–32 letters, digits or _-|*');
export const AmountSchema = z.strictObject({ total: z.number().int().min(1).max(999_999_999_999), currency: z.literal('CNY') });
const NotifyUrlSchema = z.string().max(256).regex(/^https?:\/\/[^\s]+$/, 'an http(s) URL');
const TerminalIdSchema = z.string().regex(/^[\x21-\x7E]{1,32}$/, '1–32 printable characters');

export const CreateOrderRequestSchema = z.strictObject({
  out_trade_no: OutTradeNoSchema,
  description: z.string().min(1).max(127),
  amount: AmountSchema,
  notify_url: NotifyUrlSchema,
  terminal_id: TerminalIdSchema.optional(),
  /** How long the order can be paid, 60 s – 2 h; the platform's default when left out. */
  expire_seconds: z.number().int().min(60).max(7_200).optional(),
});
export type CreateOrderRequest = z.infer<typeof CreateOrderRequestSchema>;

export const MicropayRequestSchema = z.strictObject({
  out_trade_no: OutTradeNoSchema,
  description: z.string().min(1).max(127),
  amount: AmountSchema,
  /** The customer's 18-digit payment code, as scanned. */
  auth_code: z.string().regex(/^\d{18}$/, '18 digits'),
  terminal_id: TerminalIdSchema.optional(),
  /** Optional: where to notify when a "user paying" payment completes. */
  notify_url: NotifyUrlSchema.optional(),
});
export type MicropayRequest = z.infer<typeof MicropayRequestSchema>;

export const RefundRequestSchema = z.strictObject({
  out_trade_no: OutTradeNoSchema,
  out_refund_no: OutTradeNoSchema,
  amount: z.strictObject({ refund: z.number().int().min(1).max(999_999_999_999), currency: z.literal('CNY') }),
  reason: z.string().min(1).max(80).optional(),
});
export type RefundRequest = z.infer<typeof RefundRequestSchema>;

/**
 * NOTPAY      created (merchant-presented), not paid yet
 * USERPAYING  the payer must confirm on the phone (password); ends SUCCESS or PAYERROR
 * SUCCESS     paid            REFUND   paid, then (partly) refunded
 * CLOSED      closed unpaid: by the merchant, or past its expiry; no payment is accepted any more
 * REVOKED     reversed: unpaid and closed, or paid and given back in full
 * PAYERROR    the payment failed (funds, risk, frozen wallet, password); final
 */
export const TRADE_STATES = ['NOTPAY', 'USERPAYING', 'SUCCESS', 'REFUND', 'CLOSED', 'REVOKED', 'PAYERROR'] as const;
export type TradeState = (typeof TRADE_STATES)[number];

export const OrderSchema = z.object({
  mchid: z.string(),
  out_trade_no: z.string(),
  trade_type: z.enum(['NATIVE', 'MICROPAY']),
  trade_state: z.enum(TRADE_STATES),
  trade_state_desc: z.string(),
  amount: z.object({ total: z.number().int(), currency: z.literal('CNY'), refunded: z.number().int() }),
  /** Merchant-presented orders: what the station puts in the EMVCo template (26.02). */
  order_code: z.string().optional(),
  expires_at: z.string().optional(),
  transaction_id: z.string().optional(),
  /** The wallet's name, for the receipt. */
  wallet: z.string(),
  /** The payer's account, masked ("138****0001"): all the merchant ever learns of the payer. */
  payer: z.object({ account: z.string() }).optional(),
  success_time: z.string().optional(),
  terminal_id: z.string().optional(),
});
export type Order = z.infer<typeof OrderSchema>;

export const RefundSchema = z.object({
  out_refund_no: z.string(),
  refund_id: z.string(),
  out_trade_no: z.string(),
  transaction_id: z.string(),
  status: z.literal('SUCCESS'),
  amount: z.object({ refund: z.number().int(), currency: z.literal('CNY') }),
  success_time: z.string(),
});
export type Refund = z.infer<typeof RefundSchema>;

export const NOTIFICATION_EVENT = 'TRANSACTION.SUCCESS';
export const NotificationSchema = z.object({
  id: z.string().min(1).max(64),
  create_time: z.string(),
  event_type: z.literal(NOTIFICATION_EVENT),
  resource: OrderSchema,
});
export type Notification = z.infer<typeof NotificationSchema>;
/** What the merchant answers a notification it has taken (2xx with this body); anything else is retried. */
export const NOTIFICATION_ACK = { code: 'SUCCESS' } as const;

export const ERROR_CODES = {
  PARAM_ERROR: 400,
  INVALID_REQUEST: 400,
  ORDER_PAID: 400,
  ORDER_CLOSED: 400,
  ORDER_REVERSED: 400,
  AUTH_CODE_INVALID: 400,
  AUTH_CODE_EXPIRED: 400,
  AUTH_CODE_USED: 400,
  PASSWORD_REQUIRED: 400,
  REFUND_NOT_ALLOWED: 400,
  REFUND_AMOUNT_EXCEEDED: 400,
  REVERSE_NOT_ALLOWED: 400,
  SIGN_ERROR: 401,
  TIMESTAMP_STALE: 401,
  NONCE_REPLAYED: 401,
  UNKNOWN_PRINCIPAL: 401,
  NOT_ENOUGH: 403,
  ACCOUNT_FROZEN: 403,
  RISK_DECLINED: 403,
  PASSWORD_WRONG: 403,
  PASSWORD_TRIES_EXCEEDED: 403,
  USER_CANCELLED: 403,
  USER_TIMEOUT: 403,
  ORDER_NOT_EXIST: 404,
  NOT_FOUND: 404,
  METHOD_NOT_ALLOWED: 405,
  OUT_TRADE_NO_USED: 409,
  BODY_TOO_LARGE: 413,
  UNSUPPORTED_MEDIA_TYPE: 415,
  SYSTEM_ERROR: 500,
} as const;
export type ErrorCode = keyof typeof ERROR_CODES;

export const ErrorBodySchema = z.object({
  code: z.enum(Object.keys(ERROR_CODES) as [ErrorCode, ...ErrorCode[]]),
  message: z.string(),
  /** A payment that failed leaves its order in this state (PAYERROR). */
  trade_state: z.enum(TRADE_STATES).optional(),
});
export type ErrorBody = z.infer<typeof ErrorBodySchema>;

// --- the wallet app's API (the customer's phone) --------------------------------------------

export const PaymentCodeSchema = z.object({ auth_code: z.string(), expires_at: z.string() });
export type PaymentCode = z.infer<typeof PaymentCodeSchema>;

export const WalletViewSchema = z.object({
  wallet: z.string(),
  account: z.string(),
  balance: z.object({ total: z.number().int(), currency: z.literal('CNY') }),
  /** Payments above this many minor units ask for the password; null: never. */
  password_above: z.number().int().nullable(),
  status: z.enum(['active', 'frozen']),
});
export type WalletView = z.infer<typeof WalletViewSchema>;

export const AppPaymentSchema = z.object({
  transaction_id: z.string().optional(),
  order_code: z.string().optional(),
  merchant_name: z.string(),
  description: z.string(),
  amount: z.object({ total: z.number().int(), currency: z.literal('CNY') }),
  trade_state: z.enum(TRADE_STATES),
  password_required: z.boolean(),
});
export type AppPayment = z.infer<typeof AppPaymentSchema>;
export const PendingListSchema = z.object({ payments: z.array(AppPaymentSchema) });

export const PasswordRequestSchema = z.strictObject({ password: z.string().regex(/^\d{6}$/, '6 digits') });
export const PayRequestSchema = z.strictObject({ password: z.string().regex(/^\d{6}$/, '6 digits').optional() });
