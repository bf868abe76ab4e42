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
import { asStation, prepared, withClient } from '../db/database.ts';
import { BatchRefused, refusal } from './batch-refused.ts';
import { storeEvents } from './projections.ts';

export type IngestOutcome = UploadAck | UploadRefusal;

export interface IngestHooks {
  /** Called inside the transaction, after every row is written and before COMMIT (the crash tests use it). */
  readonly beforeCommit?: (stationId: string, events: readonly UploadEvent[]) => Promise<void>;
}

/** Parses and checks a batch without touching the database. */
export function checkBatch(stationId: string, body: unknown): { ok: true; events: readonly UploadEvent[]; stationLastSeq: number } | UploadRefusal {
  const probe = SchemaVersionProbe.safeParse(body);
  if (!probe.success) return refusal('malformed', 'the batch has no numeric schemaVersion');
  if (!SUPPORTED_UPLOAD_SCHEMA_VERSIONS.includes(probe.data.schemaVersion)) {
    return refusal('unknown_schema_version', `upload schema version ${probe.data.schemaVersion} is not one this head office knows`, { supportedVersions: [...SUPPORTED_UPLOAD_SCHEMA_VERSIONS] });
  }
  const parsed = UploadBatchSchema.safeParse(body);
  if (!parsed.success) {
    const issues = parsed.error.issues.slice(0, 20).map((issue) => ({ path: issue.path.join('.'), message: issue.message }));
    return refusal('malformed', `the batch is malformed: ${issues.map((issue) => `${issue.path || '(batch)'}: ${issue.message}`).join('; ')}`, { issues });
  }
  const batch = parsed.data;
  if (batch.stationId !== stationId) return refusal('wrong_station', `the batch is for station ${batch.stationId}, but it was signed by station ${stationId}`);
  const foreign = batch.events.find((event) => event.stationId !== stationId);
  if (foreign) return refusal('wrong_station', `event ${foreign.eventId} (seq ${foreign.seq}) is for station ${foreign.stationId}, not ${stationId}`);
  return { ok: true, events: batch.events, stationLastSeq: batch.stationLastSeq };
}

/**
 * PostgreSQL errors that say the batch itself is wrong, not the server. Every key is scoped by the
 * station, so a repeat is of this station's own rows: a sale, refund or report sent again under new
 * sequence numbers (an outbox rebuilt or restored), never another station's.
 */
function refusalFor(error: unknown): UploadRefusal | undefined {
  const { code, constraint, table } = error as { code?: string; constraint?: string; table?: string };
  if (code === '23505') return refusal('sequence_conflict', `the batch repeats something this station sent before under other sequence numbers (${table ?? constraint}): its outbox does not match what it sent`);
  if (code === '23514' && constraint === 'card_data_is_masked') return refusal('malformed', 'a card outcome carries more than a masked PAN');
  if (code === '42501') return refusal('wrong_station', 'row-level security refused a row of this batch: it belongs to another station');
  return undefined;
}

/** Events at or below `lastSeq` are held already: the ids stored at those sequence numbers must be theirs. */
async function checkHeld(client: pg.ClientBase, held: readonly UploadEvent[]): Promise<void> {
  if (held.length === 0) return;
  const first = held[0]!.seq;
  const last = held.at(-1)!.seq;
  // The batches that hold [first, last]: from the one that starts at or before `first` on.
  const { rows } = await client.query<{ seq: number; event_id: string }>(
    `SELECT b.first_seq + (e.n - 1 - b.skipped) AS seq, e.value ->> 'eventId' AS event_id
       FROM event_batch b, json_array_elements(convert_from(b.body, 'UTF8')::json -> 'events') WITH ORDINALITY AS e(value, n)
      WHERE b.station_id = hq_station() AND b.first_seq <= $2 AND e.n > b.skipped
        AND b.first_seq >= (SELECT max(first_seq) FROM event_batch WHERE station_id = hq_station() AND first_seq <= $1)`,
    [first, last],
  );
  const stored = new Map(rows.map((row) => [row.seq, row.event_id]));
  const different = held.find((event) => stored.get(event.seq) !== event.eventId);
  if (different) {
    throw new BatchRefused('sequence_conflict', `sequence ${different.seq} is held with event ${stored.get(different.seq) ?? '(none)'}, not ${different.eventId}: the station's outbox does not match what it sent before`);
  }
}

/** `body`: the batch exactly as the station sent it (UTF-8 JSON); it is kept as the event log. */
export async function ingestBatch(pool: pg.Pool, stationId: string, body: Uint8Array, hooks: IngestHooks = {}): Promise<IngestOutcome> {
  const parsed = parseJson(body);
  if (parsed === undefined) return refusal('malformed', 'the body is not JSON');
  const checked = checkBatch(stationId, parsed);
  if (!checked.ok) return checked;
  const { events, stationLastSeq } = checked;
  try {
    return await withClient(pool, (client) => asStation(client, stationId, async () => {
      const progress = await client.query<{ last_seq: number }>(prepared('SELECT last_seq FROM station_progress WHERE station_id = hq_station() FOR UPDATE', []));
      const lastSeq = progress.rows[0]?.last_seq;
      if (lastSeq === undefined) throw new BatchRefused('unauthenticated', `station ${stationId} is not enrolled`);
      const first = events[0]?.seq ?? lastSeq + 1;
      if (first > lastSeq + 1) throw new BatchRefused('sequence_gap', `the head office holds station ${stationId} up to sequence ${lastSeq}; this batch starts at ${first}`, { expectedSeq: lastSeq + 1 });

      const held = events.filter((event) => event.seq <= lastSeq);
      await checkHeld(client, held);
      const fresh = events.slice(held.length);
      await storeEvents(client, { body, skipped: held.length, events: fresh });
      const through = Math.max(lastSeq, fresh.at(-1)?.seq ?? 0);
      await client.query(
        prepared(
          `UPDATE station_progress SET last_seq = $1, station_last_seq = greatest(station_last_seq, $2), last_contact_at = now(),
             last_event_at = greatest(last_event_at, $3::timestamptz)
           WHERE station_id = hq_station()`,
          [through, stationLastSeq, fresh.at(-1)?.occurredAt ?? null],
        ),
      );
      await hooks.beforeCommit?.(stationId, fresh);
      return { ok: true, ackedThroughSeq: through, stored: fresh.length, duplicates: held.length } satisfies UploadAck;
    }));
  } catch (error) {
    if (error instanceof BatchRefused) return error.refusal;
    const known = refusalFor(error);
    if (known) return known;
    throw error;
  }
}

function parseJson(body: Uint8Array): unknown {
  try {
    return JSON.parse(Buffer.from(body.buffer, body.byteOffset, body.byteLength).toString('utf8'));
  } catch {
    return undefined;
  }
}
