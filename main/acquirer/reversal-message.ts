/**
 * The 0400 reversal of a journaled purchase or refund, per profile v4: the original's DE3, DE4,
 * DE11 (a reversal shares its original's STAN), DE12, DE13, DE22, DE41, DE42, DE49, DE39 = the
 * reason, and DE90 naming the original by MTI, STAN and DE7. No card data, for any entry mode: the
 * host finds the original by DE41 + DE90. DE7 is not part of what is queued: it is set at each
 * transmission.
 */
import { CURRENCIES } from '../../common/money.ts';
import type { ReversalReason } from '../../common/journal.ts';
import { POS_CONDITION_CODES } from '../../payments/iso8583/profile.ts';
import type { CardLegRow } from '../journal/card-leg-row.ts';

export const REVERSAL_MTI = '0400';
/** Acquiring and forwarding institution ids (11 digits each), zero in this profile. */
const INSTITUTION_IDS = '0'.repeat(22);

/** DE90, n42: original MTI, STAN and DE7, then the two institution ids. */
export function originalDataElements(original: Pick<CardLegRow, 'mti' | 'stan' | 'transmittedAt'>): string {
  return `${original.mti}${original.stan}${original.transmittedAt}${INSTITUTION_IDS}`;
}

/** `merchantId` stands in for DE42 on rows carried over from journal v1, which did not keep it. */
export function reversalFields(original: CardLegRow, reason: ReversalReason, merchantId: string): Record<number, string> {
  return {
    3: original.processingCode,
    4: String(original.amount.amountMinor).padStart(12, '0'),
    11: original.stan,
    12: original.localTime,
    13: original.localDate,
    22: original.entryMode,
    25: POS_CONDITION_CODES.normal,
    39: reason,
    41: original.terminalId,
    42: original.merchantId ?? merchantId,
    49: CURRENCIES[original.amount.currency].numeric,
    90: originalDataElements(original),
  };
}
