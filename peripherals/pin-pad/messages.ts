/**
 * PIN pad application messages: a two-letter command code, then fields separated by FS (0x1C),
 * all ASCII. Binary values (PIN block, KSN) travel as upper-case hex.
 *
 *   host → pad   D1 line…            show text
 *                B1                  beep
 *                P0 PAN|amountMinor|currency|timeoutSeconds[|attempt]   request PIN (attempt 2+ after a wrong PIN)
 *                C0                  cancel the PIN request
 *                K0                  read key status
 *   pad → host   P1 status|pinBlockHex|ksnHex                 status 00 entered, 01 cancelled, 02 timeout;
 *                                    block and KSN are 8 + 10 bytes (format 0, TDES DUKPT) or 16 + 12 (format 4, AES DUKPT)
 *                K1 ksnHex|keyType   keyType TDES-DUKPT or AES-DUKPT
 */
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
  | { readonly type: 'cancel' }
  | { readonly type: 'keyStatus' };

export type PinEntryStatus = 'entered' | 'cancelled' | 'timeout';

export type PinPadResponse =
  | { readonly type: 'pinResult'; readonly status: PinEntryStatus; readonly pinBlockHex: string; readonly ksnHex: string }
  | { readonly type: 'keyStatus'; readonly ksnHex: string; readonly keyType: string };

const STATUS_CODES: Record<PinEntryStatus, string> = { entered: '00', cancelled: '01', timeout: '02' };

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
    case 'cancel':
      return fields('C0');
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
    case 'C0':
      return { type: 'cancel' };
    case 'K0':
      return { type: 'keyStatus' };
    default:
      throw new PinPadMessageError(`unknown PIN pad command ${JSON.stringify(code)}`);
  }
}

export function encodeResponse(response: PinPadResponse): Uint8Array {
  return response.type === 'pinResult'
    ? fields('P1', [STATUS_CODES[response.status], response.pinBlockHex, response.ksnHex])
    : fields('K1', [response.ksnHex, response.keyType]);
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
  if (code === 'K1') {
    const [ksnHex = '', keyType = ''] = values;
    return { type: 'keyStatus', ksnHex, keyType };
  }
  throw new PinPadMessageError(`unknown PIN pad response ${JSON.stringify(code)}`);
}
