/**
 * The contactless (tap) kernel for Visa qVSDC and UnionPay qUICS, online path:
 *
 *   pre-processing  amount at or above the contactless transaction limit → 'insert_card' without
 *                   touching the card; at or above the CVM required limit → the TTQ asks for a CVM
 *   PPSE            the applications in the card's FCI, the highest priority one the terminal
 *                   supports contactless (no cardholder choice in the field)
 *   SELECT, GPO     the PDOL data (TTQ, amount, …); the card answers with its ARQC at once
 *   READ RECORD     the AFL's records; then "remove card" is shown at once, before any PIN or
 *                   authorization, and the card's part is done (time in the field ends here)
 *   CVM             online PIN when the card's CTQ asks for it, and whenever the amount required a
 *                   CVM, whatever the CTQ says or if the card gave none: the only CVM this reader
 *                   offers contactless is online PIN (TTQ: no signature), as China's rule for
 *                   taps above the no-PIN limit wants
 *   online          the authorization; no second GENERATE AC, no issuer scripts (qVSDC/qUICS
 *                   online transactions end with the issuer's answer)
 *
 * A card that leaves the field before the read is complete gives 'present_card_again'.
 * Mastercard's contactless kernel (GENERATE AC with CDA) is not implemented: its AID has no
 * contactless entry in the terminal config, so such a card is asked to be inserted.
 */
import { byPriority, candidatesFromPpse, finalSelection, matchAid } from './application-selection.ts';
import { chipRecord, failure, onlineRequest, type KernelRun } from './contact-kernel.ts';
import { panOf, type CvmOutcome } from './cardholder-verification.ts';
import { CardRemovedError, type KernelOutcome } from './ports.ts';
import { checkMandatoryData, getProcessingOptions, readRecords } from './read-application-data.ts';
import { CardProtocolError, TransactionData } from './transaction-data.ts';

/**
 * TTQ byte 1: 0x20 qVSDC/qUICS supported, 0x04 online PIN supported (signature, 0x02, is not offered
 * contactless); byte 2: 0x80 online cryptogram required, 0x40 CVM required.
 */
function ttq(cvmRequired: boolean): Buffer {
  return Buffer.from([0x24, 0x80 | (cvmRequired ? 0x40 : 0x00), 0x00, 0x00]);
}

/** CTQ byte 1 bit 8: the card asks for online PIN. */
const CTQ_ONLINE_PIN = 0x80;

export interface ContactlessRun extends KernelRun {
  /** Called the moment the card's part is done (the "remove card" signal): benchmarks time the field from here. */
  readonly onCardRead?: () => void;
}

export async function runContactlessTransaction(run: ContactlessRun): Promise<KernelOutcome> {
  const limits = run.config.contactless;
  if (run.amount.amountMinor >= limits.transactionLimitMinor) {
    run.ports.messages.show('insert_card');
    return { kind: 'insert_card' };
  }
  const tx = new TransactionData(run.config, run.amount, run.ports.card, run.signal, run.now ?? new Date());
  const cvmRequired = run.amount.amountMinor >= limits.cvmRequiredLimitMinor;
  tx.setTerminal('9F66', ttq(cvmRequired));
  tx.setTerminal('95', Buffer.alloc(5));
  let cardDone = false;
  try {
    const candidates = (await candidatesFromPpse(tx)).filter((candidate) => matchAid(run.config.aids, candidate.aid)?.contactless !== undefined);
    if (candidates.length === 0) {
      run.ports.messages.show('insert_card');
      return { kind: 'insert_card' };
    }
    const selection = await finalSelection(tx, byPriority(candidates).slice(0, 1), undefined);
    if (selection.kind !== 'selected') {
      run.ports.messages.show('not_accepted');
      return selection.kind === 'cancelled' ? selection : { kind: 'not_accepted', reason: selection.reason };
    }
    const fci = selection.fci.flatMap((tlv) => tlv.children ?? []).flatMap((tlv) => [tlv, ...(tlv.children ?? [])]);
    for (const entry of fci) tx.setFromCard(entry.tag, entry.value);
    tx.setTerminal('9F09', Buffer.from(selection.terminalAid.applicationVersion, 'hex'));
    await getProcessingOptions(tx, fci);
    await readRecords(tx);
    checkMandatoryData(tx, true);
    const cid = tx.get('9F27')?.[0];
    if (cid === undefined || (cid & 0xc0) !== 0x80 || !tx.get('9F26')) throw new CardProtocolError('contactless GPO gave no ARQC');
    cardDone = true;
    run.ports.messages.show('remove_card');
    run.onCardRead?.();

    const ctq = tx.get('9F6C');
    let cvm: CvmOutcome = { performed: 'no_cvm' };
    tx.setTerminal('9F34', Buffer.from('1F0002', 'hex'));
    if (cvmRequired || (ctq !== undefined && (ctq[0]! & CTQ_ONLINE_PIN) !== 0)) {
      run.ports.messages.show('enter_pin');
      const entry = await run.ports.pin.enterOnlinePin({ pan: panOf(tx), amount: run.amount, attempt: 1 }, run.signal);
      if (entry.kind === 'cancelled') return { kind: 'cancelled' };
      if (entry.kind !== 'entered') {
        run.ports.messages.show('declined');
        return { kind: 'declined', by: 'terminal', record: chipRecord(tx, 'contactless', selection.candidate.label, 'ARQC', { performed: 'failed' }, []) };
      }
      cvm = { performed: 'online_pin', pin: { pinBlock: entry.pinBlock, ksn: entry.ksn } };
      tx.setTerminal('9F34', Buffer.from('020000', 'hex'));
    }
    run.ports.messages.show('please_wait');
    const answer = await run.ports.authorization.authorize(onlineRequest(tx, 'contactless', cvm), run.signal);
    const record = chipRecord(tx, 'contactless', selection.candidate.label, 'ARQC', cvm, []);
    if (answer.kind === 'unreachable') {
      run.ports.messages.show('declined');
      return { kind: 'unable_to_go_online', record };
    }
    const approved = answer.responseCode === '00';
    run.ports.messages.show(approved ? 'approved' : 'declined');
    return approved ? { kind: 'approved', record, response: answer } : { kind: 'declined', by: 'issuer', record, response: answer };
  } catch (error) {
    if (!cardDone && error instanceof CardRemovedError && !run.signal.aborted) {
      run.ports.messages.show('present_card_again');
      return { kind: 'present_card_again' };
    }
    return failure(error, cardDone, run);
  }
}
