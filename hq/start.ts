/**
 * `npm run hq`: the head-office service. Uses DATABASE_URL, or a private PostgreSQL cluster in the
 * head office's data directory (HQ_DATA_DIR). Prints the report page's URL (office token included)
 * and one machine-readable HQ_READY line for scripts and tests.
 *
 *   HQ_HOST, HQ_PORT                   where to listen (127.0.0.1:8780; HQ_PORT=0 picks a free port)
 *   HQ_TLS_CERT, HQ_TLS_KEY            PEM files: serve HTTPS
 *   HQ_OFFICE_TOKEN                    the office token (a random one per run otherwise)
 *   HQ_INGEST_DATABASE_URL             a login that is a member of hq_ingest only, for uploads
 *   HQ_SECRET_KEY_FILE                 the key-encryption key of the station secrets ($HQ_DATA_DIR/station-secrets.key)
 *   HQ_POOL_SIZE                       PostgreSQL connections for uploads (10)
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { openHeadOffice } from './db/resolve-database.ts';
import { startHqServer } from './server/hq-server.ts';

const log = (line: string) => console.log(line);
const PAGE_DIR = join(import.meta.dirname, '..', '.vite', 'renderer', 'hq');

try {
  const { database, resolved, close } = await openHeadOffice({ poolSize: Number(process.env.HQ_POOL_SIZE ?? 10), log });
  const tls = process.env.HQ_TLS_CERT && process.env.HQ_TLS_KEY ? { cert: readFileSync(process.env.HQ_TLS_CERT, 'utf8'), key: readFileSync(process.env.HQ_TLS_KEY, 'utf8') } : undefined;
  const server = await startHqServer({
    database,
    pageDir: PAGE_DIR,
    host: process.env.HQ_HOST ?? '127.0.0.1',
    port: process.env.HQ_PORT === undefined ? 8780 : Number(process.env.HQ_PORT),
    ...(tls ? { tls } : {}),
    ...(process.env.HQ_OFFICE_TOKEN ? { officeToken: process.env.HQ_OFFICE_TOKEN } : {}),
    log,
  });
  log(`Head office is running (database: ${resolved.description}).`);
  log(`  station API:  ${server.origin}/v1/`);
  log(`  report page:  ${server.reportUrl}`);
  log(`HQ_READY ${JSON.stringify({ origin: server.origin, reportUrl: server.reportUrl })}`);
  const shutdown = () => {
    void server
      .close()
      .then(close)
      .finally(() => process.exit(0));
  };
  process.once('SIGINT', shutdown);
  process.once('SIGTERM', shutdown);
} catch (error) {
  console.error(`The head office could not start: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
}
