/**
 * The issuer's side of a chip authorization (EMV Book 2 §8, the schemes' CVN specifications):
 *
 *   binding       the cryptogram's transaction data is the request's: 9F02 = DE4, 5F2A = DE49, 9C =
 *                 DE3, 9F03 = 0, 9F1A = the terminal's country (transaction-binding.ts), else 82
 *   version       9F10 names the cryptogram version the card was personalised with, else 82
 *   card key      the issuer master key of the card's BIN (config `chip.issuerMasterKeys`), then the
 *                 card's own key by EMV option A or B as its version says (PAN, PAN sequence number
 *                 from DE23), kept derived (LRU)
 *   ARQC          recomputed by the cryptogram version 9F10 announces (its session key, derived once
 *                 per request and kept for the ARPC; its data; its padding) over the DE55 data, and
 *                 compared in constant time: a mismatch is 82
 *   ATC           above the last one seen for the card, or the request is a replay (05, risk signal);
 *                 a jump of more than ATC_JUMP_SIGNAL is let through but named in the risk log
 *   iCVV          the track 2 equivalent data (DE35) carries the CVV computed with service code 999
 *   ARPC          tag 91 for every request whose ARQC verified: method 1 (ARPC ‖ ARC = DE39 in ASCII)
 *                 or method 2 (ARPC ‖ CSU; CSU byte 2 bit 8 set when approved), as the version says
 *   scripts       for the deck cards designated for it, a PUT DATA (71, before the second GENERATE
 *                 AC) or an APPLICATION BLOCK (72, after), MACed under the card's MK-SMI
 */
import type { TestDeckCard } from '../../../common/test-deck.ts';
import { cryptogramVersionOf, macedScriptCommand, sameBytes, type AcData, type ArpcInput, type CryptogramVersion } from '../../../payments/emv/crypto/cryptogram-versions.ts';
import { buildTlv, encodeTlv } from '../../../payments/emv/tlv.ts';
import { LruCache } from '../../../payments/crypto/lru-cache.ts';
import type { AtcRegister } from './atc-register.ts';
import type { ChipConfig } from './chip-config.ts';
import { missingCvm } from './cvm-policy.ts';
import { bindingProblem, type AuthorisedTransaction } from './transaction-binding.ts';

export interface ChipRequestData {
  /** DE55, by tag. */
  readonly tags: ReadonlyMap<string, Buffer>;
  /** DE23 as two digits, '00' when absent. */
  readonly panSequenceNumber: string;
}

export type ChipVerification =
  | {
      readonly ok: true;
      readonly version: CryptogramVersion;
      readonly arqc: Buffer;
      readonly data: AcData;
      readonly mkAc: Buffer;
      /** The transaction's session key, derived once for the ARQC and kept for the ARPC. */
      readonly sessionKey: Buffer;
      readonly atc: number;
      /** Findings worth a reviewer's eye that do not decline (a large ATC jump). */
      readonly signals: readonly string[];
    }
  | { readonly ok: false; readonly responseCode: '82' | '05' | '30'; readonly reason: string };

export interface ChipIssuer {
  /** Checks that the ARQC covers this request's transaction, then the ARQC and the ATC. */
  verify(card: TestDeckCard, request: ChipRequestData, transaction: AuthorisedTransaction): ChipVerification;
  /** The DE55 of the answer: tag 91, and the card's issuer scripts when approved. */
  responseData(card: TestDeckCard, verified: Extract<ChipVerification, { ok: true }>, responseCode: string, panSequenceNumber: string): Buffer;
  /** What the issuer's CVM policy finds missing (cvm-policy.ts): undefined when the request is verified enough. */
  missingCvm(entryMode: 'chip' | 'contactless', amountMinor: number, pinPresent: boolean): string | undefined;
  /** Records the ATC once the request's answer is decided. */
  recordAtc(cardId: string, atc: number): void;
}

const REQUIRED = ['9F26', '9F10', '9F36', '9F37', '9F02', '9F03', '9F1A', '95', '5F2A', '9A', '9C', '82'] as const;

/** An ATC this far above the last one seen: many transactions the issuer never saw (a card used elsewhere, or a counter run up). */
export const ATC_JUMP_SIGNAL = 100;

/** Card keys kept derived: a card's key never changes, and option A is two TDES operations per request. */
const CARD_KEY_CACHE_SIZE = 16_384;

export function createChipIssuer(config: ChipConfig, atcs: AtcRegister): ChipIssuer {
  const keysFor = (pan: string) =>
    config.issuerMasterKeys.filter((entry) => pan.startsWith(entry.binPrefix)).sort((a, b) => b.binPrefix.length - a.binPrefix.length)[0];
  const cardKeys = new LruCache<string, Buffer>(CARD_KEY_CACHE_SIZE);
  const cardKey = (version: CryptogramVersion, keys: ChipConfig['issuerMasterKeys'][number], purpose: 'ac' | 'smi', pan: string, panSequenceNumber: string): Buffer => {
    // Named by BIN range, purpose and version (its derivation option), so no key material is copied into the cache's keys.
    const id = `${keys.binPrefix}:${purpose}:${version.id}:${pan}:${panSequenceNumber}`;
    let key = cardKeys.get(id);
    if (key === undefined) {
      key = version.iccMasterKey(Buffer.from(keys[purpose], 'hex'), pan, panSequenceNumber);
      cardKeys.set(id, key);
    }
    return key;
  };

  return {
    verify(card, request, transaction) {
      const missing = REQUIRED.filter((tag) => !request.tags.has(tag));
      if (missing.length > 0) return { ok: false, responseCode: '30', reason: `chip: DE55 lacks ${missing.join(', ')}` };
      const unbound = bindingProblem(request.tags, transaction);
      if (unbound) return { ok: false, responseCode: '82', reason: unbound };
      const tag = (name: string) => request.tags.get(name)!;
      const iad = tag('9F10');
      const version = cryptogramVersionOf(iad);
      if (!version) return { ok: false, responseCode: '82', reason: 'chip: 9F10 names no cryptogram version this issuer knows' };
      // The issuer personalised the card with one version; a 9F10 announcing another is not its card's.
      if (card.chip && version.id !== card.chip.cryptogramVersion) return { ok: false, responseCode: '82', reason: `chip: 9F10 announces ${version.id}, the card was personalised with ${card.chip.cryptogramVersion}` };
      const keys = keysFor(card.pan);
      if (!keys) return { ok: false, responseCode: '82', reason: 'chip: no issuer master key for the card BIN' };
      const mkAc = cardKey(version, keys, 'ac', card.pan, request.panSequenceNumber);
      const data: AcData = {
        amount: tag('9F02'),
        amountOther: tag('9F03'),
        terminalCountry: tag('9F1A'),
        tvr: tag('95'),
        currency: tag('5F2A'),
        date: tag('9A'),
        type: tag('9C'),
        unpredictableNumber: tag('9F37'),
        aip: tag('82'),
        atc: tag('9F36'),
        iad,
      };
      const arqc = tag('9F26');
      const sessionKey = version.sessionKey(mkAc, data);
      if (!sameBytes(version.cryptogramUnder(sessionKey, data), arqc)) return { ok: false, responseCode: '82', reason: `arqc: the ${version.id} cryptogram does not verify` };
      const atc = data.atc.readUInt16BE(0);
      const last = atcs.lastSeen(card.id);
      if (last !== undefined && atc <= last) return { ok: false, responseCode: '05', reason: `atc-replay: ATC ${atc} is not above the last seen ${last}` };
      const signals = last !== undefined && atc - last > ATC_JUMP_SIGNAL ? [`atc-jump: ATC ${atc} is ${atc - last} above the last seen ${last}`] : [];
      return { ok: true, version, arqc, data, mkAc, sessionKey, atc, signals };
    },

    responseData(card, verified, responseCode, panSequenceNumber) {
      const { version, arqc, data, mkAc, sessionKey } = verified;
      const approved = responseCode === '00';
      const input: ArpcInput = version.arpcMethod === 1 ? { method: 1, arc: Buffer.from(responseCode, 'ascii') } : { method: 2, csu: Buffer.from(approved ? '00800000' : '00000000', 'hex') };
      const issuerData = version.arpcUnder(mkAc, sessionKey, arqc, input);
      const parts = [encodeTlv('91', issuerData)];
      const script = card.chip?.issuerScript;
      const keys = keysFor(card.pan);
      if (approved && script && keys) {
        const mkSmi = cardKey(version, keys, 'smi', card.pan, panSequenceNumber);
        const command =
          script === 'put-data'
            ? macedScriptCommand(version, mkSmi, Buffer.from('04DA9F58', 'hex'), Buffer.from([0x03]), data.atc, arqc)
            : macedScriptCommand(version, mkSmi, Buffer.from('841E0000', 'hex'), Buffer.alloc(0), data.atc, arqc);
        const template = script === 'put-data' ? '71' : '72';
        parts.push(encodeTlv(template, buildTlv([['9F18', Buffer.from(script === 'put-data' ? '00000001' : '00000002', 'hex')], ['86', command]])));
      }
      return Buffer.concat(parts);
    },

    missingCvm: (entryMode, amountMinor, pinPresent) => missingCvm(entryMode, amountMinor, pinPresent, config),
    recordAtc: (cardId, atc) => atcs.record(cardId, atc),
  };
}
