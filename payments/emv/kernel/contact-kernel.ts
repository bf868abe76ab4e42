/**
 * The contact (insert) kernel: EMV Books 1–4 in the order a terminal runs them.
 *
 *   1. application selection (PSE or the AID list, priority, the cardholder's choice)
 *   2. initiate application processing (GPO, PDOL) and read application data (AFL)
 *   3. offline data authentication (DDA)
 *   4. processing restrictions
 *   5. cardholder verification (online PIN through the PIN port, signature, no CVM)
 *   6. terminal risk management (floor limit, random selection, velocity)
 *   7. terminal action analysis (TAC/IAC), first GENERATE AC
 *   8. online authorization through the authorization port
 *   9. issuer authentication (EXTERNAL AUTHENTICATE or CDOL2), scripts 71, second GENERATE AC, scripts 72
 *
 * Every path ends in one KernelOutcome; the card is never left mid-command when the signal aborts.
 */
import { maskPan } from '../../../common/card/pan.ts';
import type { Money } from '../../../common/money.ts';
import { selectContactApplication } from './application-selection.ts';
import type { CaPublicKeys } from './ca-public-keys.ts';
import { processingRestrictions, terminalRiskManagement } from './card-checks.ts';
import { panOf, verifyCardholder, type CvmOutcome } from './cardholder-verification.ts';
import { encodeScriptResults, externalAuthenticate, generateAc, runScripts, terminalActionAnalysis, type AcType } from './completion.ts';
import { iccDataFor, journalIccData, ONLINE_ICC_TAGS } from './icc-data.ts';
import { performOda } from './offline-data-authentication.ts';
import { CardMuteError, CardRemovedError, type AuthorizationResponse, type ChipRecord, type KernelOutcome, type KernelPorts, type OnlineRequest, type ScriptResult } from './ports.ts';
import { checkMandatoryData, getProcessingOptions, readRecords } from './read-application-data.ts';
import type { TerminalConfig } from './terminal-config.ts';
import { ApplicationNotAcceptedError, CardProtocolError, TransactionData, TSI } from './transaction-data.ts';
import { TlvError } from '../tlv.ts';
import { ApduFormatError } from '../card/apdu.ts';

export interface KernelRun {
  readonly amount: Money;
  readonly config: TerminalConfig;
  readonly caKeys: CaPublicKeys;
  readonly ports: KernelPorts;
  readonly signal: AbortSignal;
  readonly now?: Date;
}

/** ARC values the card is given in CDOL2 (8A): the issuer's DE39 as two ASCII characters, or Z3 when no answer came. */
const UNABLE_TO_GO_ONLINE_ARC = Buffer.from('Z3', 'ascii');

export async function runContactTransaction(run: KernelRun): Promise<KernelOutcome> {
  const tx = new TransactionData(run.config, run.amount, run.ports.card, run.signal, run.now ?? new Date());
  let online = false;
  try {
    return await contactFlow(tx, run, () => (online = true));
  } catch (error) {
    return failure(error, online, run);
  }
}

export function failure(error: unknown, online: boolean, run: KernelRun): KernelOutcome {
  if (run.signal.aborted) return { kind: 'cancelled' };
  if (error instanceof CardRemovedError) return { kind: 'card_removed', online };
  if (error instanceof ApplicationNotAcceptedError) {
    run.ports.messages.show('not_accepted');
    return { kind: 'not_accepted', reason: 'conditions_not_satisfied' };
  }
  if (error instanceof CardMuteError || error instanceof CardProtocolError || error instanceof TlvError || error instanceof ApduFormatError) {
    run.ports.messages.show('card_error');
    return { kind: 'chip_error', reason: error.message };
  }
  throw error;
}

async function contactFlow(tx: TransactionData, run: KernelRun, wentOnline: () => void): Promise<KernelOutcome> {
  const { ports } = run;
  ports.messages.show('processing');
  const selection = await selectContactApplication(tx, ports.choose);
  if (selection.kind === 'cancelled') return { kind: 'cancelled' };
  if (selection.kind === 'not_accepted') {
    ports.messages.show('not_accepted');
    return selection;
  }
  const { candidate, terminalAid } = selection;
  const fci = selection.fci.flatMap((tlv) => tlv.children ?? []).flatMap((tlv) => [tlv, ...(tlv.children ?? [])]);
  for (const entry of fci) tx.setFromCard(entry.tag, entry.value);
  tx.setTerminal('9F09', Buffer.from(terminalAid.applicationVersion, 'hex'));
  tx.setTerminal('9F06', Buffer.from(terminalAid.aid, 'hex'));

  await getProcessingOptions(tx, fci);
  const staticRecords = await readRecords(tx);
  checkMandatoryData(tx, false);
  await performOda(tx, staticRecords, run.caKeys);
  processingRestrictions(tx, terminalAid.applicationVersion);
  const cvm = await verifyCardholder(tx, ports.pin);
  if (cvm.cancelled) return { kind: 'cancelled' };
  await terminalRiskManagement(tx);

  const decision = terminalActionAnalysis(tx, terminalAid.tac);
  const first = await generateAc(tx, decision, '8C');
  // Book 3 §10.8: the card performed its risk management in answering the first GENERATE AC.
  tx.setTsi(TSI.cardRiskManagementPerformed);
  if (first !== 'ARQC') {
    ports.messages.show('declined');
    return { kind: 'declined', by: first === 'AAC' && decision === 'AAC' ? 'terminal' : 'card', record: chipRecord(tx, 'contact', candidate.label, first, cvm, []) };
  }

  ports.messages.show('please_wait');
  wentOnline();
  const answer = await ports.authorization.authorize(onlineRequest(tx, 'contact', cvm), run.signal);
  if (answer.kind === 'unreachable') {
    // This terminal never approves offline (zero floor limit): the card is asked for an AAC (Z3).
    tx.setTerminal('8A', UNABLE_TO_GO_ONLINE_ARC);
    const second = await generateAc(tx, 'AAC', '8D');
    ports.messages.show('declined');
    return { kind: 'unable_to_go_online', record: chipRecord(tx, 'contact', candidate.label, second, cvm, []) };
  }

  const approved = answer.responseCode === '00';
  tx.setTerminal('8A', Buffer.from(answer.responseCode.padEnd(2).slice(0, 2), 'ascii'));
  const aip = tx.get('82')!;
  if (answer.issuerAuthenticationData) {
    if ((aip[0]! & 0x04) !== 0) await externalAuthenticate(tx, answer.issuerAuthenticationData);
    // The card checks it inside the second GENERATE AC (CDOL2 asks for 91); the terminal performs nothing (no TSI bit).
    else tx.setTerminal('91', answer.issuerAuthenticationData);
  }
  const scripts: ScriptResult[] = await runScripts(tx, answer.scripts71 ?? [], '71');
  const second = await generateAc(tx, approved ? 'TC' : 'AAC', '8D');
  // From here the card has decided: a card pulled out during the 72 scripts is a failed script, not a lost sale.
  scripts.push(...(await runScripts(tx, answer.scripts72 ?? [], '72')));
  const record = chipRecord(tx, 'contact', candidate.label, second, cvm, scripts);
  if (approved && second === 'TC') {
    ports.messages.show('approved');
    return { kind: 'approved', record, response: answer };
  }
  ports.messages.show('declined');
  if (approved) return { kind: 'card_declined_after_approval', record, response: answer };
  return { kind: 'declined', by: 'issuer', record, response: answer };
}

export function onlineRequest(tx: TransactionData, entryMode: 'contact' | 'contactless', cvm: CvmOutcome): OnlineRequest {
  const track2 = tx.get('57') ?? tx.get('9F6B');
  if (!track2) throw new CardProtocolError('card gave no track 2 equivalent data (57)');
  const digits = track2.toString('hex').toUpperCase().replace(/F$/, '');
  const separator = digits.indexOf('D');
  if (separator < 12) throw new CardProtocolError('track 2 equivalent data has no separator');
  const pan = panOf(tx) || digits.slice(0, separator);
  return {
    entryMode,
    pan,
    expiry: digits.slice(separator + 1, separator + 5),
    track2Equivalent: digits,
    panSequenceNumber: tx.get('5F34')?.toString('hex'),
    iccData: iccDataFor(ONLINE_ICC_TAGS, (tag) => tx.get(tag)),
    amount: tx.amount,
    pin: cvm.pin,
  };
}

export function chipRecord(tx: TransactionData, entryMode: 'contact' | 'contactless', label: string, acType: AcType, cvm: CvmOutcome, scripts: ScriptResult[]): ChipRecord {
  const pan = panOf(tx);
  return {
    entryMode,
    aid: (tx.get('84') ?? tx.get('4F') ?? Buffer.alloc(0)).toString('hex').toUpperCase(),
    applicationLabel: label,
    tvr: tx.tvr.toString('hex').toUpperCase(),
    tsi: tx.tsi.toString('hex').toUpperCase(),
    acType,
    maskedPan: pan ? maskPan(pan) : '',
    cvm: cvm.performed,
    iccData: journalIccData((tag) => tx.get(tag)),
    scriptResults: scripts,
  };
}

/** DF31 for the next message, from a record's script results. */
export function scriptResultsTag(record: ChipRecord): Buffer | undefined {
  return record.scriptResults.length === 0 ? undefined : encodeScriptResults(record.scriptResults);
}

export type { AuthorizationResponse };
