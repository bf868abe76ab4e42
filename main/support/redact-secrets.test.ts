import { describe, expect, it } from 'vitest';
import { REDACTED, redactSecrets } from './redact-secrets.ts';

describe('redactSecrets', () => {
  it('replaces every value under a key-material name, at any depth and of any type', () => {
    expect(
      redactSecrets({
        merchant: { id: '898310048160001' },
        virtualPinPad: { ipek: '6AC292FAA1315B4D858AB3A3D7D5933A', aesInitialKey: '1273671EA26AC29AFA4D1084127652A1', initialKsn: 'FFFF9876543210E00000' },
        security: { bdk: '0123456789ABCDEFFEDCBA9876543210', nested: { apiToken: 42 } },
        cardSecurity: { cvks: [{ binPrefix: '411111', cvk: 'ABCDEF0123456789ABCDEF0123456789' }] },
      }),
    ).toEqual({
      merchant: { id: '898310048160001' },
      virtualPinPad: { ipek: REDACTED, aesInitialKey: REDACTED, initialKsn: 'FFFF9876543210E00000' },
      security: { bdk: REDACTED, nested: { apiToken: REDACTED } },
      cardSecurity: { cvks: [{ binPrefix: '411111', cvk: REDACTED }] },
    });
  });

  it('also takes a secret out of the free text that quotes it, in either case', () => {
    expect(redactSecrets({ description: 'the BDK is 0123456789abcdeffedcba9876543210.', security: { bdk: '0123456789ABCDEFFEDCBA9876543210' } })).toEqual({
      description: `the BDK is ${REDACTED}.`,
      security: { bdk: REDACTED },
    });
  });
});
