/**
 * Terminal action analysis, the GENERATE AC commands and the online completion (EMV Book 3 §10.7,
 * §10.8–10.10, §9.3): TAC/IAC against the TVR, the first GENERATE AC, issuer authentication (tag 91
 * by EXTERNAL AUTHENTICATE or in the CDOL2 data, as the card asks), issuer scripts (71 before the
 * second GENERATE AC, 72 after) with their results, and the second GENERATE AC.
 */
import { AC_TYPE_BITS, acTypeOf, type AcType } from '../emv-names.ts';
import { ApduFormatError, SW } from '../card/apdu.ts';
import { findTlv, parseDol, parseTlv, type Tlv } from '../tlv.ts';
import { CardMuteError, CardRemovedError, type ScriptResult } from './ports.ts';
import { CardProtocolError, TSI, TVR, type TransactionData } from './transaction-data.ts';

export type { AcType };

function anyBitSet(code: Buffer, tvr: Buffer): boolean {
  return code.some((byte, index) => (byte & tvr[index]!) !== 0);
}

function actionCode(hex: string | undefined, fallback: number): Buffer {
  return hex ? Buffer.from(hex, 'hex') : Buffer.alloc(5, fallback);
}

/** Book 3 §10.7 for an online-capable terminal: denial → AAC, else ARQC (this terminal never approves offline). */
export function terminalActionAnalysis(tx: TransactionData, tac: { denial: string }): AcType {
  const iacDenial = tx.get('9F0E') ?? Buffer.alloc(5);
  if (anyBitSet(iacDenial, tx.tvr) || anyBitSet(actionCode(tac.denial, 0), tx.tvr)) return 'AAC';
  return 'ARQC';
}

export async function generateAc(tx: TransactionData, requested: AcType, dolTag: '8C' | '8D'): Promise<AcType> {
  const dol = tx.get(dolTag);
  if (!dol) throw new CardProtocolError(`card has no ${dolTag === '8C' ? 'CDOL1' : 'CDOL2'}`);
  const data = await tx.expectOk({ cla: 0x80, ins: 0xae, p1: AC_TYPE_BITS[requested], p2: 0x00, data: tx.dolData(parseDol(dol)), le: 0 }, 'GENERATE AC');
  const [template] = parseTlv(data);
  if (template?.tag === '80') {
    const value = template.value;
    if (value.length < 11) throw new CardProtocolError('GENERATE AC format 1 is too short');
    tx.setFromCard('9F27', value.subarray(0, 1));
    tx.setFromCard('9F36', value.subarray(1, 3));
    tx.setFromCard('9F26', value.subarray(3, 11));
    if (value.length > 11) tx.setFromCard('9F10', value.subarray(11));
  } else if (template?.tag === '77') {
    for (const entry of template.children ?? []) tx.setFromCard(entry.tag, entry.value);
  } else {
    throw new CardProtocolError('GENERATE AC answered neither format');
  }
  const cid = tx.get('9F27')?.[0];
  if (cid === undefined || !tx.get('9F26')) throw new CardProtocolError('GENERATE AC gave no cryptogram');
  const got = acTypeOf(cid);
  // A card may answer with a lower cryptogram than asked (AAC < ARQC < TC), never a higher one.
  const rank = { AAC: 0, ARQC: 1, TC: 2 } as const;
  if (rank[got] > rank[requested]) throw new CardProtocolError(`card answered ${got} to a request for ${requested}`);
  return got;
}

/**
 * Issuer authentication by EXTERNAL AUTHENTICATE, when the AIP says the card does it that way. Only
 * here does the terminal perform issuer authentication (TSI); tag 91 handed to the card inside the
 * CDOL2 data is checked by the card alone, so the TSI bit stays clear then.
 */
export async function externalAuthenticate(tx: TransactionData, issuerData: Buffer): Promise<void> {
  tx.setTsi(TSI.issuerAuthenticationPerformed);
  const { sw } = await tx.exchange({ cla: 0x00, ins: 0x82, p1: 0x00, p2: 0x00, data: issuerData });
  if (sw !== SW.ok) tx.set(TVR.issuerAuthenticationFailed);
}

/**
 * Runs the scripts of one template kind; each script's commands (86) in order, stopping at the first
 * error. The 72 scripts come after the second GENERATE AC, when the card's decision is already made:
 * a card pulled out, gone mute or cancelled there fails that script (and leaves the rest not
 * performed) instead of the transaction.
 */
export async function runScripts(tx: TransactionData, templates: readonly Buffer[], kind: '71' | '72'): Promise<ScriptResult[]> {
  const results: ScriptResult[] = [];
  let cardGone = false;
  for (const raw of templates) {
    let template: Tlv | undefined;
    try {
      [template] = parseTlv(raw);
    } catch {
      template = undefined;
    }
    const scriptId = (template?.tag === kind ? findTlv(template.children ?? [], '9F18')?.value : undefined) ?? Buffer.alloc(4);
    if (template?.tag !== kind || cardGone) {
      results.push({ template: kind, result: 'not_performed', failedCommand: 0, scriptId: Buffer.from(scriptId) });
      continue;
    }
    tx.setTsi(TSI.scriptProcessingPerformed);
    const commands = (template.children ?? []).filter((entry) => entry.tag === '86');
    let failed = 0;
    for (const [index, command] of commands.entries()) {
      const bytes = command.value;
      if (bytes.length < 4) {
        failed = index + 1;
        break;
      }
      const lc = bytes.length > 4 ? bytes[4]! : 0;
      let sw: number;
      try {
        ({ sw } = await tx.exchange({ cla: bytes[0]!, ins: bytes[1]!, p1: bytes[2]!, p2: bytes[3]!, data: bytes.subarray(5, 5 + lc) }));
      } catch (error) {
        if (kind === '71' || !cardFailureAfterFinalAc(error, tx.signal)) throw error;
        cardGone = true;
        failed = index + 1;
        break;
      }
      // 62xx and 63xx are warnings: the script goes on (Book 3 §10.10).
      if (sw !== SW.ok && sw >> 8 !== 0x62 && sw >> 8 !== 0x63) {
        failed = index + 1;
        break;
      }
    }
    if (failed > 0) tx.set(kind === '71' ? TVR.scriptFailedBeforeFinalAc : TVR.scriptFailedAfterFinalAc);
    results.push({ template: kind, result: failed > 0 ? 'failed' : 'successful', failedCommand: failed, scriptId: Buffer.from(scriptId) });
  }
  return results;
}

/** After the second GENERATE AC: the card left, stopped answering, answered garbage, or the cashier cancelled. */
function cardFailureAfterFinalAc(error: unknown, signal: AbortSignal): boolean {
  return error instanceof CardRemovedError || error instanceof CardMuteError || error instanceof ApduFormatError || signal.aborted;
}

/** DF31 as the next message carries it: per script, result (high nibble 1 failed / 2 successful, low nibble the failed command) + id. */
export function encodeScriptResults(results: readonly ScriptResult[]): Buffer {
  return Buffer.concat(
    results.map((result) => {
      const high = result.result === 'successful' ? 0x20 : result.result === 'failed' ? 0x10 : 0x00;
      return Buffer.concat([Buffer.from([high | Math.min(result.failedCommand, 15)]), result.scriptId]);
    }),
  );
}
