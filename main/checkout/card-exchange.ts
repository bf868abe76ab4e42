/**
 * One 0200 exchange with the host, journaled as a leg of its card tender: the leg is written before
 * the request leaves, then completed with the answer, in the same unit of work as whatever the flow
 * decides on that answer (`onAnswer`: the tender approved or declined), so a crash never leaves a
 * leg approved and its tender not. What happens when no answer comes decides whether anyone is
 * charged twice, so it is spelled out here:
 *
 *  - nothing was sent (no link): the row fails, host_unreachable; nothing to undo.
 *  - the request went out and no usable answer came (timeout, link lost, an unreadable 0210, a 00
 *    without RRN or approval code): a purchase or refund is reversed (0400 reason 68, queued until
 *    the host confirms) and never sent again; the cashier is told host_timeout, the customer was
 *    neither charged nor credited. A balance inquiry moves no money, so it only fails.
 */
import type { CardScheme } from '../../common/card/scheme.ts';
import { swipedMaskedPan, type SwipedCard } from '../../common/card/swiped-card.ts';
import type { Money } from '../../common/money.ts';
import type { CardTransactionKind } from '../../common/payment.ts';
import { AcquirerUnavailableError } from '../acquirer/acquirer-link.ts';
import { buildCardRequest, PROCESSING_CODE_OF, readAuthorizationAnswer, type AuthorizationAnswer, type CardRequest } from '../acquirer/card-request.ts';
import { localDate, localTime, transmissionDateTime } from '../acquirer/message-clock.ts';
import type { CardLegRow } from '../journal/card-leg-row.ts';
import type { Journal } from '../journal/journal.ts';
import type { IsoMessage } from '../../payments/iso8583/message.ts';
import { RESPONSE_CODES } from '../../payments/iso8583/profile.ts';
import { PaymentStopped } from './payment-stopped.ts';
import type { AcquirerPort, ReversalPort } from './ports.ts';

export interface ExchangeDependencies {
  readonly terminalId: string;
  readonly merchantId: string;
  readonly journal: Journal;
  readonly acquirer: AcquirerPort;
  readonly reversals: ReversalPort;
  readonly log: (line: string) => void;
}

export interface CardExchange {
  /** The card tender the leg belongs to; none for a balance inquiry. */
  readonly tenderId: number | undefined;
  /** The PIN attempt (a 55 brings another). */
  readonly attempt: number;
  readonly kind: CardTransactionKind;
  readonly amount: Money;
  /** Clear from a plain reader or a chip, or the encrypting reader's masked read and block. */
  readonly card: SwipedCard;
  readonly scheme: CardScheme;
  /** DE22 (payments/iso8583/profile.ts POS_ENTRY_MODES). */
  readonly posEntryMode: string;
  readonly pin?: { readonly pinBlock: Uint8Array; readonly ksn: Uint8Array };
  /** A refund: the purchase leg it refunds. */
  readonly original?: CardLegRow;
  /** A chip or contactless card: DE55 and DE23. */
  readonly icc?: CardRequest['icc'];
  readonly now: Date;
  /** What the flow makes of the answer, journaled in the same unit of work as the leg's outcome. */
  readonly onAnswer?: (result: ExchangeResult) => void;
}

export interface ExchangeResult {
  readonly legId: number;
  readonly approved: boolean;
  readonly answer: AuthorizationAnswer;
  /** The 0210 itself: a chip flow reads DE55 (tag 91, scripts) from it. */
  readonly message: IsoMessage;
  readonly stan: string;
}

export async function exchangeCardRequest(deps: ExchangeDependencies, exchange: CardExchange): Promise<ExchangeResult> {
  const { journal } = deps;
  const { kind, now, original } = exchange;
  const stan = journal.nextStan();
  const originalRrn = original?.rrn;
  const request = buildCardRequest({
    kind,
    stan,
    terminalId: deps.terminalId,
    merchantId: deps.merchantId,
    amount: exchange.amount,
    card: exchange.card,
    posEntryMode: exchange.posEntryMode,
    now,
    ...(exchange.pin ? { pin: exchange.pin } : {}),
    ...(originalRrn === undefined ? {} : { originalRrn }),
    ...(exchange.icc ? { icc: exchange.icc } : {}),
  });
  const row = journal.legs.record({
    tenderId: exchange.tenderId,
    attempt: exchange.attempt,
    kind,
    mti: request.mti,
    amount: exchange.amount,
    maskedPan: swipedMaskedPan(exchange.card),
    scheme: exchange.scheme,
    entryMode: exchange.posEntryMode,
    terminalId: deps.terminalId,
    merchantId: deps.merchantId,
    processingCode: PROCESSING_CODE_OF[kind],
    stan,
    transmittedAt: transmissionDateTime(now),
    localTime: localTime(now),
    localDate: localDate(now),
    ...(original === undefined || originalRrn === undefined ? {} : { originalId: original.id, originalRrn }),
  });

  let answer: AuthorizationAnswer;
  let message: IsoMessage;
  try {
    message = await deps.acquirer.request(request);
    answer = readAuthorizationAnswer(message);
    if (answer.responseCode === RESPONSE_CODES.approved && kind !== 'balance_inquiry' && (answer.approvalCode === undefined || answer.rrn === undefined)) {
      throw new Error('the host approved without an approval code or RRN');
    }
  } catch (error) {
    deps.log(`${kind} leg ${row} STAN ${stan}: ${error instanceof Error ? error.message : String(error)}`);
    if (error instanceof AcquirerUnavailableError) {
      journal.legs.complete(row, { status: 'failed' });
      throw new PaymentStopped('failed', 'host_unreachable');
    }
    if (kind === 'balance_inquiry') journal.legs.complete(row, { status: 'failed' });
    else deps.reversals.queue(row, '68');
    throw new PaymentStopped('failed', 'host_timeout');
  }
  const approved = answer.responseCode === RESPONSE_CODES.approved;
  const result: ExchangeResult = { approved, answer, message, stan, legId: row };
  journal.atomically(() => {
    // A decline's DE37/DE38 (if a host sent any) name nothing: only an approval's are kept.
    journal.legs.complete(row, approved ? { status: 'approved', responseCode: answer.responseCode, approvalCode: answer.approvalCode, rrn: answer.rrn } : { status: 'declined', responseCode: answer.responseCode });
    exchange.onAnswer?.(result);
  });
  return result;
}
