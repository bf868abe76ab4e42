/**
 * One station's batch into PostgreSQL, all or nothing. The checks, in order:
 *   1. the schema version is one this head office knows (else unknown_schema_version);
 *   2. the batch parses and its figures add up (else malformed, with where);
 *   3. the envelope and every event name the authenticated station (else wrong_station);
 *   4. in one transaction as that station (hq_ingest, row-level security): the batch continues the
 *      station's sequence. Events it already holds must be the same event ids (a resend after a
 *      lost acknowledgement: acknowledged again, stored once); a batch that starts past the next
 *      expected sequence is a gap (refused with expectedSeq, so the station resends from its outbox).
 * Nothing of a refused batch is stored.
 */
import type pg from 'pg';
import { SchemaVersionProbe, SUPPORTED_UPLOAD_SCHEMA_VERSIONS, UploadBatchSchema, type UploadEvent } from '../../common/head-office/upload-schema.ts';
import type { UploadAck, UploadRefusal } from '../../common/head-office/upload-reply.ts';
import { asStation, withClient } from '../db/database.ts';
import { storeEvents } from './projections.ts';

export type IngestOutcome = UploadAck | UploadRefusal;

export interface IngestHooks {
  /** Called inside the transaction, after every row is written and before COMMIT (the crash tests use it). */
  readonly beforeCommit?: (stationId: string, events: readonly UploadEvent[]) => Promise<void>;
}

const refuse = (error: UploadRefusal['error'], message: string, extra: Partial<UploadRefusal> = {}): UploadRefusal => ({ ok: false, error, message, ...extra });

class Refused extends Error {
  readonly refusal: UploadRefusal;
  constructor(refusal: UploadRefusal) {
    super(refusal.message);
    this.refusal = refusal;
  }
}

/** Parses and checks a batch without touching the database. */
export function checkBatch(stationId: string, body: unknown): { ok: true; events: readonly UploadEvent[]; stationLastSeq: number } | UploadRefusal {
  const probe = SchemaVersionProbe.safeParse(body);
  if (!probe.success) return refuse('malformed', 'the batch has no numeric schemaVersion');
  if (!SUPPORTED_UPLOAD_SCHEMA_VERSIONS.includes(probe.data.schemaVersion)) {
    return refuse('unknown_schema_version', `upload schema version ${probe.data.schemaVersion} is not one this head office knows`, { supportedVersions: [...SUPPORTED_UPLOAD_SCHEMA_VERSIONS] });
  }
  const parsed = UploadBatchSchema.safeParse(body);
  if (!parsed.success) {
    const issues = parsed.error.issues.slice(0, 20).map((issue) => ({ path: issue.path.join('.'), message: issue.message }));
    return refuse('malformed', `the batch is malformed: ${issues.map((issue) => `${issue.path || '(batch)'}: ${issue.message}`).join('; ')}`, { issues });
  }
  const batch = parsed.data;
  if (batch.stationId !== stationId) return refuse('wrong_station', `the batch is for station ${batch.stationId}, but it was signed by station ${stationId}`);
  const foreign = batch.events.find((event) => event.stationId !== stationId);
  if (foreign) return refuse('wrong_station', `event ${foreign.eventId} (seq ${foreign.seq}) is for station ${foreign.stationId}, not ${stationId}`);
  return { ok: true, events: batch.events, stationLastSeq: batch.stationLastSeq };
}

/** PostgreSQL errors that say the batch itself is wrong, not the server. */
function refusalFor(error: unknown): UploadRefusal | undefined {
  const { code, constraint, table } = error as { code?: string; constraint?: string; table?: string };
  if (code === '23505' && constraint === 'event_pkey') return refuse('sequence_conflict', 'an event id of this batch is already stored under another sequence number');
  if (code === '23505') return refuse('malformed', `the batch repeats something the head office already holds (${table ?? constraint})`);
  if (code === '23503' && table === 'sale_void') return refuse('unknown_sale', 'a void names a sale the head office does not hold for this station');
  if (code === '42501') return refuse('wrong_station', 'row-level security refused a row of this batch: it belongs to another station');
  return undefined;
}

export async function ingestBatch(pool: pg.Pool, stationId: string, body: unknown, hooks: IngestHooks = {}): Promise<IngestOutcome> {
  const checked = checkBatch(stationId, body);
  if (!checked.ok) return checked;
  const { events, stationLastSeq } = checked;
  try {
    return await withClient(pool, (client) => asStation(client, stationId, async () => {
      const progress = await client.query<{ last_seq: number }>('SELECT last_seq FROM station_progress WHERE station_id = hq_station() FOR UPDATE');
      const lastSeq = progress.rows[0]?.last_seq;
      if (lastSeq === undefined) throw new Refused(refuse('unauthenticated', `station ${stationId} is not enrolled`));
      const first = events[0]?.seq ?? lastSeq + 1;
      if (first > lastSeq + 1) throw new Refused(refuse('sequence_gap', `the head office holds station ${stationId} up to sequence ${lastSeq}; this batch starts at ${first}`, { expectedSeq: lastSeq + 1 }));

      const held = events.filter((event) => event.seq <= lastSeq);
      if (held.length > 0) {
        const { rows } = await client.query<{ seq: number; event_id: string }>(
          'SELECT seq, event_id FROM event WHERE station_id = hq_station() AND seq BETWEEN $1 AND $2',
          [held[0]!.seq, held.at(-1)!.seq],
        );
        const stored = new Map(rows.map((row) => [row.seq, row.event_id]));
        const different = held.find((event) => stored.get(event.seq) !== event.eventId);
        if (different) {
          throw new Refused(refuse('sequence_conflict', `sequence ${different.seq} is held with event ${stored.get(different.seq) ?? '(none)'}, not ${different.eventId}: the station's outbox does not match what it sent before`));
        }
      }
      const fresh = events.filter((event) => event.seq > lastSeq);
      if (fresh.length > 0) await storeEvents(client, fresh);
      const through = Math.max(lastSeq, fresh.at(-1)?.seq ?? 0);
      await client.query(
        `UPDATE station_progress SET last_seq = $1, station_last_seq = greatest(station_last_seq, $2), last_contact_at = now(),
           last_event_at = greatest(last_event_at, $3::timestamptz)
         WHERE station_id = hq_station()`,
        [through, stationLastSeq, fresh.at(-1)?.occurredAt ?? null],
      );
      await hooks.beforeCommit?.(stationId, fresh);
      return { ok: true, ackedThroughSeq: through, stored: fresh.length, duplicates: held.length } satisfies UploadAck;
    }));
  } catch (error) {
    if (error instanceof Refused) return error.refusal;
    const refusal = refusalFor(error);
    if (refusal) return refusal;
    throw error;
  }
}
