/**
 * How a station and the head office know each other: a per-station secret (32 random bytes the
 * head office issues at enrolment) and HMAC-SHA256 signatures over each request and each answer.
 *
 * The request signature covers the method, the path with its query, the station, the key id, the
 * time and a SHA-256 of the body, so nothing of it can be changed or moved to another station. The
 * answer's signature covers the request's signature, the status and the body's hash, so a forged or
 * replayed acknowledgement (which would make a station drop events it still owes) is refused. The
 * time bounds replays of a request; a replayed upload is harmless anyway, because uploads are
 * idempotent by event id. Transport confidentiality is TLS's job (the head office serves HTTPS, or
 * sits behind a TLS proxy).
 */
import { createHash, createHmac, timingSafeEqual } from 'node:crypto';

export const SIGNATURE_HEADERS = {
  station: 'x-pos-station',
  keyId: 'x-pos-key-id',
  time: 'x-pos-time',
  signature: 'x-pos-signature',
} as const;

/** How far a request's time may be from the head office's clock: station clocks drift. */
export const MAX_CLOCK_SKEW_MS = 15 * 60_000;

export interface StationCredential {
  readonly stationId: string;
  readonly keyId: string;
  /** base64url of 32 random bytes. */
  readonly secret: string;
}

export interface RequestToSign {
  readonly method: string;
  /** Path and query, exactly as sent: "/v1/price-list?after=3". */
  readonly target: string;
  readonly body: Uint8Array | string;
}

/** A request as the head office checks it: the body's SHA-256 (hex), taken as the body streamed in. */
export interface RequestDigest {
  readonly method: string;
  readonly target: string;
  readonly bodySha256: string;
}

const bodyHash = (body: Uint8Array | string) => createHash('sha256').update(body).digest('hex');

export function requestDigest(request: RequestToSign): RequestDigest {
  return { method: request.method, target: request.target, bodySha256: bodyHash(request.body) };
}
const mac = (secret: string, text: string) => createHmac('sha256', Buffer.from(secret, 'base64url')).update(text).digest('base64url');

function sameMac(expected: string, given: string): boolean {
  const a = Buffer.from(expected);
  const b = Buffer.from(given);
  return a.length === b.length && timingSafeEqual(a, b);
}

function requestText(request: RequestDigest, stationId: string, keyId: string, time: string): string {
  return ['POS-HQ-1 request', request.method.toUpperCase(), request.target, stationId, keyId, time, request.bodySha256].join('\n');
}

/** The headers that authenticate a request from this station. */
export function signRequest(credential: StationCredential, request: RequestToSign, now: number = Date.now()): Record<string, string> {
  const time = String(now);
  return {
    [SIGNATURE_HEADERS.station]: credential.stationId,
    [SIGNATURE_HEADERS.keyId]: credential.keyId,
    [SIGNATURE_HEADERS.time]: time,
    [SIGNATURE_HEADERS.signature]: mac(credential.secret, requestText(requestDigest(request), credential.stationId, credential.keyId, time)),
  };
}

export type SignedHeaders = Readonly<Record<string, string | string[] | undefined>>;

export interface ClaimedStation {
  readonly stationId: string;
  readonly keyId: string;
  readonly time: number;
  readonly signature: string;
}

/** Who the request says it is from, before any check; undefined when a header is missing. */
export function claimedStation(headers: SignedHeaders): ClaimedStation | undefined {
  const header = (name: string) => {
    const value = headers[name];
    return typeof value === 'string' && value.length > 0 && value.length <= 256 ? value : undefined;
  };
  const stationId = header(SIGNATURE_HEADERS.station);
  const keyId = header(SIGNATURE_HEADERS.keyId);
  const time = header(SIGNATURE_HEADERS.time);
  const signature = header(SIGNATURE_HEADERS.signature);
  if (!stationId || !keyId || !time || !signature || !/^\d{1,15}$/.test(time)) return undefined;
  return { stationId, keyId, time: Number(time), signature };
}

export type VerifyFailure = 'bad_signature' | 'clock_skew';

/** The claimed time is too far from this clock: refused before anything else is looked at. */
export function clockSkewed(claim: ClaimedStation, now: number = Date.now()): boolean {
  return Math.abs(now - claim.time) > MAX_CLOCK_SKEW_MS;
}

/** Checks a claimed request against the station's secret. */
export function verifyRequest(claim: ClaimedStation, secret: string, request: RequestDigest, now: number = Date.now()): VerifyFailure | undefined {
  const expected = mac(secret, requestText(request, claim.stationId, claim.keyId, String(claim.time)));
  if (!sameMac(expected, claim.signature)) return 'bad_signature';
  if (clockSkewed(claim, now)) return 'clock_skew';
  return undefined;
}

function replyText(requestSignature: string, status: number, body: Uint8Array | string): string {
  return ['POS-HQ-1 reply', requestSignature, String(status), bodyHash(body)].join('\n');
}

/** The head office's signature on its answer to a signed request. */
export function signReply(secret: string, requestSignature: string, status: number, body: Uint8Array | string): string {
  return mac(secret, replyText(requestSignature, status, body));
}

export function verifyReply(secret: string, requestSignature: string, status: number, body: Uint8Array | string, signature: string | null | undefined): boolean {
  return typeof signature === 'string' && sameMac(mac(secret, replyText(requestSignature, status, body)), signature);
}
