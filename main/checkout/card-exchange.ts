/**
 * One 0200 exchange with the host, journaled: the row is written before the request leaves, then
 * completed with the answer. What happens when no answer comes decides whether anyone is charged
 * twice, so it is spelled out here:
 *
 *  - nothing was sent (no link): the row fails, host_unreachable; nothing to undo.
 *  - the request went out and no usable answer came (timeout, link lost, an unreadable 0210, a 00
 *    without RRN or approval code): a purchase or refund is reversed (0400 reason 68, queued until
 *    the host confirms) and never sent again; the cashier is told host_timeout, the customer was
 *    neither charged nor credited. A balance inquiry moves no money, so it only fails.
 */
import type { CardScheme } from '../../common/card/scheme.ts';
import { maskPan } from '../../common/card/pan.ts';
import type { CardData } from '../../common/card/tracks.ts';
import type { Money } from '../../common/money.ts';
import type { CardTransactionKind } from '../../common/payment.ts';
import { AcquirerUnavailableError } from '../acquirer/acquirer-link.ts';
import { buildCardRequest, ENTRY_MODE_SWIPE_WITH_PIN, PROCESSING_CODES, readAuthorizationAnswer, type AuthorizationAnswer } from '../acquirer/card-request.ts';
import { localDate, localTime, transmissionDateTime } from '../acquirer/message-clock.ts';
import type { Journal, JournalRow } from '../journal/journal.ts';
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
  readonly paymentId: string;
  readonly kind: CardTransactionKind;
  readonly amount: Money;
  readonly card: CardData;
  readonly scheme: CardScheme;
  readonly pin?: { readonly pinBlock: Uint8Array; readonly ksn: Uint8Array };
  /** A refund: the purchase it refunds. */
  readonly original?: JournalRow;
  readonly now: Date;
}

export interface ExchangeResult {
  readonly approved: boolean;
  readonly answer: AuthorizationAnswer;
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
    now,
    ...(exchange.pin ? { pin: exchange.pin } : {}),
    ...(originalRrn === undefined ? {} : { originalRrn }),
  });
  const row = journal.recordPending({
    paymentId: exchange.paymentId,
    kind,
    amount: exchange.amount,
    maskedPan: maskPan(exchange.card.pan),
    scheme: exchange.scheme,
    entryMode: ENTRY_MODE_SWIPE_WITH_PIN,
    terminalId: deps.terminalId,
    merchantId: deps.merchantId,
    processingCode: PROCESSING_CODES[kind],
    stan,
    transmittedAt: transmissionDateTime(now),
    localTime: localTime(now),
    localDate: localDate(now),
    ...(original === undefined || originalRrn === undefined ? {} : { originalId: original.id, originalRrn }),
    // Sealed for a reversal or batch upload; an inquiry needs neither.
    ...(kind === 'balance_inquiry' ? {} : { pan: exchange.card.pan }),
  });

  let answer: AuthorizationAnswer;
  try {
    answer = readAuthorizationAnswer(await deps.acquirer.request(request));
    if (answer.responseCode === '00' && kind !== 'balance_inquiry' && (answer.approvalCode === undefined || answer.rrn === undefined)) {
      throw new Error('the host approved without an approval code or RRN');
    }
  } catch (error) {
    deps.log(`${kind} ${exchange.paymentId} STAN ${stan}: ${error instanceof Error ? error.message : String(error)}`);
    if (error instanceof AcquirerUnavailableError) {
      journal.complete(row, { status: 'failed' });
      throw new PaymentStopped('failed', 'host_unreachable');
    }
    if (kind === 'balance_inquiry') journal.complete(row, { status: 'failed' });
    else deps.reversals.queue(row, '68');
    throw new PaymentStopped('failed', 'host_timeout');
  }
  const approved = answer.responseCode === '00';
  // A decline's DE37/DE38 (if a host sent any) name nothing: only an approval's are kept.
  journal.complete(row, approved ? { status: 'approved', responseCode: answer.responseCode, approvalCode: answer.approvalCode, rrn: answer.rrn } : { status: 'declined', responseCode: answer.responseCode });
  return { approved, answer, stan };
}
