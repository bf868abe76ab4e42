import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase } from '../db/database.ts';
import { createTestDatabase, type TestDatabase } from '../test-support/test-database.ts';
import { loadSecretSeal, SecretSeal } from './secret-seal.ts';
import { enrolStation, replaceStationKey, sealStoredSecrets, StationKeys } from './stations.ts';

describe('sealing a station secret', () => {
  const seal = new SecretSeal(randomBytes(32));
  const secret = randomBytes(32).toString('base64url');

  it('opens for its own station and key only, and names the wrong key-encryption key as such', () => {
    const sealed = seal.seal('SH01-01', 'k1', secret);
    expect(sealed).toMatch(new RegExp(`^v1\\.${seal.keyId}\\.`));
    expect(sealed).not.toContain(secret);
    expect(seal.open('SH01-01', 'k1', sealed)).toBe(secret);
    expect(seal.seal('SH01-01', 'k1', secret)).not.toBe(sealed);
    expect(() => seal.open('SH01-02', 'k1', sealed)).toThrow(/does not open/);
    expect(() => seal.open('SH01-01', 'k2', sealed)).toThrow(/does not open/);
    const tampered = `${sealed.slice(0, -4)}${sealed.slice(-4) === 'AAAA' ? 'BBBB' : 'AAAA'}`;
    expect(() => seal.open('SH01-01', 'k1', tampered)).toThrow(/does not open/);
    expect(() => new SecretSeal(randomBytes(32)).open('SH01-01', 'k1', sealed)).toThrow(/sealed with key-encryption key/);
    expect(() => seal.open('SH01-01', 'k1', secret)).toThrow(/not sealed/);
  });

  it('keeps its key-encryption key in a file only its owner can read, made once', () => {
    const dir = mkdtempSync(join(tmpdir(), 'hq-kek-'));
    try {
      const file = join(dir, 'keys', 'station-secrets.key');
      const first = loadSecretSeal(file);
      expect(statSync(file).mode & 0o777).toBe(0o600);
      expect(loadSecretSeal(file).keyId).toBe(first.keyId);
      expect(Buffer.from(readFileSync(file, 'utf8').trim(), 'base64url')).toHaveLength(32);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('station secrets in the database', () => {
  let db: TestDatabase;
  beforeAll(async () => {
    db = await createTestDatabase();
  });
  afterAll(() => db.drop());

  it('are stored sealed: a copy of the database holds no station credential', async () => {
    const credential = await enrolStation(db.database, { stationId: 'KS-1', shopId: 'SH01' });
    const renewed = await replaceStationKey(db.database, 'KS-1');
    const stored = await db.admin.query<{ secret: string }>("SELECT secret FROM station_key WHERE station_id = 'KS-1'");
    expect(stored.rows).toHaveLength(2);
    for (const { secret } of stored.rows) {
      expect(secret).toMatch(/^v1\./);
      expect(secret).not.toContain(credential.secret);
      expect(secret).not.toContain(renewed.secret);
    }
    expect(await new StationKeys(db.database).secret('KS-1', renewed.keyId)).toBe(renewed.secret);
  });

  it('kept in clear by an older version are sealed at start; under another key-encryption key the start is refused', async () => {
    const clear = randomBytes(32).toString('base64url');
    await enrolStation(db.database, { stationId: 'KS-2', shopId: 'SH01' });
    await db.admin.query("UPDATE station_key SET secret = $1 WHERE station_id = 'KS-2'", [clear]);
    expect(await sealStoredSecrets(db.database)).toBe(1);
    const row = await db.admin.query<{ key_id: string; secret: string }>("SELECT key_id, secret FROM station_key WHERE station_id = 'KS-2'");
    expect(row.rows[0]!.secret).toMatch(/^v1\./);
    expect(await new StationKeys(db.database).secret('KS-2', row.rows[0]!.key_id)).toBe(clear);
    expect(await sealStoredSecrets(db.database)).toBe(0);

    const wrongKey = openDatabase({ url: db.url, secrets: new SecretSeal(randomBytes(32)) });
    try {
      await expect(sealStoredSecrets(wrongKey)).rejects.toThrow(/sealed under another key-encryption key .* HQ_SECRET_KEY_FILE/);
      // And a service that ran with it anyway would keep the stations out and say why, not fail.
      const logs: string[] = [];
      expect(await new StationKeys(wrongKey, { log: (line) => logs.push(line) }).secret('KS-2', row.rows[0]!.key_id)).toBeUndefined();
      expect(logs.join('\n')).toMatch(/sealed with key-encryption key/);
    } finally {
      await wrongKey.close();
    }
  });
});
