/**
 * What the terminal kernel needs from the station, as ports, and what it hands back (outcomes).
 * The station implements the ports (card transport over the CCID reader, the PIN pad with DUKPT,
 * the application choice on the PIN pad or the checkout, the ISO 8583 authorization, the messages on
 * the displays) and maps each outcome to its tender flow, journal and receipt.
 */
import type { Money } from '../../../common/money.ts';
import type { CardholderMessageCode } from '../../../common/payment.ts';

/** One powered card in one reader slot: a command APDU in, the response APDU (data + SW1 SW2) out. */
export interface CardTransport {
  /** Rejects with CardRemovedError when the card leaves the slot or the field, CardMuteError when it stops answering. */
  transceive(command: Buffer, signal?: AbortSignal): Promise<Buffer>;
}

export class CardRemovedError extends Error {
  override readonly name = 'CardRemovedError';
}

export class CardMuteError extends Error {
  override readonly name = 'CardMuteError';
}

/** An online PIN as the PIN pad encrypted it (ISO 9564 under DUKPT); the kernel never sees the PIN. */
export type PinEntryResult =
  | { readonly kind: 'entered'; readonly pinBlock: Uint8Array; readonly ksn: Uint8Array }
  | { readonly kind: 'bypassed' }
  | { readonly kind: 'cancelled' }
  | { readonly kind: 'timeout' };

export interface PinEntryPort {
  /** Online enciphered PIN on the PIN pad. `attempt` 2+ after the issuer answered 55. */
  enterOnlinePin(request: { readonly pan: string; readonly amount: Money; readonly attempt: number }, signal: AbortSignal): Promise<PinEntryResult>;
}

export interface CandidateApplication {
  readonly aid: string;
  readonly label: string;
  /** 1 highest … 15 lowest; undefined when the card gave none. */
  readonly priority: number | undefined;
  readonly needsConfirmation: boolean;
}

export interface ApplicationChoicePort {
  /**
   * Several applications are mutually supported: the cardholder chooses on the PIN pad, or the
   * cashier on the checkout (the customer display only shows the list). Resolves with the index of
   * the chosen candidate (the list is in priority order), or 'cancelled'.
   */
  choose(candidates: readonly CandidateApplication[], signal: AbortSignal): Promise<number | 'cancelled'>;
}

/** What the displays say, as EMV Book 4 §11.2's standard messages name them (one list, common/payment.ts). */
export type CardholderMessage = CardholderMessageCode;

export interface CardholderMessagesPort {
  show(message: CardholderMessage): void;
}

/** The online request the station turns into its 0200 (DE55, DE23, DE35, DE22, the PIN). */
export interface OnlineRequest {
  readonly entryMode: 'contact' | 'contactless';
  readonly pan: string;
  /** YYMM. */
  readonly expiry: string;
  /** Tag 57 as its digits, `PAN D YYMM service code discretionary` (DE35 with '=' for 'D'). Clear data: never store it. */
  readonly track2Equivalent: string;
  /** Tag 5F34, for DE23. */
  readonly panSequenceNumber: string | undefined;
  /** DE55: the ICC data the issuer needs, BER-TLV (icc-data.ts lists the tags). */
  readonly iccData: Buffer;
  readonly amount: Money;
  readonly pin: { readonly pinBlock: Uint8Array; readonly ksn: Uint8Array } | undefined;
}

export interface AuthorizationResponse {
  readonly kind: 'response';
  /** DE39. */
  readonly responseCode: string;
  readonly approvalCode?: string;
  readonly rrn?: string;
  /** Tag 91 from DE55 of the answer. */
  readonly issuerAuthenticationData?: Buffer;
  /** Whole 71 / 72 templates from DE55 of the answer. */
  readonly scripts71?: readonly Buffer[];
  readonly scripts72?: readonly Buffer[];
}

export interface AuthorizationPort {
  /** Sends the request; 'unreachable' when no answer came (the station will have reversed by timeout). */
  authorize(request: OnlineRequest, signal: AbortSignal): Promise<AuthorizationResponse | { readonly kind: 'unreachable' }>;
}

export interface KernelPorts {
  readonly card: CardTransport;
  readonly pin: PinEntryPort;
  readonly choose: ApplicationChoicePort;
  readonly messages: CardholderMessagesPort;
  readonly authorization: AuthorizationPort;
}

/** One issuer script's result, as reported in the next message (tag DF31): result nibble, failing command, script id. */
export interface ScriptResult {
  readonly template: '71' | '72';
  readonly result: 'not_performed' | 'failed' | 'successful';
  /** 1-based sequence number of the failed command (0 when none failed). */
  readonly failedCommand: number;
  readonly scriptId: Buffer;
}

/** What the journal and the receipt keep of a card leg (never 57, 5A, 56, 9F6B, 9F1F, nor a PIN block). */
export interface ChipRecord {
  readonly entryMode: 'contact' | 'contactless';
  readonly aid: string;
  readonly applicationLabel: string;
  readonly tvr: string;
  readonly tsi: string;
  /** The last cryptogram the card gave: TC, AAC or ARQC. */
  readonly acType: 'TC' | 'AAC' | 'ARQC';
  /** Masked as the station shows PANs. */
  readonly maskedPan: string;
  readonly cvm: 'online_pin' | 'signature' | 'no_cvm' | 'failed';
  /** The whitelisted ICC tags (icc-data.ts JOURNAL_ICC_TAGS), hex values. */
  readonly iccData: Readonly<Record<string, string>>;
  readonly scriptResults: readonly ScriptResult[];
}

export type KernelOutcome =
  | { readonly kind: 'approved'; readonly record: ChipRecord; readonly response: AuthorizationResponse }
  | { readonly kind: 'declined'; readonly by: 'issuer' | 'card' | 'terminal'; readonly record: ChipRecord; readonly response?: AuthorizationResponse }
  /** The issuer approved but the card refused at the second GENERATE AC: the station must reverse the authorization. */
  | { readonly kind: 'card_declined_after_approval'; readonly record: ChipRecord; readonly response: AuthorizationResponse }
  /** No answer from the host: the card declined offline (Z3); the station's timeout reversal covers the request. */
  | { readonly kind: 'unable_to_go_online'; readonly record: ChipRecord }
  /** Contactless not allowed for this amount (at or over the contactless limit), or the card asks for contact. */
  | { readonly kind: 'insert_card' }
  /** The card left the field before the read was complete: tap again. */
  | { readonly kind: 'present_card_again' }
  /** The card was pulled out of the contact slot mid-transaction. `online` says whether an authorization had been sent. */
  | { readonly kind: 'card_removed'; readonly online: boolean }
  /** The chip could not be used (mute, malformed answers): counts towards the fallback policy. */
  | { readonly kind: 'chip_error'; readonly reason: string }
  /** No application in common, every one blocked, or the card refused the one selected (GPO 6985): no fallback. */
  | { readonly kind: 'not_accepted'; readonly reason: 'no_common_application' | 'application_blocked' | 'conditions_not_satisfied' }
  | { readonly kind: 'cancelled' };
