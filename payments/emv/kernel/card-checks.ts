/**
 * Processing restrictions and terminal risk management (EMV Book 3 §10.4 and §10.6), both pure
 * checks over the transaction data that set TVR bits:
 *   versions: card 9F08 against terminal 9F09; dates: 5F25 effective, 5F24 expiry; usage control
 *   9F07 (valid at terminals other than ATMs, domestic/international goods and services);
 *   floor limit; random selection (Book 3 §10.6.2, biased above the threshold); velocity by the
 *   card's consecutive offline limits (9F14/9F23) against ATC − last online ATC, and a new card,
 *   only for a card that has such limits. Dates carry Book 3's century rule (YY < 50 is 20YY).
 */
import { randomInt } from 'node:crypto';
import { parseTlv } from '../tlv.ts';
import { fullDate } from './emv-dates.ts';
import { TSI, TVR, type TransactionData } from './transaction-data.ts';

export function processingRestrictions(tx: TransactionData, terminalVersion: string): void {
  const cardVersion = tx.get('9F08');
  if (cardVersion && cardVersion.toString('hex').toUpperCase() !== terminalVersion) tx.set(TVR.differentApplicationVersions);
  const today = fullDate(tx.today);
  const effective = tx.get('5F25')?.toString('hex');
  if (effective && fullDate(effective) > today) tx.set(TVR.applicationNotYetEffective);
  const expiry = tx.get('5F24')?.toString('hex');
  if (expiry && fullDate(expiry) < today) tx.set(TVR.expiredApplication);
  const auc = tx.get('9F07');
  if (auc) {
    const domestic = tx.get('5F28')?.toString('hex') === tx.config.countryCode;
    const validAtTerminals = (auc[0]! & 0x01) !== 0;
    // Purchases of goods and services: domestic bits 0x20 / 0x08, international 0x10 / 0x04.
    const goodsOk = domestic ? (auc[0]! & 0x28) !== 0 : (auc[0]! & 0x14) !== 0;
    if (!validAtTerminals || !goodsOk) tx.set(TVR.serviceNotAllowed);
  }
}

export async function terminalRiskManagement(tx: TransactionData): Promise<void> {
  tx.setTsi(TSI.terminalRiskManagementPerformed);
  const amount = tx.amount.amountMinor;
  const { floorLimitMinor, randomSelection } = tx.config;
  if (amount >= floorLimitMinor) tx.set(TVR.floorLimitExceeded);
  else if (randomSelection.targetPercent > 0) {
    const { targetPercent, maxTargetPercent, thresholdMinor } = randomSelection;
    const percent =
      amount < thresholdMinor ? targetPercent : targetPercent + ((maxTargetPercent - targetPercent) * (amount - thresholdMinor)) / Math.max(1, floorLimitMinor - thresholdMinor);
    if (randomInt(1, 100) <= percent) tx.set(TVR.randomlySelectedOnline);
  }
  await velocityChecking(tx);
}

/**
 * Book 3 §10.6.3: only for a card that has consecutive offline limits (9F14, 9F23). GET DATA for
 * the ATC and the last online ATC; when either cannot be read both limits count as exceeded; a last
 * online ATC of zero is a new card.
 */
async function velocityChecking(tx: TransactionData): Promise<void> {
  const lower = tx.get('9F14')?.[0];
  const upper = tx.get('9F23')?.[0];
  if (lower === undefined && upper === undefined) return;
  const atc = await getDataCounter(tx, '9F36');
  const lastOnline = await getDataCounter(tx, '9F13');
  if (atc === undefined || lastOnline === undefined) {
    tx.set(TVR.lowerOfflineLimitExceeded);
    tx.set(TVR.upperOfflineLimitExceeded);
    return;
  }
  if (lastOnline === 0) tx.set(TVR.newCard);
  const sinceOnline = atc - lastOnline;
  if (lower !== undefined && sinceOnline > lower) tx.set(TVR.lowerOfflineLimitExceeded);
  if (upper !== undefined && sinceOnline > upper) tx.set(TVR.upperOfflineLimitExceeded);
}

async function getDataCounter(tx: TransactionData, tag: '9F36' | '9F13'): Promise<number | undefined> {
  const { data, sw } = await tx.exchange({ cla: 0x80, ins: 0xca, p1: 0x9f, p2: Number.parseInt(tag.slice(2), 16), data: Buffer.alloc(0), le: 0 });
  if (sw !== 0x9000) return undefined;
  const value = parseTlv(data).find((entry) => entry.tag === tag)?.value;
  return value?.length === 2 ? value.readUInt16BE(0) : undefined;
}
