/**
 * PIN pad application messages: a two-letter command code, then fields separated by FS (0x1C),
 * all ASCII. Binary values (PIN block, KSN, ciphertext) travel as upper-case hex.
 *
 *   host → pad   D1 line…            show text
 *                B1                  beep
 *                P0 PAN|amountMinor|currency|timeoutSeconds[|attempt]   request PIN (attempt 2+ after a wrong PIN)
 *                P2 amountMinor|currency|timeoutSeconds[|attempt]       request PIN for the card the pad's own head read
 *                C0                  cancel the PIN request
 *                E0                  end of the card: the pad forgets the card its head read
 *                K0                  read key status
 *   pad → host   P1 status|pinBlockHex|ksnHex                 status 00 entered, 01 cancelled, 02 timeout, 03 no card
 *                                    (P2 with no card read); block and KSN are 8 + 10 bytes (format 0, TDES DUKPT)
 *                                    or 16 + 12 (format 4, AES DUKPT)
 *                R1 00|maskedPan|bin|expiry|serviceCode|keyType|ksnHex|ciphertextHex   a swipe on the pad's head,
 *                                    its tracks encrypted under the DUKPT data key (sent unasked, one per swipe)
 *                R1 03|reason        a swipe the head could not read
 *                K1 ksnHex|keyType[|dataKsnHex]   keyType TDES-DUKPT or AES-DUKPT; the data key's KSN when the pad has a head
 */
import type { CardDataKeyType, EncryptedCardRead } from '../../common/card/encrypted-card-read.ts';
import { isMaskedPan } from '../../common/card/encrypted-card-read.ts';
import type { BadReadReason } from '../../common/card/tracks.ts';

const FS = '\x1c';

export type PinPadRequest =
  | { readonly type: 'display'; readonly lines: readonly string[] }
  | { readonly type: 'beep' }
  | {
      readonly type: 'requestPin';
      readonly pan: string;
      readonly amountMinor: number;
      readonly currency: string;
      readonly timeoutSeconds: number;
      /** 1 for the first PIN of a payment; 2 and up when the host refused the previous one as wrong. */
      readonly attempt: number;
    }
  | {
      readonly type: 'requestPinForReadCard';
      readonly amountMinor: number;
      readonly currency: string;
      readonly timeoutSeconds: number;
      readonly attempt: number;
    }
  | { readonly type: 'cancel' }
  | { readonly type: 'endCard' }
  | { readonly type: 'keyStatus' };

export type PinEntryStatus = 'entered' | 'cancelled' | 'timeout' | 'no_card';

/** Why the head could not read a swipe: the reasons a plain reader gives too (tracks.ts). */
export type HeadBadRead = BadReadReason;

export type PinPadResponse =
  | { readonly type: 'pinResult'; readonly status: PinEntryStatus; readonly pinBlockHex: string; readonly ksnHex: string }
  | { readonly type: 'cardRead'; readonly read: EncryptedCardRead }
  | { readonly type: 'badRead'; readonly reason: HeadBadRead }
  | { readonly type: 'keyStatus'; readonly ksnHex: string; readonly keyType: string; readonly dataKsnHex?: string };

const STATUS_CODES: Record<PinEntryStatus, string> = { entered: '00', cancelled: '01', timeout: '02', no_card: '03' };
const READ_OK = '00';
const READ_BAD = '03';
const BAD_READ_REASONS: readonly HeadBadRead[] = ['no_data', 'track2_unreadable', 'track1_unreadable', 'lrc_mismatch', 'tracks_disagree'];

/** The key type names the pad uses on the wire (as in K1), by the data key they name. */
const KEY_TYPE_NAMES: Record<CardDataKeyType, string> = { 'tdes-dukpt': 'TDES-DUKPT', 'aes-dukpt': 'AES-DUKPT' };
/** A data key's KSN and cipher block, in hex digits: a ciphertext of one key type with the other's KSN is nothing. */
const CARD_DATA_SHAPES: Record<CardDataKeyType, { readonly ksnDigits: number; readonly blockDigits: number }> = {
  'tdes-dukpt': { ksnDigits: 20, blockDigits: 16 },
  'aes-dukpt': { ksnDigits: 24, blockDigits: 32 },
};
/** 128 bytes: the most any two tracks take encrypted (payments/sred/track-plaintext.ts). */
const MAX_CIPHERTEXT_DIGITS = 256;

/** A block and KSN that belong together: a TDES block with an AES KSN is no PIN at all. */
const ENCRYPTED_PIN_SHAPES = [
  { pinBlock: /^[0-9A-F]{16}$/, ksn: /^[0-9A-F]{20}$/ }, // ISO 9564 format 0 under ANSI X9.24-1 TDES DUKPT
  { pinBlock: /^[0-9A-F]{32}$/, ksn: /^[0-9A-F]{24}$/ }, // ISO 9564 format 4 under ANSI X9.24-3 AES DUKPT
] as const;

export class PinPadMessageError extends Error {
  override readonly name = 'PinPadMessageError';
}

const encoder = new TextEncoder();
const decoder = new TextDecoder('latin1');

function fields(code: string, values: readonly (string | number)[] = []): Uint8Array {
  return encoder.encode([code + (values[0] ?? ''), ...values.slice(1)].join(FS));
}

export function encodeRequest(request: PinPadRequest): Uint8Array {
  switch (request.type) {
    case 'display':
      return fields('D1', request.lines);
    case 'beep':
      return fields('B1');
    case 'requestPin':
      // The attempt field is left out for a first attempt, so a pad that predates it reads the same P0.
      return fields('P0', [request.pan, request.amountMinor, request.currency, request.timeoutSeconds, ...(request.attempt > 1 ? [request.attempt] : [])]);
    case 'requestPinForReadCard':
      return fields('P2', [request.amountMinor, request.currency, request.timeoutSeconds, ...(request.attempt > 1 ? [request.attempt] : [])]);
    case 'cancel':
      return fields('C0');
    case 'endCard':
      return fields('E0');
    case 'keyStatus':
      return fields('K0');
  }
}

function split(payload: Uint8Array): { code: string; values: string[] } {
  const text = decoder.decode(payload);
  if (text.length < 2) throw new PinPadMessageError('PIN pad message shorter than its command code');
  return { code: text.slice(0, 2), values: text.slice(2).split(FS) };
}

export function decodeRequest(payload: Uint8Array): PinPadRequest {
  const { code, values } = split(payload);
  switch (code) {
    case 'D1':
      return { type: 'display', lines: values };
    case 'B1':
      return { type: 'beep' };
    case 'P0': {
      const [pan = '', amount = '', currency = '', timeout = '', attempt = '1'] = values;
      if (!/^\d{12,19}$/.test(pan) || !/^\d{1,12}$/.test(amount) || !/^[A-Z]{3}$/.test(currency) || !/^\d{1,3}$/.test(timeout) || !/^[1-9]$/.test(attempt)) {
        throw new PinPadMessageError('malformed PIN request');
      }
      return { type: 'requestPin', pan, amountMinor: Number(amount), currency, timeoutSeconds: Number(timeout), attempt: Number(attempt) };
    }
    case 'P2': {
      const [amount = '', currency = '', timeout = '', attempt = '1'] = values;
      if (!/^\d{1,12}$/.test(amount) || !/^[A-Z]{3}$/.test(currency) || !/^\d{1,3}$/.test(timeout) || !/^[1-9]$/.test(attempt)) {
        throw new PinPadMessageError('malformed PIN request for the card read');
      }
      return { type: 'requestPinForReadCard', amountMinor: Number(amount), currency, timeoutSeconds: Number(timeout), attempt: Number(attempt) };
    }
    case 'C0':
      return { type: 'cancel' };
    case 'E0':
      return { type: 'endCard' };
    case 'K0':
      return { type: 'keyStatus' };
    default:
      throw new PinPadMessageError(`unknown PIN pad command ${JSON.stringify(code)}`);
  }
}

export function encodeResponse(response: PinPadResponse): Uint8Array {
  switch (response.type) {
    case 'pinResult':
      return fields('P1', [STATUS_CODES[response.status], response.pinBlockHex, response.ksnHex]);
    case 'cardRead': {
      const { read } = response;
      return fields('R1', [READ_OK, read.maskedPan, read.bin, read.expiry, read.serviceCode, KEY_TYPE_NAMES[read.encrypted.keyType], hex(read.encrypted.ksn), hex(read.encrypted.ciphertext)]);
    }
    case 'badRead':
      return fields('R1', [READ_BAD, response.reason]);
    case 'keyStatus':
      return fields('K1', [response.ksnHex, response.keyType, ...(response.dataKsnHex === undefined ? [] : [response.dataKsnHex])]);
  }
}

export function decodeResponse(payload: Uint8Array): PinPadResponse {
  const { code, values } = split(payload);
  if (code === 'P1') {
    const [statusCode = '', pinBlockHex = '', ksnHex = ''] = values;
    const status = (Object.keys(STATUS_CODES) as PinEntryStatus[]).find((key) => STATUS_CODES[key] === statusCode);
    if (!status) throw new PinPadMessageError(`unknown PIN entry status ${JSON.stringify(statusCode)}`);
    if (status === 'entered' && !ENCRYPTED_PIN_SHAPES.some((shape) => shape.pinBlock.test(pinBlockHex) && shape.ksn.test(ksnHex))) {
      throw new PinPadMessageError('PIN result carries a malformed PIN block or KSN');
    }
    return { type: 'pinResult', status, pinBlockHex, ksnHex };
  }
  if (code === 'R1') return decodeCardRead(values);
  if (code === 'K1') {
    const [ksnHex = '', keyType = '', dataKsnHex] = values;
    return { type: 'keyStatus', ksnHex, keyType, ...(dataKsnHex ? { dataKsnHex } : {}) };
  }
  throw new PinPadMessageError(`unknown PIN pad response ${JSON.stringify(code)}`);
}

/**
 * A head's read, checked field by field: only the shape encrypting readers use gets through (masked
 * PAN, BIN, expiry, service code, and a ciphertext and KSN of one key type), so nothing else a pad
 * might send, a clear PAN or track above all, can reach the station as a card.
 */
function decodeCardRead(values: readonly string[]): PinPadResponse {
  const [status = '', ...rest] = values;
  if (status === READ_BAD) {
    const reason = BAD_READ_REASONS.find((candidate) => candidate === rest[0]);
    if (!reason || rest.length !== 1) throw new PinPadMessageError('bad read with an unknown reason');
    return { type: 'badRead', reason };
  }
  if (status !== READ_OK || rest.length !== 7) throw new PinPadMessageError(`unknown card read status ${JSON.stringify(status)}`);
  const [maskedPan = '', bin = '', expiry = '', serviceCode = '', keyTypeName = '', ksnHex = '', ciphertextHex = ''] = rest;
  const keyType = (Object.keys(KEY_TYPE_NAMES) as CardDataKeyType[]).find((type) => KEY_TYPE_NAMES[type] === keyTypeName);
  const shape = keyType === undefined ? undefined : CARD_DATA_SHAPES[keyType];
  const wellFormed =
    isMaskedPan(maskedPan) &&
    /^\d{6}(\d{2})?$/.test(bin) &&
    bin.startsWith(maskedPan.slice(0, 6)) &&
    /^\d{4}$/.test(expiry) &&
    /^\d{3}$/.test(serviceCode) &&
    shape !== undefined &&
    new RegExp(`^[0-9A-F]{${shape.ksnDigits}}$`).test(ksnHex) &&
    /^[0-9A-F]+$/.test(ciphertextHex) &&
    ciphertextHex.length % shape.blockDigits === 0 &&
    ciphertextHex.length <= MAX_CIPHERTEXT_DIGITS;
  if (!wellFormed || keyType === undefined) throw new PinPadMessageError('card read is not a masked, encrypted read');
  return {
    type: 'cardRead',
    read: { maskedPan, bin, expiry, serviceCode, encrypted: { keyType, ksn: Buffer.from(ksnHex, 'hex'), ciphertext: Buffer.from(ciphertextHex, 'hex') } },
  };
}

function hex(bytes: Uint8Array): string {
  return Buffer.from(bytes).toString('hex').toUpperCase();
}
