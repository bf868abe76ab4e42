/**
 * ISO/IEC 7816-4 command and response APDUs at the short level EMV uses (case 1–4, Lc and Le one
 * byte each), and the status words the card applications and the kernel speak.
 */

export interface CommandApdu {
  readonly cla: number;
  readonly ins: number;
  readonly p1: number;
  readonly p2: number;
  readonly data: Buffer;
  /** Le: undefined for none; 0 means "up to 256". */
  readonly le?: number;
}

export const SW = {
  ok: 0x9000,
  /** The application is blocked (SELECT of an invalidated file). */
  selectedFileInvalidated: 0x6283,
  /** Issuer authentication failed (EXTERNAL AUTHENTICATE). */
  authenticationFailed: 0x6300,
  wrongLength: 0x6700,
  securityStatusNotSatisfied: 0x6982,
  authenticationMethodBlocked: 0x6983,
  conditionsOfUseNotSatisfied: 0x6985,
  wrongData: 0x6a80,
  functionNotSupported: 0x6a81,
  fileNotFound: 0x6a82,
  recordNotFound: 0x6a83,
  referencedDataNotFound: 0x6a88,
  insNotSupported: 0x6d00,
  claNotSupported: 0x6e00,
} as const;

export function encodeCommand(command: CommandApdu): Buffer {
  const header = Buffer.from([command.cla, command.ins, command.p1, command.p2]);
  const body = command.data.length > 0 ? Buffer.concat([Buffer.from([command.data.length]), command.data]) : Buffer.alloc(0);
  const le = command.le === undefined ? Buffer.alloc(0) : Buffer.from([command.le & 0xff]);
  return Buffer.concat([header, body, le]);
}

export class ApduFormatError extends Error {
  override readonly name = 'ApduFormatError';
}

/** Parses a short command APDU; throws ApduFormatError when its lengths do not add up. */
export function decodeCommand(bytes: Uint8Array): CommandApdu {
  const buf = Buffer.from(bytes);
  if (buf.length < 4) throw new ApduFormatError('a command APDU has at least 4 bytes');
  const [cla, ins, p1, p2] = buf as unknown as [number, number, number, number];
  if (buf.length === 4) return { cla, ins, p1, p2, data: Buffer.alloc(0) };
  if (buf.length === 5) return { cla, ins, p1, p2, data: Buffer.alloc(0), le: buf[4]! };
  const lc = buf[4]!;
  if (buf.length === 5 + lc) return { cla, ins, p1, p2, data: buf.subarray(5, 5 + lc) };
  if (buf.length === 6 + lc) return { cla, ins, p1, p2, data: buf.subarray(5, 5 + lc), le: buf[5 + lc]! };
  throw new ApduFormatError(`Lc ${lc} does not match a ${buf.length}-byte command`);
}

export interface ResponseApdu {
  readonly data: Buffer;
  readonly sw: number;
}

export function encodeResponse(data: Uint8Array, sw: number): Buffer {
  return Buffer.concat([data, Buffer.from([sw >> 8, sw & 0xff])]);
}

export function decodeResponse(bytes: Uint8Array): ResponseApdu {
  if (bytes.length < 2) throw new ApduFormatError('a response APDU has at least the two status bytes');
  const buf = Buffer.from(bytes);
  return { data: buf.subarray(0, buf.length - 2), sw: (buf[buf.length - 2]! << 8) | buf[buf.length - 1]! };
}

export function swText(sw: number): string {
  return sw.toString(16).toUpperCase().padStart(4, '0');
}
