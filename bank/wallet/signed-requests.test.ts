/**
 * The platform's refusals of requests it cannot trust, over raw HTTP: a bad signature, a replayed
 * nonce (across a restart too), a stale timestamp, an unknown signer, the wrong API's key, and
 * malformed requests. Each gets its error code and a message that says what was wrong.
 */
import { request } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { formatAuthorization, hmacKey, MESSAGE_HEADERS, messageCanonical, newNonce, requestCanonical, signCanonical, unixSeconds, verifyCanonical } from '../../payments/wallet/signature.ts';
import { startWalletTestHost, testWallet, type WalletTestHost } from './wallet-test-host.ts';

const MERCHANT_KEY = hmacKey('B78B219AE8BDB32B3C00F4966A66729B75B855B5A1D6FD18C5851664F61400D1');
let host: WalletTestHost;

beforeAll(async () => {
  host = await startWalletTestHost();
});
afterAll(async () => host.close());

interface Raw {
  status: number;
  body: { code?: string; message?: string } | undefined;
  signed: boolean;
}

function send(method: string, path: string, options: { body?: string; headers?: Record<string, string> } = {}): Promise<Raw> {
  return new Promise((resolve, reject) => {
    const body = options.body ?? '';
    const req = request(`${host.baseUrl}${path}`, { method, headers: { 'content-length': String(Buffer.byteLength(body)), ...options.headers } }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => {
        const text = Buffer.concat(chunks).toString();
        const signature = res.headers[MESSAGE_HEADERS.signature] as string | undefined;
        const signed = signature !== undefined && verifyCanonical(MERCHANT_KEY, messageCanonical(res.headers[MESSAGE_HEADERS.timestamp] as string, res.headers[MESSAGE_HEADERS.nonce] as string, text), signature);
        resolve({ status: res.statusCode ?? 0, body: text === '' ? undefined : JSON.parse(text), signed });
      });
    });
    req.on('error', reject);
    req.end(body);
  });
}

/** Headers of a request signed as merchant 1900000001, with what the test wants changed. */
function signedHeaders(method: string, path: string, body: string, change: { nonce?: string; timestamp?: string; signedBody?: string; principal?: string } = {}): Record<string, string> {
  const nonce = change.nonce ?? newNonce();
  const timestamp = change.timestamp ?? unixSeconds(host.now());
  const signature = signCanonical(MERCHANT_KEY, requestCanonical(method, path, timestamp, nonce, change.signedBody ?? body));
  return {
    authorization: formatAuthorization({ realm: 'merchant', algorithm: 'HMAC-SHA256', principal: change.principal ?? '1900000001', nonce, timestamp, signature }),
    'content-type': 'application/json',
  };
}

const QUERY = '/v1/orders/out-trade-no/NOSUCHORDER1';

describe('signed requests', () => {
  it('accepts a correctly signed request and signs its answer', async () => {
    const answer = await send('GET', QUERY, { headers: signedHeaders('GET', QUERY, '') });
    expect(answer).toEqual({ status: 404, body: { code: 'ORDER_NOT_EXIST', message: 'no order NOSUCHORDER1 for merchant 1900000001' }, signed: true });
  });

  it('refuses a signature that does not match the request', async () => {
    const body = JSON.stringify({ out_trade_no: 'ORDER0001', description: 'x', amount: { total: 100, currency: 'CNY' }, notify_url: 'http://127.0.0.1:9/n' });
    const tampered = await send('POST', '/v1/orders/native', { body, headers: signedHeaders('POST', '/v1/orders/native', body, { signedBody: body.replace('100', '1') }) });
    expect(tampered).toMatchObject({ status: 401, body: { code: 'SIGN_ERROR', message: expect.stringMatching(/signature does not match/) }, signed: true });
  });

  it('refuses a replayed nonce, also after the host restarts', async () => {
    const headers = signedHeaders('GET', QUERY, '');
    expect((await send('GET', QUERY, { headers })).body?.code).toBe('ORDER_NOT_EXIST');
    expect(await send('GET', QUERY, { headers })).toMatchObject({ status: 401, body: { code: 'NONCE_REPLAYED' } });
    await host.restart();
    expect(await send('GET', QUERY, { headers })).toMatchObject({ status: 401, body: { code: 'NONCE_REPLAYED' } });
  });

  it('refuses a timestamp more than 300 s from the platform\'s clock, either side', async () => {
    const at = (deltaSeconds: number) => String(Math.floor(host.now().getTime() / 1000) + deltaSeconds);
    expect(await send('GET', QUERY, { headers: signedHeaders('GET', QUERY, '', { timestamp: at(-301) }) })).toMatchObject({ status: 401, body: { code: 'TIMESTAMP_STALE', message: expect.stringMatching(/more than 300 s away/) } });
    expect(await send('GET', QUERY, { headers: signedHeaders('GET', QUERY, '', { timestamp: at(301) }) })).toMatchObject({ status: 401, body: { code: 'TIMESTAMP_STALE' } });
    expect((await send('GET', QUERY, { headers: signedHeaders('GET', QUERY, '', { timestamp: at(-299) }) })).body?.code).toBe('ORDER_NOT_EXIST');
  });

  it('refuses an unknown merchant (unsigned: the platform has no key to sign with), a missing header and a short nonce', async () => {
    expect(await send('GET', QUERY, { headers: signedHeaders('GET', QUERY, '', { principal: '1999999999' }) })).toEqual({ status: 401, body: { code: 'UNKNOWN_PRINCIPAL', message: 'merchant 1999999999 is not known to the platform' }, signed: false });
    expect(await send('GET', QUERY)).toMatchObject({ status: 401, body: { code: 'SIGN_ERROR', message: 'no Authorization header' } });
    expect(await send('GET', QUERY, { headers: signedHeaders('GET', QUERY, '', { nonce: 'abc' }) })).toMatchObject({ status: 401, body: { code: 'SIGN_ERROR', message: 'the nonce must be 16–64 letters and digits' } });
  });

  it('keeps the two APIs apart: a wallet user\'s signature opens no merchant API, and the other way round', async () => {
    const wallet = testWallet('wallet-demo');
    const nonce = newNonce();
    const timestamp = unixSeconds(host.now());
    const appAuth = formatAuthorization({ realm: 'app', algorithm: 'HMAC-SHA256', principal: wallet.userId, nonce, timestamp, signature: signCanonical(hmacKey(wallet.appKey), requestCanonical('GET', QUERY, timestamp, nonce, '')) });
    expect(await send('GET', QUERY, { headers: { authorization: appAuth } })).toMatchObject({ status: 401, body: { code: 'SIGN_ERROR', message: 'this API takes a merchant\'s signature' } });
    expect(await send('GET', '/app/v1/wallet', { headers: signedHeaders('GET', '/app/v1/wallet', '') })).toMatchObject({ status: 401, body: { code: 'SIGN_ERROR', message: 'this API takes a wallet user\'s signature' } });
  });

  it('refuses malformed requests with their own codes', async () => {
    const post = (body: string, headers: Record<string, string> = {}) => send('POST', '/v1/orders/native', { body, headers: { ...signedHeaders('POST', '/v1/orders/native', body), ...headers } });
    expect(await post('{not json')).toMatchObject({ status: 400, body: { code: 'PARAM_ERROR', message: 'the body is not valid JSON' } });
    expect(await post('{"out_trade_no":"x"}')).toMatchObject({ status: 400, body: { code: 'PARAM_ERROR', message: expect.stringMatching(/out_trade_no: 6–32 letters/) } });
    expect(await post('{}', { 'content-type': 'text/plain' })).toMatchObject({ status: 415, body: { code: 'UNSUPPORTED_MEDIA_TYPE' } });
    expect(await post('x'.repeat(70_000))).toMatchObject({ status: 413, body: { code: 'BODY_TOO_LARGE' } });
    expect(await send('GET', '/v1/nothing')).toMatchObject({ status: 404, body: { code: 'NOT_FOUND' } });
    expect(await send('DELETE', QUERY)).toMatchObject({ status: 405, body: { code: 'METHOD_NOT_ALLOWED' } });
  });
});
