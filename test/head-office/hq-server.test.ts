/**
 * What strangers can make the head office do: nothing of an unknown station's body is read, a
 * made-up station or key costs no memory and hardly a query, and a body over the cap is refused
 * with an answer the station can verify, so its uploader sends smaller batches.
 */
import { request as httpRequest, type IncomingMessage } from 'node:http';
import { DatabaseSync } from 'node:sqlite';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { DemoStation } from '../../common/head-office/demo-events.ts';
import { signRequest } from '../../common-node/station-signature.ts';
import { HeadOfficeClient } from '../../main/head-office/head-office-client.ts';
import { SqliteOutbox } from '../../main/head-office/sqlite-outbox.ts';
import { Uploader } from '../../main/head-office/uploader.ts';
import { enrolStation, StationKeys } from '../../hq/stations/stations.ts';
import { createTestDatabase, type TestDatabase } from '../../hq/test-support/test-database.ts';
import { startHqServer, type RunningHqServer } from '../../hq/server/hq-server.ts';

let db: TestDatabase;
let server: RunningHqServer;
const logs: string[] = [];

beforeAll(async () => {
  db = await createTestDatabase();
  server = await startHqServer({ database: db.database, port: 0, maxStationBodyBytes: 64 * 1024, log: (line) => logs.push(line) });
});
afterAll(async () => {
  await server.close();
  await db.drop();
});

/** Sends the headers and the first bytes of a body announced as `length` bytes, and waits for an answer. */
function announce(headers: Record<string, string>, length: number): Promise<IncomingMessage> {
  const url = new URL('/v1/events', server.origin);
  return new Promise((resolve, reject) => {
    const request = httpRequest(url, { method: 'POST', headers: { ...headers, 'Content-Length': String(length) } }, resolve);
    request.on('error', reject);
    request.write('{"schemaVersion":1,');
  });
}

describe('station requests from strangers', () => {
  it('are answered 401 before their body is read', async () => {
    const credential = await enrolStation(db.database, { stationId: 'SEC-1', shopId: 'SH01' });
    // The body announced is 16 MiB and never sent: an answer can only come if nobody waits for it.
    const unsigned = await announce({}, 16 * 1024 * 1024);
    expect(unsigned.statusCode).toBe(401);
    expect(unsigned.headers.connection).toBe('close');
    const unknownKey = signRequest({ ...credential, keyId: 'k-made-up' }, { method: 'POST', target: '/v1/events', body: '' });
    expect((await announce(unknownKey, 16 * 1024 * 1024)).statusCode).toBe(401);
    const stale = signRequest(credential, { method: 'POST', target: '/v1/events', body: '' }, Date.now() - 3_600_000);
    expect((await announce(stale, 16 * 1024 * 1024)).statusCode).toBe(401);
    expect(logs.join('\n')).toMatch(/no signature headers[\s\S]*unknown station or key SEC-1\/k-made-up[\s\S]*clock skew/);
  });

  it('cost no memory and only a few queries a second for made-up stations and keys', async () => {
    await enrolStation(db.database, { stationId: 'SEC-2', shopId: 'SH01' });
    const queries = vi.spyOn(db.database.office, 'query');
    const keys = new StationKeys(db.database, { missesPerSecond: 5 });
    const now = Date.now();
    for (let i = 0; i < 2_000; i++) expect(await keys.secret(`X${i}`, `k${i}`.repeat(40), now)).toBeUndefined();
    expect(queries).toHaveBeenCalledTimes(1 + 5);
    expect(keys.size).toBe((await db.admin.query('SELECT count(*)::int AS n FROM station_key WHERE revoked_at IS NULL')).rows[0].n);
    // A second later a station enrolled meanwhile is looked up and gets in.
    const fresh = await enrolStation(db.database, { stationId: 'SEC-3', shopId: 'SH01' });
    expect(await keys.secret(fresh.stationId, fresh.keyId, now + 1_000)).toBe(fresh.secret);
    expect(await keys.secret(fresh.stationId, fresh.keyId, now + 1_000)).toBe(fresh.secret);
    expect(queries).toHaveBeenCalledTimes(1 + 5 + 1);
    queries.mockRestore();
  });
});

describe('a body over the cap', () => {
  it('is refused with an answer the station verifies, and the uploader halves its batches until they fit', async () => {
    const credential = await enrolStation(db.database, { stationId: 'SEC-4', shopId: 'SH01' });
    const outbox = new SqliteOutbox(new DatabaseSync(':memory:'));
    const demo = new DemoStation({ stationId: 'SEC-4', seed: 21 });
    for (let i = 0; i < 120; i++) for (const event of demo.sale().events) outbox.append(event);
    const uploaderLog: string[] = [];
    const uploader = new Uploader({ outbox, client: new HeadOfficeClient({ url: server.origin, credential }), batchSize: 500, retryBaseMs: 5, retryMaxMs: 40, log: (line) => uploaderLog.push(line) });
    uploader.start();
    await uploader.drained();
    await uploader.stop();
    expect(uploaderLog.join('\n')).toMatch(/too large: sending \d+ at a time/);
    expect(logs.join('\n')).toMatch(/from SEC-4: the body is over 65536 bytes/);
    const held = await db.admin.query("SELECT max(seq)::int AS seq FROM event WHERE station_id = 'SEC-4'");
    expect(held.rows[0].seq).toBe(outbox.lastSeq());
  });
});
