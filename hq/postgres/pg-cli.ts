/**
 * `npm run hq:pg -- start|stop|status [--data DIR]`: the private PostgreSQL cluster on its own
 * (DIR defaults to the head office's data directory). `start` makes sure the hq database and its
 * logins exist and prints DATABASE_URL (the owner login) and HQ_INGEST_DATABASE_URL (the upload login).
 */
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { bootstrapDatabase } from '../db/bootstrap.ts';
import { hqDataDir, PRIVATE_DATABASE } from '../db/resolve-database.ts';
import { privateClusterPid, startPrivateCluster, stopPrivateCluster } from './private-cluster.ts';

const { positionals, values } = parseArgs({ allowPositionals: true, options: { data: { type: 'string' } } });
const dir = values.data ?? join(hqDataDir(), 'postgres');
try {
  switch (positionals[0]) {
    case 'start': {
      const cluster = startPrivateCluster({ dir });
      const logins = await bootstrapDatabase(cluster.url(), PRIVATE_DATABASE);
      console.log(`PostgreSQL ${cluster.startedNow ? 'started' : 'already running'} in ${cluster.dir} (pid ${cluster.pid()})`);
      console.log(`DATABASE_URL=${logins.url}`);
      console.log(`HQ_INGEST_DATABASE_URL=${logins.ingestUrl}`);
      break;
    }
    case 'stop':
      stopPrivateCluster(dir);
      console.log(`PostgreSQL in ${dir} is stopped`);
      break;
    case 'status': {
      const pid = privateClusterPid(dir);
      console.log(pid ? `PostgreSQL in ${dir} is running (pid ${pid})` : `PostgreSQL in ${dir} is not running`);
      break;
    }
    default:
      throw new Error('usage: npm run hq:pg -- start|stop|status [--data DIR]');
  }
} catch (error) {
  console.error(error instanceof Error ? error.message : String(error));
  process.exit(1);
}
