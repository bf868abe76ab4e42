import { describe, expect, it } from 'vitest';
import { claimedStation, clockSkewed, MAX_CLOCK_SKEW_MS, requestDigest, signReply, signRequest, SIGNATURE_HEADERS, verifyReply, verifyRequest } from './station-signature.ts';

const credential = { stationId: 'SH01-02', keyId: 'k1', secret: Buffer.alloc(32, 7).toString('base64url') };
const request = { method: 'POST', target: '/v1/events', body: '{"events":[]}' };
const now = 1_767_600_000_000;

describe('station request signatures', () => {
  it('verifies an untouched request and refuses any change to it', () => {
    const headers = signRequest(credential, request, now);
    const claim = claimedStation(headers)!;
    expect(claim).toMatchObject({ stationId: 'SH01-02', keyId: 'k1', time: now });
    const digest = requestDigest(request);
    expect(verifyRequest(claim, credential.secret, digest, now)).toBeUndefined();
    expect(verifyRequest(claim, credential.secret, requestDigest({ ...request, body: '{"events":[1]}' }), now)).toBe('bad_signature');
    expect(verifyRequest(claim, credential.secret, { ...digest, target: '/v1/price-list' }, now)).toBe('bad_signature');
    expect(verifyRequest({ ...claim, stationId: 'SH01-03' }, credential.secret, digest, now)).toBe('bad_signature');
    expect(verifyRequest(claim, Buffer.alloc(32, 8).toString('base64url'), digest, now)).toBe('bad_signature');
    expect(verifyRequest(claim, credential.secret, digest, now + MAX_CLOCK_SKEW_MS + 1)).toBe('clock_skew');
    expect(clockSkewed(claim, now - MAX_CLOCK_SKEW_MS - 1)).toBe(true);
    expect(claimedStation({ ...headers, [SIGNATURE_HEADERS.time]: 'soon' })).toBeUndefined();
  });

  it('binds the answer to the request it answers', () => {
    const requestSignature = signRequest(credential, request, now)[SIGNATURE_HEADERS.signature]!;
    const reply = signReply(credential.secret, requestSignature, 200, '{"ok":true}');
    expect(verifyReply(credential.secret, requestSignature, 200, '{"ok":true}', reply)).toBe(true);
    expect(verifyReply(credential.secret, requestSignature, 200, '{"ok":true,"ackedThroughSeq":999}', reply)).toBe(false);
    const other = signRequest(credential, request, now + 1)[SIGNATURE_HEADERS.signature]!;
    expect(verifyReply(credential.secret, other, 200, '{"ok":true}', reply)).toBe(false);
    expect(verifyReply(credential.secret, requestSignature, 200, '{"ok":true}', undefined)).toBe(false);
  });
});
