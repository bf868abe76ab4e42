/**
 * One kernel transaction's data: every data object the card returned and the terminal set, by tag,
 * the TVR and TSI bits as they are set (EMV Book 3 Annex C5 and C6), and the card exchange with its
 * status-word handling.
 */
import { randomBytes } from 'node:crypto';
import type { Money } from '../../../common/money.ts';
import { decodeResponse, encodeCommand, swText, type CommandApdu } from '../card/apdu.ts';
import { dolPaddingOf } from '../data-dictionary.ts';
import { buildDolData, type DolEntry } from '../tlv.ts';
import type { CardTransport } from './ports.ts';
import type { TerminalConfig } from './terminal-config.ts';

/** TVR bits as [byte index, mask]. */
export const TVR = {
  odaNotPerformed: [0, 0x80],
  sdaFailed: [0, 0x40],
  iccDataMissing: [0, 0x20],
  ddaFailed: [0, 0x08],
  cdaFailed: [0, 0x04],
  differentApplicationVersions: [1, 0x80],
  expiredApplication: [1, 0x40],
  applicationNotYetEffective: [1, 0x20],
  serviceNotAllowed: [1, 0x10],
  newCard: [1, 0x08],
  cardholderVerificationFailed: [2, 0x80],
  unrecognisedCvm: [2, 0x40],
  pinPadNotPresent: [2, 0x10],
  pinNotEntered: [2, 0x08],
  onlinePinEntered: [2, 0x04],
  floorLimitExceeded: [3, 0x80],
  lowerOfflineLimitExceeded: [3, 0x40],
  upperOfflineLimitExceeded: [3, 0x20],
  randomlySelectedOnline: [3, 0x10],
  defaultTdolUsed: [4, 0x80],
  issuerAuthenticationFailed: [4, 0x40],
  scriptFailedBeforeFinalAc: [4, 0x20],
  scriptFailedAfterFinalAc: [4, 0x10],
} as const satisfies Record<string, readonly [number, number]>;

export const TSI = {
  odaPerformed: [0, 0x80],
  cardholderVerificationPerformed: [0, 0x40],
  cardRiskManagementPerformed: [0, 0x20],
  issuerAuthenticationPerformed: [0, 0x10],
  terminalRiskManagementPerformed: [0, 0x08],
  scriptProcessingPerformed: [0, 0x04],
} as const satisfies Record<string, readonly [number, number]>;

export class CardProtocolError extends Error {
  override readonly name = 'CardProtocolError';
}

/** The selected application may not be used for this transaction (GPO 6985): not accepted, no fallback. */
export class ApplicationNotAcceptedError extends Error {
  override readonly name = 'ApplicationNotAcceptedError';
}

export class TransactionData {
  readonly config: TerminalConfig;
  readonly amount: Money;
  readonly tags = new Map<string, Buffer>();
  readonly tvr = Buffer.alloc(5);
  readonly tsi = Buffer.alloc(2);
  readonly #card: CardTransport;
  readonly signal: AbortSignal;

  constructor(config: TerminalConfig, amount: Money, card: CardTransport, signal: AbortSignal, now: Date) {
    this.config = config;
    this.amount = amount;
    this.#card = card;
    this.signal = signal;
    const date = `${String(now.getFullYear() % 100).padStart(2, '0')}${String(now.getMonth() + 1).padStart(2, '0')}${String(now.getDate()).padStart(2, '0')}`;
    const time = `${String(now.getHours()).padStart(2, '0')}${String(now.getMinutes()).padStart(2, '0')}${String(now.getSeconds()).padStart(2, '0')}`;
    this.setTerminal('9F02', Buffer.from(String(amount.amountMinor).padStart(12, '0'), 'hex'));
    this.setTerminal('9F03', Buffer.alloc(6));
    this.setTerminal('9F1A', Buffer.from(config.countryCode, 'hex'));
    this.setTerminal('5F2A', Buffer.from(config.currencyCode, 'hex'));
    this.setTerminal('9A', Buffer.from(date, 'hex'));
    this.setTerminal('9F21', Buffer.from(time, 'hex'));
    this.setTerminal('9C', Buffer.from([0x00]));
    this.setTerminal('9F37', randomBytes(4));
    this.setTerminal('9F35', Buffer.from(config.terminalType, 'hex'));
    this.setTerminal('9F33', Buffer.from(config.capabilities, 'hex'));
    this.setTerminal('9F1E', Buffer.from(config.ifdSerial.padEnd(8).slice(0, 8), 'ascii'));
    this.setTerminal('9F34', Buffer.from('3F0000', 'hex'));
  }

  /** The date as YYMMDD, for application and certificate dates. */
  get today(): string {
    return this.tags.get('9A')!.toString('hex');
  }

  setTerminal(tag: string, value: Buffer): void {
    this.tags.set(tag, value);
  }

  /** Card data: the first value a card gives for a tag stands (Book 3 §10.2: duplicates are an error, the first wins). */
  setFromCard(tag: string, value: Buffer): boolean {
    if (this.tags.has(tag) && !['9F36', '9F26', '9F27', '9F10', '9F4B'].includes(tag)) return false;
    this.tags.set(tag, value);
    return true;
  }

  get(tag: string): Buffer | undefined {
    if (tag === '95') return this.tvr;
    if (tag === '9B') return this.tsi;
    return this.tags.get(tag);
  }

  set(bit: readonly [number, number], on = true): void {
    this.tvr[bit[0]] = on ? this.tvr[bit[0]]! | bit[1] : this.tvr[bit[0]]! & ~bit[1];
  }

  setTsi(bit: readonly [number, number]): void {
    this.tsi[bit[0]]! |= bit[1];
  }

  dolData(dol: readonly DolEntry[]): Buffer {
    return buildDolData(dol, (tag) => this.get(tag), dolPaddingOf);
  }

  /** Sends one command; the response data and SW (61xx / 6Cxx already handled by the transport). */
  async exchange(command: CommandApdu): Promise<{ data: Buffer; sw: number }> {
    this.signal.throwIfAborted();
    const response = decodeResponse(await this.#card.transceive(encodeCommand(command), this.signal));
    return response;
  }

  /** Sends one command that must succeed (9000). */
  async expectOk(command: CommandApdu, what: string): Promise<Buffer> {
    const { data, sw } = await this.exchange(command);
    if (sw !== 0x9000) throw new CardProtocolError(`${what}: card answered ${swText(sw)}`);
    return data;
  }
}
