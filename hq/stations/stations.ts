/**
 * Shops, stations and their credentials. Enrolment issues a station its secret once; the head office
 * keeps it to check signatures (HMAC needs it on both sides), readable by the office login only,
 * never by the ingest role.
 */
import { randomBytes } from 'node:crypto';
import type pg from 'pg';
import { StationIdSchema } from '../../common/head-office/upload-schema.ts';
import type { StationCredential } from '../../common-node/station-signature.ts';
import { inTransaction, withClient } from '../db/database.ts';

export interface Enrolment {
  readonly stationId: string;
  readonly shopId: string;
  readonly shopName?: string;
  readonly name?: string;
}

const newKey = () => ({ keyId: `k${Date.now().toString(36)}${randomBytes(3).toString('hex')}`, secret: randomBytes(32).toString('base64url') });

/** Adds a station (and its shop, if new) and issues its first key. */
export async function enrolStation(pool: pg.Pool, enrolment: Enrolment): Promise<StationCredential> {
  const stationId = StationIdSchema.parse(enrolment.stationId);
  return withClient(pool, (client) =>
    inTransaction(client, async () => {
      await client.query('INSERT INTO shop (shop_id, name) VALUES ($1, $2) ON CONFLICT (shop_id) DO NOTHING', [enrolment.shopId, enrolment.shopName ?? enrolment.shopId]);
      await client.query('INSERT INTO station (station_id, shop_id, name) VALUES ($1, $2, $3)', [stationId, enrolment.shopId, enrolment.name ?? stationId]);
      await client.query('INSERT INTO station_progress (station_id) VALUES ($1)', [stationId]);
      const key = newKey();
      await client.query('INSERT INTO station_key (station_id, key_id, secret) VALUES ($1, $2, $3)', [stationId, key.keyId, key.secret]);
      return { stationId, ...key };
    }),
  );
}

/** Issues a new key and revokes the station's older ones (a lost or leaked secret). */
export async function replaceStationKey(pool: pg.Pool, stationId: string): Promise<StationCredential> {
  return withClient(pool, (client) =>
    inTransaction(client, async () => {
      const revoked = await client.query('UPDATE station_key SET revoked_at = now() WHERE station_id = $1 AND revoked_at IS NULL', [stationId]);
      if (revoked.rowCount === 0) throw new Error(`station ${stationId} is not enrolled`);
      const key = newKey();
      await client.query('INSERT INTO station_key (station_id, key_id, secret) VALUES ($1, $2, $3)', [stationId, key.keyId, key.secret]);
      return { stationId, ...key };
    }),
  );
}

export interface StationRow {
  readonly stationId: string;
  readonly shopId: string;
  readonly name: string;
  readonly lastSeq: number;
  readonly lastContactAt: Date | null;
}

export async function listStations(pool: pg.Pool): Promise<StationRow[]> {
  const { rows } = await pool.query<StationRow>(
    `SELECT s.station_id AS "stationId", s.shop_id AS "shopId", s.name, p.last_seq AS "lastSeq", p.last_contact_at AS "lastContactAt"
       FROM station s JOIN station_progress p USING (station_id) ORDER BY s.station_id`,
  );
  return rows;
}

/**
 * The stations' current keys for signature checks: the whole table of unrevoked keys, held in memory
 * and read again every `ttlMs` (a revoked key stops working within it). A key not in it (a station
 * enrolled since) is looked up on its own, but only `missesPerSecond` times a second: what the map
 * holds follows the keys the office enrolled, never what requests name, and a flood of made-up
 * names costs a few queries a second, not one each.
 */
export class StationKeys {
  private readonly pool: pg.Pool;
  private readonly ttlMs: number;
  private readonly missesPerSecond: number;
  private keys = new Map<string, string>();
  private loadedAt = Number.NEGATIVE_INFINITY;
  private loading: Promise<void> | undefined;
  private missSecond = 0;
  private missesThisSecond = 0;

  constructor(pool: pg.Pool, options: { ttlMs?: number; missesPerSecond?: number } = {}) {
    this.pool = pool;
    this.ttlMs = options.ttlMs ?? 30_000;
    this.missesPerSecond = options.missesPerSecond ?? 10;
  }

  async secret(stationId: string, keyId: string, now = Date.now()): Promise<string | undefined> {
    const key = `${stationId}\n${keyId}`;
    if (now - this.loadedAt >= this.ttlMs) await this.refresh(now);
    const known = this.keys.get(key);
    if (known !== undefined || !this.mayLookUp(now)) return known;
    const { rows } = await this.pool.query<{ secret: string }>('SELECT secret FROM station_key WHERE station_id = $1 AND key_id = $2 AND revoked_at IS NULL', [stationId, keyId]);
    const found = rows[0]?.secret;
    if (found !== undefined) this.keys.set(key, found);
    return found;
  }

  /** How many keys are held (for the tests: it never grows with what requests name). */
  get size(): number {
    return this.keys.size;
  }

  private mayLookUp(now: number): boolean {
    const second = Math.floor(now / 1000);
    if (second !== this.missSecond) {
      this.missSecond = second;
      this.missesThisSecond = 0;
    }
    this.missesThisSecond += 1;
    return this.missesThisSecond <= this.missesPerSecond;
  }

  /** One read at a time; callers arriving meanwhile wait for it. */
  private refresh(now: number): Promise<void> {
    this.loading ??= this.pool
      .query<{ station_id: string; key_id: string; secret: string }>('SELECT station_id, key_id, secret FROM station_key WHERE revoked_at IS NULL')
      .then(({ rows }) => {
        this.keys = new Map(rows.map((row) => [`${row.station_id}\n${row.key_id}`, row.secret]));
        this.loadedAt = now;
      })
      .finally(() => {
        this.loading = undefined;
      });
    return this.loading;
  }
}
