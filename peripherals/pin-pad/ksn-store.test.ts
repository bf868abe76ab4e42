/** The PIN pad's persisted key serial number, for both key types. */
import { mkdtempSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { fileKsnStore } from './ksn-store.ts';

const TDES_KSN = Buffer.from('FFFF9876543210E00000', 'hex');
const AES_KSN = Buffer.from('123456789012345600000000', 'hex');

describe('file KSN store', () => {
  it('starts from the injected KSN and keeps what was saved, for a 10-byte TDES and a 12-byte AES KSN', () => {
    for (const initial of [TDES_KSN, AES_KSN]) {
      const path = join(mkdtempSync(join(tmpdir(), 'ksn-')), 'virtual-devices', 'ksn.json');
      const store = fileKsnStore(path, initial);
      expect(store.load()).toEqual(initial);
      const next = Buffer.from(initial);
      next[next.length - 1] = 1;
      store.save(next);
      expect(fileKsnStore(path, initial).load()).toEqual(next);
      // Written through the atomic helper: owner-only, like the station's other key files.
      expect(statSync(path).mode & 0o777).toBe(0o600);
    }
  });

  it('refuses a file that holds a KSN of the other key type', () => {
    const path = join(mkdtempSync(join(tmpdir(), 'ksn-')), 'ksn.json');
    writeFileSync(path, JSON.stringify({ ksn: 'FFFF9876543210E00001' }));
    expect(() => fileKsnStore(path, AES_KSN).load()).toThrow('"ksn" must be 24 upper-case hex digits');
  });
});
