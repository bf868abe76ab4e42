/**
 * Signatures of the wallet API, both directions (docs/wallet-api.md). Modelled on WeChat Pay API v3:
 *
 *   a request   METHOD \n PATH?QUERY \n TIMESTAMP \n NONCE \n BODY \n      Authorization header
 *   a response  TIMESTAMP \n NONCE \n BODY \n                               Wallet-* headers
 *   a payment notification to the merchant: signed like a response (the platform cannot know how
 *   the merchant's network rewrites the notify URL's path, so the path is left out)
 *
 * Two algorithms: HMAC-SHA256 with a secret key per merchant (or per wallet user, for the app API),
 * and RSA-SHA256 (PKCS #1 v1.5, 2048-bit keys): the merchant signs with its private key and the
 * platform with its own, each side verifying with the other's public key. Signatures are base64.
 */
import { createHmac, createPrivateKey, createPublicKey, createSecretKey, randomBytes, sign as rsaSign, timingSafeEqual, verify as rsaVerify, type KeyObject } from 'node:crypto';

export type SignatureAlgorithm = 'HMAC-SHA256' | 'RSA-SHA256';

/** A shared secret signs and verifies alike. */
export interface HmacKey {
  readonly algorithm: 'HMAC-SHA256';
  readonly secret: KeyObject;
}
export type SigningKey = HmacKey | { readonly algorithm: 'RSA-SHA256'; readonly privateKey: KeyObject };
export type VerifyingKey = HmacKey | { readonly algorithm: 'RSA-SHA256'; readonly publicKey: KeyObject };

/** Who signs a request: a merchant (merchant API) or a wallet user (the wallet app's API). */
export type Realm = 'merchant' | 'app';

const SCHEMES: Readonly<Record<Realm, Readonly<Record<SignatureAlgorithm, string>>>> = {
  merchant: { 'HMAC-SHA256': 'WALLET-HMAC-SHA256', 'RSA-SHA256': 'WALLET-RSA-SHA256' },
  app: { 'HMAC-SHA256': 'WALLET-APP-HMAC-SHA256', 'RSA-SHA256': 'WALLET-APP-RSA-SHA256' },
};
/** The parameter of the Authorization header that names the signer. */
export const PRINCIPAL_PARAMETER: Readonly<Record<Realm, string>> = { merchant: 'mchid', app: 'user' };

/** The headers of a signed response or notification. */
export const MESSAGE_HEADERS = {
  timestamp: 'wallet-timestamp',
  nonce: 'wallet-nonce',
  signature: 'wallet-signature',
  algorithm: 'wallet-signature-type',
  merchant: 'wallet-mchid',
} as const;

export function hmacKey(hex: string): HmacKey {
  if (!/^([0-9a-fA-F]{2}){32,}$/.test(hex)) throw new RangeError('an HMAC-SHA256 key must be at least 32 bytes, in hexadecimal');
  return { algorithm: 'HMAC-SHA256', secret: createSecretKey(Buffer.from(hex, 'hex')) };
}

export function rsaSigningKey(pem: string): SigningKey {
  return { algorithm: 'RSA-SHA256', privateKey: createPrivateKey(pem) };
}

export function rsaVerifyingKey(pem: string): VerifyingKey {
  return { algorithm: 'RSA-SHA256', publicKey: createPublicKey(pem) };
}

export function requestCanonical(method: string, pathWithQuery: string, timestamp: string, nonce: string, body: string): string {
  return `${method}\n${pathWithQuery}\n${timestamp}\n${nonce}\n${body}\n`;
}

export function messageCanonical(timestamp: string, nonce: string, body: string): string {
  return `${timestamp}\n${nonce}\n${body}\n`;
}

export function signCanonical(key: SigningKey, canonical: string): string {
  if (key.algorithm === 'HMAC-SHA256') return createHmac('sha256', key.secret).update(canonical).digest('base64');
  return rsaSign('sha256', Buffer.from(canonical), key.privateKey).toString('base64');
}

export function verifyCanonical(key: VerifyingKey, canonical: string, signature: string): boolean {
  if (!/^[A-Za-z0-9+/]+={0,2}$/.test(signature)) return false;
  const given = Buffer.from(signature, 'base64');
  if (key.algorithm === 'HMAC-SHA256') {
    const expected = createHmac('sha256', key.secret).update(canonical).digest();
    return given.length === expected.length && timingSafeEqual(given, expected);
  }
  return rsaVerify('sha256', Buffer.from(canonical), key.publicKey, given);
}

/** 32 hexadecimal characters from a CSPRNG. */
export function newNonce(): string {
  return randomBytes(16).toString('hex');
}

/** Unix time in seconds, as the headers carry it. */
export function unixSeconds(at: Date): string {
  return String(Math.floor(at.getTime() / 1000));
}

export interface Authorization {
  readonly realm: Realm;
  readonly algorithm: SignatureAlgorithm;
  readonly principal: string;
  readonly nonce: string;
  readonly timestamp: string;
  readonly signature: string;
}

export function formatAuthorization(auth: Authorization): string {
  return `${SCHEMES[auth.realm][auth.algorithm]} ${PRINCIPAL_PARAMETER[auth.realm]}="${auth.principal}",nonce="${auth.nonce}",timestamp="${auth.timestamp}",signature="${auth.signature}"`;
}

/** The parsed header, or why it does not parse (for the SIGN_ERROR message). */
export function parseAuthorization(header: string | undefined): Authorization | string {
  if (header === undefined || header === '') return 'no Authorization header';
  const space = header.indexOf(' ');
  const scheme = space < 0 ? header : header.slice(0, space);
  let found: { realm: Realm; algorithm: SignatureAlgorithm } | undefined;
  for (const realm of ['merchant', 'app'] as const) {
    for (const algorithm of ['HMAC-SHA256', 'RSA-SHA256'] as const) if (SCHEMES[realm][algorithm] === scheme) found = { realm, algorithm };
  }
  if (found === undefined) return `unknown Authorization scheme "${scheme.slice(0, 40)}"`;
  const params = new Map<string, string>();
  for (const part of header.slice(space + 1).split(',')) {
    const match = /^\s*([a-z_]+)="([^"]*)"\s*$/.exec(part);
    if (match === null) return 'the Authorization parameters must be name="value" pairs separated by commas';
    params.set(match[1]!, match[2]!);
  }
  const principal = params.get(PRINCIPAL_PARAMETER[found.realm]);
  const nonce = params.get('nonce');
  const timestamp = params.get('timestamp');
  const signature = params.get('signature');
  if (principal === undefined || nonce === undefined || timestamp === undefined || signature === undefined) {
    return `the Authorization header needs ${PRINCIPAL_PARAMETER[found.realm]}, nonce, timestamp and signature`;
  }
  return { ...found, principal, nonce, timestamp, signature };
}

export type FreshnessProblem = 'bad_nonce' | 'bad_timestamp' | 'stale';

/** Nonces are 16–64 letters and digits; timestamps whole seconds within `windowSeconds` of now, either side. */
export function checkFreshness(nonce: string, timestamp: string, now: Date, windowSeconds: number): FreshnessProblem | undefined {
  if (!/^[A-Za-z0-9]{16,64}$/.test(nonce)) return 'bad_nonce';
  if (!/^\d{1,12}$/.test(timestamp)) return 'bad_timestamp';
  return Math.abs(Number(timestamp) - now.getTime() / 1000) > windowSeconds ? 'stale' : undefined;
}
