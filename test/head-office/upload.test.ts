/**
 * The station's uploader against the real head office (HTTP, PostgreSQL): idempotent upload across
 * outages and lost acknowledgements, a gap healed from the outbox, a days-long outage, the station's
 * identity coming from its credential only, and the price list flowing down.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { createServer, request as httpRequest } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { UPLOAD_SCHEMA_VERSION, type UploadBatch } from '../../common/head-office/upload-schema.ts';
import { uuidV7 } from '../../common/head-office/uuid-v7.ts';
import { DEMO_CATALOG } from '../../main/catalog/demo-catalog.ts';
import { HeadOfficeClient, HeadOfficeUnavailable } from '../../main/head-office/head-office-client.ts';
import { BetweenSalesPriceList, PriceListClient } from '../../main/head-office/price-list-client.ts';
import { Uploader, type UploaderStatus } from '../../main/head-office/uploader.ts';
import { startTcpProxy, type TcpProxy } from '../../main/test-support/tcp-proxy.ts';
import type { PriceList } from '../../common/head-office/price-list.ts';
import { startHqServer } from '../../hq/server/hq-server.ts';
import { compareWithHeadOffice, removeStationOutboxes, rollupsMatchSales, startHeadOfficeRig, stationOutbox, type HeadOfficeRig } from './head-office-rig.ts';

let rig: HeadOfficeRig;
let proxy: TcpProxy;

beforeAll(async () => {
  rig = await startHeadOfficeRig();
  proxy = await startTcpProxy({ host: '127.0.0.1', port: Number(new URL(rig.server.origin).port) });
});
afterAll(async () => {
  await proxy.close();
  await rig.close();
  removeStationOutboxes();
});

const viaProxy = () => `http://127.0.0.1:${proxy.port}`;
const fastRetries = { retryBaseMs: 5, retryMaxMs: 40, heartbeatMs: 60_000 } as const;

function until(uploader: Uploader, predicate: (status: UploaderStatus) => boolean): Promise<UploaderStatus> {
  return new Promise((resolve) => {
    const check = (status: UploaderStatus) => {
      if (!predicate(status)) return;
      off();
      resolve(status);
    };
    const off = uploader.onStatus(check);
    check(uploader.status());
  });
}

describe('uploading a station’s outbox', () => {
  it('sends everything once across an outage and a lost acknowledgement', async () => {
    const credential = await rig.enrol('UP-1');
    const station = stationOutbox('UP-1', 11);
    const uploader = new Uploader({ outbox: station.outbox, client: new HeadOfficeClient({ url: viaProxy(), credential, timeoutMs: 2_000 }), batchSize: 40, ...fastRetries });
    station.sell(30);
    uploader.start();
    await uploader.drained();

    // The network goes: the station keeps selling, the backlog grows, the uploader keeps trying.
    proxy.cut();
    station.sell(25);
    uploader.notify();
    const during = await until(uploader, (status) => status.state === 'retrying');
    expect(during.backlog).toBeGreaterThan(0);
    expect(during.lastError).toMatch(/head office/);
    proxy.restore();
    await uploader.drained();

    // The head office stores a batch but its answer never arrives; the resend is acknowledged again, stored once.
    proxy.holdReplies();
    station.sell(10);
    uploader.notify();
    await until(uploader, (status) => status.state === 'sending');
    await expect.poll(async () => (await rig.db.admin.query("SELECT count(*)::int AS n FROM sale WHERE station_id = 'UP-1'")).rows[0].n).toBe(65);
    proxy.cut();
    proxy.resume();
    proxy.restore();
    await uploader.drained();
    await uploader.stop();

    expect(await compareWithHeadOffice(rig.db, 'UP-1', station.db)).toEqual({ events: station.outbox.lastSeq() });
    expect(await rollupsMatchSales(rig.db, 'UP-1')).toBe(true);
    expect(uploader.status()).toMatchObject({ state: 'stopped', backlog: 0 });
  });

  it('resumes after a days-long outage without giving up, oldest events first', async () => {
    const credential = await rig.enrol('UP-2');
    const station = stationOutbox('UP-2', 12);
    station.demo.advance(-3 * 86_400_000);
    proxy.cut();
    station.sell(5);
    station.demo.advance(86_400_000);
    station.sell(5);
    const uploader = new Uploader({ outbox: station.outbox, client: new HeadOfficeClient({ url: viaProxy(), credential, timeoutMs: 2_000 }), batchSize: 4, ...fastRetries });
    let attempts = 0;
    uploader.onStatus((status) => {
      if (status.state === 'retrying') attempts += 1;
    });
    uploader.start();
    // Far more failed attempts than any "give up after N" would allow; the backoff is capped, never stopped.
    const stuck = await until(uploader, (status) => status.state === 'retrying' && attempts >= 25);
    expect(stuck.backlog).toBe(station.outbox.lastSeq());
    expect(stuck.oldestPendingAt).toBe((station.outbox.pending(1)[0]!).occurredAt);
    proxy.restore();
    await uploader.drained();
    await uploader.stop();
    await compareWithHeadOffice(rig.db, 'UP-2', station.db);
  });

  it('heals a gap the head office reports by sending again from the outbox', async () => {
    const credential = await rig.enrol('UP-3');
    const station = stationOutbox('UP-3', 13);
    station.sell(12);
    // The station believes the first 10 events were acknowledged (say the head office was restored from an older backup).
    station.outbox.acknowledge(10);
    const logs: string[] = [];
    const uploader = new Uploader({ outbox: station.outbox, client: new HeadOfficeClient({ url: rig.server.origin, credential }), batchSize: 8, ...fastRetries, log: (line) => logs.push(line) });
    uploader.start();
    await uploader.drained();
    await uploader.stop();
    expect(logs.join('\n')).toMatch(/missing events from sequence 1/);
    await compareWithHeadOffice(rig.db, 'UP-3', station.db);
  });

  it('takes the station from the credential: another station’s batch or a wrong signature is refused', async () => {
    const credential = await rig.enrol('UP-4');
    await rig.enrol('UP-5');
    const victim = stationOutbox('UP-5', 14);
    victim.sell(2);
    const client = new HeadOfficeClient({ url: rig.server.origin, credential });
    const batch: UploadBatch = { schemaVersion: UPLOAD_SCHEMA_VERSION, stationId: 'UP-5', batchId: uuidV7(), stationLastSeq: 10, events: [...victim.outbox.pending(10)] };
    expect(await client.upload(batch)).toMatchObject({ ok: false, error: 'wrong_station' });
    const relabelled: UploadBatch = { ...batch, stationId: 'UP-4', events: batch.events.map((event) => ({ ...event, stationId: 'UP-4' })) };
    // Relabelled as its own, the events are stored as UP-4's: UP-5's rows stay out of reach.
    expect(await client.upload(relabelled)).toMatchObject({ ok: true });
    expect((await rig.db.admin.query("SELECT count(*)::int AS n FROM event WHERE station_id = 'UP-5'")).rows[0].n).toBe(0);
    const forged = new HeadOfficeClient({ url: rig.server.origin, credential: { ...credential, stationId: 'UP-5' } });
    await expect(forged.upload(batch)).rejects.toThrow(HeadOfficeUnavailable);
    const wrongSecret = new HeadOfficeClient({ url: rig.server.origin, credential: { ...credential, secret: Buffer.alloc(32, 1).toString('base64url') } });
    await expect(wrongSecret.upload(relabelled)).rejects.toThrow(/without a valid signature/);
  });
});

describe('behind a reverse proxy with a path prefix', () => {
  it('sends to the prefix and signs the path the head office sees once the proxy has stripped it', async () => {
    const target = new URL(rig.server.origin);
    const seen: string[] = [];
    // What nginx's `location /pos/ { proxy_pass http://hq/; }` does: strip the prefix, pass the rest on.
    const gateway = createServer((request, response) => {
      seen.push(request.url ?? '');
      if (!request.url?.startsWith('/pos/')) return void response.writeHead(404).end();
      const forwarded = httpRequest({ host: target.hostname, port: target.port, method: request.method, path: request.url.slice('/pos'.length), headers: request.headers }, (answer) => {
        response.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(response);
      });
      forwarded.on('error', () => response.destroy());
      request.pipe(forwarded);
    });
    await new Promise<void>((resolve) => gateway.listen(0, '127.0.0.1', resolve));
    try {
      const credential = await rig.enrol('PFX-1');
      const station = stationOutbox('PFX-1', 16);
      station.sell(2);
      const client = new HeadOfficeClient({ url: `http://127.0.0.1:${(gateway.address() as AddressInfo).port}/pos/`, credential });
      const uploader = new Uploader({ outbox: station.outbox, client, ...fastRetries });
      uploader.start();
      await uploader.drained();
      await uploader.stop();
      await compareWithHeadOffice(rig.db, 'PFX-1', station.db);
      await client.priceList(0);
      expect(seen).toEqual(['/pos/v1/events', '/pos/v1/price-list?after=0']);
    } finally {
      await new Promise((resolve) => gateway.close(resolve));
    }
  });
});

describe('over HTTPS', () => {
  it('uploads to a head office with a certificate of a private CA the station trusts', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'hq-tls-'));
    const openssl = spawnSync('openssl', ['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-days', '1', '-subj', '/CN=127.0.0.1',
      '-addext', 'subjectAltName=IP:127.0.0.1', '-keyout', join(dir, 'key.pem'), '-out', join(dir, 'cert.pem')], { encoding: 'utf8' });
    expect(openssl.status, openssl.stderr).toBe(0);
    const cert = readFileSync(join(dir, 'cert.pem'), 'utf8');
    const server = await startHqServer({ database: rig.db.database, port: 0, tls: { cert, key: readFileSync(join(dir, 'key.pem'), 'utf8') }, log: () => {} });
    try {
      expect(server.origin).toMatch(/^https:/);
      const credential = await rig.enrol('TLS-1');
      const station = stationOutbox('TLS-1', 15);
      station.sell(3);
      const uploader = new Uploader({ outbox: station.outbox, client: new HeadOfficeClient({ url: server.origin, credential, ca: cert }), ...fastRetries });
      uploader.start();
      await uploader.drained();
      await uploader.stop();
      await compareWithHeadOffice(rig.db, 'TLS-1', station.db);
      // A station that does not trust the certificate sends nothing.
      await expect(new HeadOfficeClient({ url: server.origin, credential }).priceList(0)).rejects.toThrow(/certificate/);
    } finally {
      await server.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('the price list flowing down', () => {
  it('reaches the station and is applied between sales only', async () => {
    const credential = await rig.enrol('PL-1');
    const first = await rig.publishPriceList({ upsert: DEMO_CATALOG, replaceAll: true, note: 'opening catalog' });
    const applied: PriceList[] = [];
    let saleOpen = false;
    const target = new BetweenSalesPriceList({ appliedVersion: () => applied.at(-1)?.version ?? 0, apply: (list) => applied.push(list) }, { saleOpen: () => saleOpen });
    const prices = new PriceListClient({ client: new HeadOfficeClient({ url: rig.server.origin, credential }), target });

    expect(await prices.checkNow()).toBe(true);
    expect(applied.map((list) => list.version)).toEqual([first.version]);
    expect(await prices.checkNow()).toBe(false);

    const tea = DEMO_CATALOG.find((item) => item.sku === 'TEA-001')!;
    const second = await rig.publishPriceList({ upsert: [{ ...tea, price: { ...tea.price, amountMinor: 520 } }], deactivate: ['HOM-002'], note: 'tea up, umbrellas out' });
    saleOpen = true;
    expect(await prices.checkNow()).toBe(true);
    expect(applied).toHaveLength(1);
    expect(target.pending()?.version).toBe(second.version);
    saleOpen = false;
    target.saleEnded();
    expect(applied.map((list) => list.version)).toEqual([first.version, second.version]);
    const newest = applied.at(-1)!;
    expect(newest.items.find((item) => item.sku === 'TEA-001')?.price.amountMinor).toBe(520);
    expect(newest.items.find((item) => item.sku === 'HOM-002')?.active).toBe(false);
    expect(newest.items).toHaveLength(DEMO_CATALOG.length);
  });
});
