/** Tests hand the ingest a batch as a value; the service hands it the bytes it received. */
import type pg from 'pg';
import { ingestBatch, type IngestOutcome } from '../ingest/ingest-batch.ts';

export function ingestJson(pool: pg.Pool, stationId: string, batch: unknown): Promise<IngestOutcome> {
  return ingestBatch(pool, stationId, Buffer.from(JSON.stringify(batch)));
}
