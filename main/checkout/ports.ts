/**
 * What the checkout needs from the rest of the station, as narrow ports. The flows and services
 * depend on these, not on USB drivers or sockets, so they read as the payment process itself and run
 * in tests against the real devices and host without knowing how they are wired.
 */
import type { SwipedCard } from '../../common/card/swiped-card.ts';
import type { BadReadReason } from '../../common/card/tracks.ts';
import type { ReversalReason } from '../../common/journal.ts';
import type { Money } from '../../common/money.ts';
import type { CardTransport } from '../../payments/emv/kernel/ports.ts';
import type { IsoMessage } from '../../payments/iso8583/message.ts';

export interface CardReaderPort {
  /**
   * Waits for the next good swipe on whichever device reads cards: clear from a plain reader, masked
   * and encrypted from the PIN pad's head. Bad reads are reported through `onBadRead` and waiting goes on.
   */
  nextCard(signal: AbortSignal, onBadRead: (reason: BadReadReason | 'malformed_report') => void): Promise<SwipedCard>;
}

/** A card in the chip reader, powered: the kernel's transport to it, and how to let it go. */
export interface PresentedChipCard {
  readonly cardInterface: 'contact' | 'contactless';
  readonly transport: CardTransport;
  /** Powers the card off (a tapped card then leaves the field); idempotent. */
  end(): Promise<void>;
}

export interface ChipReaderPort {
  /** Waits for a card inserted into the contact slot or tapped on the field after this call. */
  nextChipCard(signal: AbortSignal): Promise<PresentedChipCard>;
}

export type PinEntry = { readonly kind: 'entered'; readonly pinBlock: Uint8Array; readonly ksn: Uint8Array } | { readonly kind: 'cancelled' } | { readonly kind: 'timeout' };

export interface PinPadPort {
  /** `attempt` 2 and up: the host refused the previous PIN, and the pad says so as it asks again. */
  requestPin(request: { pan: string; amount: Money; timeoutSeconds: number; attempt: number }, signal: AbortSignal): Promise<PinEntry>;
  /**
   * The PIN for the card the pad's own head read (an encrypting reader): the pad forms the block
   * from the PAN it holds, which the station never had.
   */
  requestPinForReadCard(request: { amount: Money; timeoutSeconds: number; attempt: number }, signal: AbortSignal): Promise<PinEntry>;
  /** The card the pad's head read is done with: the pad forgets it. */
  releaseReadCard(): Promise<void>;
  /** Digits typed so far, when the pad reports them (a count, never the digits). */
  onPinDigits(listener: (count: number) => void): () => void;
}

export interface AcquirerPort {
  request(message: IsoMessage): Promise<IsoMessage>;
}

/** Queues the reversal of a journaled purchase or refund leg (main/acquirer/reversals.ts). */
export interface ReversalPort {
  queue(originalLegId: number, reason: ReversalReason): number;
}

/** Why the cash drawer may open: nothing else opens it (issue #7: the kick only for cash, a cash refund or an approved no-sale). */
export type DrawerReason = 'cash_tender' | 'cash_refund' | 'no_sale';

export interface DrawerPort {
  /** Pulses the drawer through the printer (ESC p); rejects when the printer cannot be reached. */
  kick(reason: DrawerReason): Promise<void>;
}
