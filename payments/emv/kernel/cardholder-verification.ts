/**
 * Cardholder verification from the card's CVM list (EMV Book 3 §10.5, Annex C3). Rules are tried
 * in order; a rule whose condition is not met is skipped; a rule that fails goes on to the next
 * only when its method byte says "apply succeeding rule" (0x40).
 *
 * Methods this terminal performs: online enciphered PIN (02) through the PIN pad, signature (1E),
 * no CVM (1F), and "fail CVM" (00). Offline PIN (01, 03, 04, 05) is not supported by the terminal
 * (9F33 says so), so a rule for it under condition 03 "if terminal supports the CVM" is skipped,
 * and under any other condition it fails as unsupported and falls through if the rule allows.
 */
import type { PinEntryPort, PinEntryResult } from './ports.ts';
import { TSI, TVR, type TransactionData } from './transaction-data.ts';

export type CvmPerformed = 'online_pin' | 'signature' | 'no_cvm' | 'failed';

export interface CvmOutcome {
  readonly performed: CvmPerformed;
  readonly pin?: { readonly pinBlock: Uint8Array; readonly ksn: Uint8Array };
  /** The cardholder cancelled on the PIN pad: the transaction ends. */
  readonly cancelled?: boolean;
}

const SUPPORTED = { onlinePin: 0x02, signature: 0x1e, noCvm: 0x1f, fail: 0x00 } as const;

function terminalSupports(tx: TransactionData, method: number): boolean {
  const byte2 = Number.parseInt(tx.config.capabilities.slice(2, 4), 16);
  if (method === SUPPORTED.onlinePin) return (byte2 & 0x40) !== 0;
  if (method === SUPPORTED.signature) return (byte2 & 0x20) !== 0;
  if (method === SUPPORTED.noCvm) return (byte2 & 0x08) !== 0;
  if (method === SUPPORTED.fail) return true;
  return false;
}

function conditionMet(tx: TransactionData, condition: number, method: number, x: number, y: number): boolean | 'unknown' {
  const amount = tx.amount.amountMinor;
  const inAppCurrency = tx.get('9F42')?.toString('hex') === tx.config.currencyCode;
  switch (condition) {
    case 0x00: // always
      return true;
    case 0x01: // unattended cash
    case 0x04: // manual cash
    case 0x05: // purchase with cashback
      return false;
    case 0x02: // not unattended cash, not manual cash, not cashback
      return true;
    case 0x03: // if terminal supports the CVM
      return terminalSupports(tx, method);
    case 0x06:
      return inAppCurrency && amount < x;
    case 0x07:
      return inAppCurrency && amount > x;
    case 0x08:
      return inAppCurrency && amount < y;
    case 0x09:
      return inAppCurrency && amount > y;
    default:
      return 'unknown';
  }
}

/** CVM results (9F34) byte 3. */
const CVM_RESULT = { unknown: 0x00, failed: 0x01, successful: 0x02 } as const;
/** CVM results byte 1 when no rule was performed. */
const NO_CVM_PERFORMED = 0x3f;

export async function verifyCardholder(tx: TransactionData, pin: PinEntryPort): Promise<CvmOutcome> {
  const aip = tx.get('82')!;
  const list = tx.get('8E');
  if ((aip[0]! & 0x10) === 0) {
    tx.setTerminal('9F34', Buffer.from([NO_CVM_PERFORMED, 0x00, CVM_RESULT.unknown]));
    return { performed: 'no_cvm' };
  }
  if (!list || list.length < 10) {
    // Book 3 §10.5: the card supports cardholder verification but gave no rules.
    tx.set(TVR.iccDataMissing);
    tx.setTerminal('9F34', Buffer.from([NO_CVM_PERFORMED, 0x00, CVM_RESULT.unknown]));
    return { performed: 'no_cvm' };
  }
  tx.setTsi(TSI.cardholderVerificationPerformed);
  const x = list.readUInt32BE(0);
  const y = list.readUInt32BE(4);
  // The last rule tried and failed: CVM results name it when nothing succeeds (Book 3 Annex C3).
  let lastFailed: readonly [number, number] | undefined;
  for (let offset = 8; offset + 2 <= list.length; offset += 2) {
    const rule = list[offset]!;
    const condition = list[offset + 1]!;
    const method = rule & 0x3f;
    const applyNext = (rule & 0x40) !== 0;
    const met = conditionMet(tx, condition, method, x, y);
    if (met !== true) continue;
    const result = await perform(tx, pin, method);
    if (result.cancelled) return result;
    if (result.performed !== 'failed') {
      tx.setTerminal('9F34', Buffer.from([rule, condition, result.performed === 'no_cvm' ? CVM_RESULT.successful : CVM_RESULT.unknown]));
      return result;
    }
    lastFailed = [rule, condition];
    if (!applyNext) break;
  }
  tx.set(TVR.cardholderVerificationFailed);
  tx.setTerminal('9F34', Buffer.from([...(lastFailed ?? [NO_CVM_PERFORMED, 0x00]), CVM_RESULT.failed]));
  return { performed: 'failed' };
}

async function perform(tx: TransactionData, pin: PinEntryPort, method: number): Promise<CvmOutcome> {
  switch (method) {
    case SUPPORTED.onlinePin: {
      const entry: PinEntryResult = await pin.enterOnlinePin({ pan: panOf(tx), amount: tx.amount, attempt: 1 }, tx.signal);
      if (entry.kind === 'entered') {
        tx.set(TVR.onlinePinEntered);
        return { performed: 'online_pin', pin: { pinBlock: entry.pinBlock, ksn: entry.ksn } };
      }
      if (entry.kind === 'cancelled') return { performed: 'failed', cancelled: true };
      tx.set(TVR.pinNotEntered);
      return { performed: 'failed' };
    }
    case SUPPORTED.signature:
      return { performed: 'signature' };
    case SUPPORTED.noCvm:
      return { performed: 'no_cvm' };
    case SUPPORTED.fail:
      return { performed: 'failed' };
    case 0x01:
    case 0x03:
    case 0x04:
    case 0x05:
      // Offline PIN: recognised, but this terminal has no offline PIN (a PIN pad for it is "not present").
      tx.set(TVR.pinPadNotPresent);
      return { performed: 'failed' };
    default:
      tx.set(TVR.unrecognisedCvm);
      return { performed: 'failed' };
  }
}

export function panOf(tx: TransactionData): string {
  return (tx.get('5A') ?? Buffer.alloc(0)).toString('hex').toUpperCase().replace(/F+$/, '');
}
