/**
 * The host's answer to a 0320 batch upload: one approved transaction of a batch the host found out
 * of balance, as the terminal recorded it. The host keeps it until the terminal's 0500 960000
 * adopts the whole upload (settlement.ts); uploading the same RRN again replaces the earlier copy.
 * An upload carries no card (profile v4): DE37 names the transaction, and an RRN the host does not
 * hold is reported in the 0510, not adopted (adopt-uploads.ts).
 *   format (30; DE60 = orig MTI n4 + orig STAN n6 + batch number n6; card data present) → DE60
 *   names an 0200, DE3 a purchase or refund, DE39 "00", DE49 a known currency (12) → amount above
 *   zero (13) → kept (00).
 */
import { currencyByNumeric } from '../../common/money.ts';
import { getText, type IsoMessage } from '../../payments/iso8583/message.ts';
import type { TransactionKind } from '../ledger/transactions.ts';
import type { Issuer } from './authorize-purchase.ts';
import { carriesCardData } from './card-data-fields.ts';
import { RESPONSE_CODE, type ResponseCode } from './response-codes.ts';
import { PROCESSING_CODES } from '../../payments/iso8583/profile.ts';

export const BATCH_UPLOAD_MANDATORY_FIELDS = [3, 4, 7, 11, 12, 13, 22, 37, 38, 39, 41, 42, 49, 60] as const;

const KIND_BY_PROCESSING_CODE: Readonly<Record<string, TransactionKind>> = { [PROCESSING_CODES.purchase]: 'purchase', [PROCESSING_CODES.refund]: 'refund' };
const UPLOAD_DE60 = /^(\d{4})(\d{6})(\d{6})$/;

export function acceptBatchUpload(message: IsoMessage, issuer: Issuer): ResponseCode {
  if (BATCH_UPLOAD_MANDATORY_FIELDS.some((field) => !message.fields.has(field)) || carriesCardData(message)) return RESPONSE_CODE.formatError;
  const de60 = UPLOAD_DE60.exec(getText(message, 60)!);
  if (de60 === null) return RESPONSE_CODE.formatError;
  const [, originalMti, originalStan = '', batchNumber = ''] = de60;
  const kind = KIND_BY_PROCESSING_CODE[getText(message, 3)!];
  const currency = currencyByNumeric(getText(message, 49)!);
  if (originalMti !== '0200' || kind === undefined || getText(message, 39) !== RESPONSE_CODE.approved || currency === undefined) {
    return RESPONSE_CODE.invalidTransaction;
  }
  const amountMinor = Number(getText(message, 4));
  if (amountMinor <= 0) return RESPONSE_CODE.invalidAmount;

  issuer.ledger.atomically(() =>
    issuer.ledger.batches.stageUpload({
      tid: getText(message, 41)!,
      batchNumber,
      rrn: getText(message, 37)!.trim(),
      kind,
      stan: originalStan,
      merchantId: getText(message, 42)!,
      amountMinor,
      currency,
      approvalCode: getText(message, 38)!,
      uploadedAt: issuer.now(),
    }),
  );
  return RESPONSE_CODE.approved;
}
