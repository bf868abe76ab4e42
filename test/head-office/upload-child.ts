/**
 * A station's uploader in a process of its own, so a test can kill -9 it: sends the outbox in
 * OUTBOX_PATH to HQ_URL as the station in HQ_CREDENTIAL (JSON), prints ACK lines as batches are
 * acknowledged and DRAINED when nothing is left.
 */
import { DatabaseSync } from 'node:sqlite';
import { HeadOfficeClient } from '../../main/head-office/head-office-client.ts';
import { SqliteOutbox } from '../../main/head-office/sqlite-outbox.ts';
import { Uploader } from '../../main/head-office/uploader.ts';

const db = new DatabaseSync(process.env.OUTBOX_PATH!);
db.exec('PRAGMA busy_timeout = 5000');
const outbox = new SqliteOutbox(db);
const uploader = new Uploader({
  outbox,
  client: new HeadOfficeClient({ url: process.env.HQ_URL!, credential: JSON.parse(process.env.HQ_CREDENTIAL!) }),
  batchSize: Number(process.env.BATCH_SIZE ?? 20),
  retryBaseMs: 20,
  retryMaxMs: 200,
});
let lastBacklog = -1;
uploader.onStatus((status) => {
  if (status.backlog !== lastBacklog) console.log(`BACKLOG ${status.backlog}`);
  lastBacklog = status.backlog;
});
uploader.start();
await uploader.drained();
await uploader.stop();
console.log('DRAINED');
