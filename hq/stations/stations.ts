/**
 * Shops, stations and their credentials. Enrolment issues a station its secret once; the head office
 * keeps it to check signatures (HMAC needs it on both sides), sealed under the key-encryption key
 * (secret-seal.ts), readable by the office login only, never by the ingest role.
 */
import { randomBytes } from 'node:crypto';
import type pg from 'pg';
import { StationIdSchema } from '../../common/head-office/upload-schema.ts';
import type { StationCredential } from '../../common-node/station-signature.ts';
import { inTransaction, withClient, type HqDatabase } from '../db/database.ts';
import { SecretSeal, SecretSealError } from './secret-seal.ts';

export interface Enrolment {
  readonly stationId: string;
  readonly shopId: string;
  readonly shopName?: string;
  readonly name?: string;
}

const newKey = () => ({ keyId: `k${Date.now().toString(36)}${randomBytes(3).toString('hex')}`, secret: randomBytes(32).toString('base64url') });

/** Adds a station (and its shop, if new) and issues its first key. */
export async function enrolStation(database: HqDatabase, enrolment: Enrolment): Promise<StationCredential> {
  const stationId = StationIdSchema.parse(enrolment.stationId);
  return withClient(database.office, (client) =>
    inTransaction(client, async () => {
      await client.query('INSERT INTO shop (shop_id, name) VALUES ($1, $2) ON CONFLICT (shop_id) DO NOTHING', [enrolment.shopId, enrolment.shopName ?? enrolment.shopId]);
      await client.query('INSERT INTO station (station_id, shop_id, name) VALUES ($1, $2, $3)', [stationId, enrolment.shopId, enrolment.name ?? stationId]);
      await client.query('INSERT INTO station_progress (station_id) VALUES ($1)', [stationId]);
      return { stationId, ...(await addKey(client, database.secrets, stationId)) };
    }),
  );
}

async function addKey(client: pg.ClientBase, secrets: SecretSeal, stationId: string): Promise<{ keyId: string; secret: string }> {
  const key = newKey();
  await client.query('INSERT INTO station_key (station_id, key_id, secret) VALUES ($1, $2, $3)', [stationId, key.keyId, secrets.seal(stationId, key.keyId, key.secret)]);
  return key;
}

/** Issues a new key and revokes the station's older ones (a lost or leaked secret). */
export async function replaceStationKey(database: HqDatabase, stationId: string): Promise<StationCredential> {
  return withClient(database.office, (client) =>
    inTransaction(client, async () => {
      const revoked = await client.query('UPDATE station_key SET revoked_at = now() WHERE station_id = $1 AND revoked_at IS NULL', [stationId]);
      if (revoked.rowCount === 0) throw new Error(`station ${stationId} is not enrolled`);
      return { stationId, ...(await addKey(client, database.secrets, stationId)) };
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
  private readonly secrets: SecretSeal;
  private readonly log: (line: string) => void;
  private readonly ttlMs: number;
  private readonly missesPerSecond: number;
  private keys = new Map<string, string>();
  private loadedAt = Number.NEGATIVE_INFINITY;
  private loading: Promise<void> | undefined;
  private missSecond = 0;
  private missesThisSecond = 0;

  constructor(database: HqDatabase, options: { ttlMs?: number; missesPerSecond?: number; log?: (line: string) => void } = {}) {
    this.pool = database.office;
    this.secrets = database.secrets;
    this.log = options.log ?? (() => {});
    this.ttlMs = options.ttlMs ?? 30_000;
    this.missesPerSecond = options.missesPerSecond ?? 10;
  }

  async secret(stationId: string, keyId: string, now = Date.now()): Promise<string | undefined> {
    const key = `${stationId}\n${keyId}`;
    if (now - this.loadedAt >= this.ttlMs) await this.refresh(now);
    const known = this.keys.get(key);
    if (known !== undefined || !this.mayLookUp(now)) return known;
    const { rows } = await this.pool.query<{ secret: string }>('SELECT secret FROM station_key WHERE station_id = $1 AND key_id = $2 AND revoked_at IS NULL', [stationId, keyId]);
    const found = rows[0] ? this.open(stationId, keyId, rows[0].secret) : undefined;
    if (found !== undefined) this.keys.set(key, found);
    return found;
  }

  /** How many keys are held (for the tests: it never grows with what requests name). */
  get size(): number {
    return this.keys.size;
  }

  /** A secret that does not open (altered, or sealed under another key) keeps its station out, and says so. */
  private open(stationId: string, keyId: string, stored: string): string | undefined {
    try {
      return this.secrets.open(stationId, keyId, stored);
    } catch (error) {
      this.log(error instanceof Error ? error.message : String(error));
      return undefined;
    }
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
        const keys = new Map<string, string>();
        for (const row of rows) {
          const secret = this.open(row.station_id, row.key_id, row.secret);
          if (secret !== undefined) keys.set(`${row.station_id}\n${row.key_id}`, secret);
        }
        this.keys = keys;
        this.loadedAt = now;
      })
      .finally(() => {
        this.loading = undefined;
      });
    return this.loading;
  }
}

/**
 * Seals any secret still kept in clear (enrolled by a version before sealing), and refuses to go on
 * when secrets are sealed under another key-encryption key than the one at hand: the wrong key file
 * would otherwise lock every station out in silence.
 */
export async function sealStoredSecrets(database: HqDatabase): Promise<number> {
  return withClient(database.office, (client) =>
    inTransaction(client, async () => {
      const { rows } = await client.query<{ station_id: string; key_id: string; secret: string }>('SELECT station_id, key_id, secret FROM station_key WHERE revoked_at IS NULL FOR UPDATE');
      const foreign = rows.find((row) => SecretSeal.isSealed(row.secret) && !row.secret.startsWith(`v1.${database.secrets.keyId}.`));
      if (foreign) throw new SecretSealError(`the station secrets are sealed under another key-encryption key (${foreign.secret.split('.')[1]}) than this one (${database.secrets.keyId}): set HQ_SECRET_KEY_FILE to the key file they were sealed with`);
      const clear = rows.filter((row) => !SecretSeal.isSealed(row.secret));
      for (const row of clear) {
        await client.query('UPDATE station_key SET secret = $3 WHERE station_id = $1 AND key_id = $2', [row.station_id, row.key_id, database.secrets.seal(row.station_id, row.key_id, row.secret)]);
      }
      return clear.length;
    }),
  );
}
