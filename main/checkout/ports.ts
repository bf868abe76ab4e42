/**
 * What a card sale needs from the rest of the station, as narrow ports. The checkout flow depends on
 * these, not on USB drivers or sockets, so it reads as the payment process itself and runs in tests
 * against the real devices and host without knowing how they are wired.
 */
import type { CardScheme } from '../../common/card/scheme.ts';
import type { BadReadReason, CardData } from '../../common/card/tracks.ts';
import type { Product } from '../../common/ipc/checkout-contract.ts';
import type { ReversalReason } from '../../common/journal.ts';
import type { Money } from '../../common/money.ts';
import type { IsoMessage } from '../../payments/iso8583/message.ts';

export interface CardReaderPort {
  /** Waits for the next good swipe; bad reads are reported through `onBadRead` and waiting goes on. */
  nextCard(signal: AbortSignal, onBadRead: (reason: BadReadReason | 'malformed_report') => void): Promise<CardData>;
}

export type PinEntry = { readonly kind: 'entered'; readonly pinBlock: Uint8Array; readonly ksn: Uint8Array } | { readonly kind: 'cancelled' } | { readonly kind: 'timeout' };

export interface PinPadPort {
  /** `attempt` 2 and up: the host refused the previous PIN, and the pad says so as it asks again. */
  requestPin(request: { pan: string; amount: Money; timeoutSeconds: number; attempt: number }, signal: AbortSignal): Promise<PinEntry>;
  /** Digits typed so far, when the pad reports them (a count, never the digits). */
  onPinDigits(listener: (count: number) => void): () => void;
}

export interface AcquirerPort {
  request(message: IsoMessage): Promise<IsoMessage>;
}

/** Queues the reversal of a journaled purchase or refund (main/acquirer/reversals.ts). */
export interface ReversalPort {
  queue(originalId: number, reason: ReversalReason): number;
}

export interface SaleLine {
  readonly product: Product;
  readonly quantity: number;
  readonly total: Money;
}

export interface ApprovedSale {
  readonly paymentId: string;
  readonly lines: readonly SaleLine[];
  readonly total: Money;
  readonly maskedPan: string;
  readonly scheme: CardScheme;
  readonly approvalCode: string;
  readonly rrn: string;
  readonly stan: string;
  readonly responseCode: string;
  readonly timestamp: Date;
}

export interface ReceiptPort {
  printSale(sale: ApprovedSale): Promise<void>;
}
