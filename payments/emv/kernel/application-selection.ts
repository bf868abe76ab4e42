/**
 * Application selection (EMV Book 1 §12): the PSE directory when the card has one, else the
 * terminal's AID list one by one; then the candidates in priority order, the cardholder's choice
 * when there are several (or one that asks for confirmation), and the final SELECT. An application
 * that answers 6283 is blocked: it is dropped and the next candidate tried.
 */
import { PPSE_NAME, PSE_NAME } from '../emv-names.ts';
import { SW } from '../card/apdu.ts';
import { findTlv, parseTlv, type Tlv } from '../tlv.ts';
import type { ApplicationChoicePort, CandidateApplication } from './ports.ts';
import type { SupportedAid } from './terminal-config.ts';
import { CardProtocolError, type TransactionData } from './transaction-data.ts';


export type Selection =
  | { readonly kind: 'selected'; readonly candidate: CandidateApplication; readonly terminalAid: SupportedAid; readonly fci: Tlv[] }
  | { readonly kind: 'not_accepted'; readonly reason: 'no_common_application' | 'application_blocked' }
  | { readonly kind: 'cancelled' };

const select = (name: Buffer, next = false) => ({ cla: 0x00, ins: 0xa4, p1: 0x04, p2: next ? 0x02 : 0x00, data: name, le: 0 });

export function matchAid(aids: readonly SupportedAid[], cardAid: string): SupportedAid | undefined {
  return aids.find((aid) => aid.aid === cardAid || (aid.partialSelection && cardAid.startsWith(aid.aid)));
}

function candidateOf(entry: Tlv): CandidateApplication | undefined {
  const children = entry.children ?? [];
  const aid = findTlv(children, '4F')?.value ?? findTlv(children, '84')?.value;
  if (!aid) return undefined;
  const label = findTlv(children, '9F12')?.value ?? findTlv(children, '50')?.value;
  const api = findTlv(children, '87')?.value[0];
  return {
    aid: aid.toString('hex').toUpperCase(),
    label: label ? label.toString('latin1') : aid.toString('hex').toUpperCase(),
    priority: api === undefined || (api & 0x0f) === 0 ? undefined : api & 0x0f,
    needsConfirmation: api !== undefined && (api & 0x80) !== 0,
  };
}

/** The candidates from the PSE directory; undefined when the card has no PSE. */
async function fromPse(tx: TransactionData): Promise<CandidateApplication[] | undefined> {
  const { data, sw } = await tx.exchange(select(PSE_NAME));
  if (sw !== SW.ok) return undefined;
  const sfi = findTlv(parseTlv(data), '88')?.value[0];
  if (sfi === undefined) return undefined;
  const found: CandidateApplication[] = [];
  for (let record = 1; record <= 16; record++) {
    const answer = await tx.exchange({ cla: 0x00, ins: 0xb2, p1: record, p2: (sfi << 3) | 0x04, data: Buffer.alloc(0), le: 0 });
    if (answer.sw === SW.recordNotFound) break;
    if (answer.sw !== SW.ok) return undefined;
    const template = parseTlv(answer.data).find((entry) => entry.tag === '70');
    for (const entry of template?.children ?? []) {
      const candidate = entry.tag === '61' ? candidateOf(entry) : undefined;
      if (candidate) found.push(candidate);
    }
  }
  return found;
}

/** The candidates from the PPSE's FCI (contactless). */
export async function candidatesFromPpse(tx: TransactionData): Promise<CandidateApplication[]> {
  const { data, sw } = await tx.exchange(select(PPSE_NAME));
  if (sw !== SW.ok) return [];
  const directory = findTlv(parseTlv(data), 'BF0C')?.children ?? [];
  return directory.flatMap((entry) => {
    const candidate = entry.tag === '61' ? candidateOf(entry) : undefined;
    return candidate ? [candidate] : [];
  });
}

/** Book 1 §12.4: priority order; those without a priority after those with one, in the card's order. */
export function byPriority(candidates: readonly CandidateApplication[]): CandidateApplication[] {
  return candidates
    .map((candidate, index) => ({ candidate, index }))
    .sort((a, b) => (a.candidate.priority ?? 16) - (b.candidate.priority ?? 16) || a.index - b.index)
    .map(({ candidate }) => candidate);
}

export async function selectContactApplication(tx: TransactionData, choose: ApplicationChoicePort): Promise<Selection> {
  let candidates = (await fromPse(tx)) ?? [];
  candidates = candidates.filter((candidate) => matchAid(tx.config.aids, candidate.aid));
  let sawBlocked = false;
  if (candidates.length === 0) {
    // List of AIDs (Book 1 §12.3.3): every terminal AID, with partial selection's "next occurrence".
    for (const terminalAid of tx.config.aids) {
      const aid = Buffer.from(terminalAid.aid, 'hex');
      for (let next = false, seen = 0; seen < 4; next = true, seen++) {
        const { data, sw } = await tx.exchange(select(aid, next));
        if (sw !== SW.ok && sw !== SW.selectedFileInvalidated) break;
        sawBlocked ||= sw === SW.selectedFileInvalidated;
        const fci = parseTlv(data);
        const name = findTlv(fci, '84')?.value.toString('hex').toUpperCase();
        const proprietary = findTlv(fci, 'A5');
        const candidate = name && proprietary ? candidateOf({ tag: '61', value: Buffer.alloc(0), children: [{ tag: '4F', value: Buffer.from(name, 'hex') }, ...(proprietary.children ?? [])] }) : undefined;
        if (candidate && sw === SW.ok && !candidates.some((known) => known.aid === candidate.aid)) candidates.push(candidate);
        if (!terminalAid.partialSelection || name === terminalAid.aid) break;
      }
    }
  }
  if (candidates.length === 0 && sawBlocked) return { kind: 'not_accepted', reason: 'application_blocked' };
  return finalSelection(tx, byPriority(candidates), choose);
}

export async function finalSelection(tx: TransactionData, ordered: CandidateApplication[], choose: ApplicationChoicePort | undefined): Promise<Selection> {
  let blocked = false;
  let remaining = ordered;
  while (remaining.length > 0) {
    let index = 0;
    if (choose && (remaining.length > 1 || remaining[0]!.needsConfirmation)) {
      const chosen = await choose.choose(remaining, tx.signal);
      if (chosen === 'cancelled') return { kind: 'cancelled' };
      if (!Number.isInteger(chosen) || chosen < 0 || chosen >= remaining.length) throw new CardProtocolError(`application choice ${chosen} is not a candidate`);
      index = chosen;
    }
    const candidate = remaining[index]!;
    const { data, sw } = await tx.exchange(select(Buffer.from(candidate.aid, 'hex')));
    if (sw === SW.ok) {
      const terminalAid = matchAid(tx.config.aids, candidate.aid);
      if (!terminalAid) throw new CardProtocolError(`selected ${candidate.aid}, which the terminal does not support`);
      return { kind: 'selected', candidate, terminalAid, fci: parseTlv(data) };
    }
    blocked ||= sw === SW.selectedFileInvalidated;
    remaining = remaining.filter((_, i) => i !== index);
  }
  return { kind: 'not_accepted', reason: blocked ? 'application_blocked' : 'no_common_application' };
}
