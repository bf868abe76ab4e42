/**
 * Prints the risk log of a host's data directory, for a reviewer (read-only: the host may be running):
 *   node bank/risk-review.ts --data DIR [--since ISO] [--json] [--events]
 * One row per purchase of a card the host issued: when, the risk decision ("skipped" when the card
 * checks declined first), the final DE39, masked PAN, terminal, STAN, amount and the rules' reasons.
 * With --events, the risk events instead (a terminal ID signing on from a second connection).
 */
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { parseArgs } from 'node:util';
import { LEDGER_FILE_NAME } from './ledger/ledger.ts';
import { formatRiskLogTable } from './risk/risk-log-table.ts';
import { readRiskEvents } from './risk/risk-events.ts';
import { readRiskLog } from './risk/risk-log.ts';

const USAGE = `usage: node bank/risk-review.ts --data DIR [--since ISO] [--json] [--events]
  --data    the host's data directory (where ${LEDGER_FILE_NAME} is)
  --since   only rows at or after this instant, ISO 8601 (e.g. 2026-11-21T08:00:00Z)
  --json    one JSON array instead of a table
  --events  the risk events (a terminal signing on twice) instead of the purchases`;

function fail(message: string, code: number): never {
  process.stderr.write(`${message}\n`);
  process.exit(code);
}

let values;
try {
  ({ values } = parseArgs({
    options: { data: { type: 'string' }, since: { type: 'string' }, json: { type: 'boolean' }, events: { type: 'boolean' }, help: { type: 'boolean', short: 'h' } },
    strict: true,
    allowPositionals: false,
  }));
} catch (error) {
  fail(`${(error as Error).message}\n${USAGE}`, 2);
}
if (values.help) {
  process.stdout.write(`${USAGE}\n`);
  process.exit(0);
}
if (values.data === undefined) fail(`--data is required\n${USAGE}`, 2);
const sinceMs = values.since === undefined ? 0 : Date.parse(values.since);
if (Number.isNaN(sinceMs)) fail(`--since must be an ISO 8601 date or instant, got ${values.since}`, 2);

const path = join(resolve(values.data), LEDGER_FILE_NAME);
if (!existsSync(path)) fail(`no host database at ${path}`, 1);
const db = new DatabaseSync(path, { readOnly: true });
try {
  const since = new Date(sinceMs).toISOString();
  if (values.events) {
    const events = readRiskEvents(db, since);
    const text = events.length === 0 ? 'no risk events\n' : events.map((event) => `${event.at}  ${event.kind}  ${event.tid.trimEnd()}  ${event.detail}\n`).join('');
    process.stdout.write(values.json ? `${JSON.stringify(events, null, 2)}\n` : text);
  } else {
    const hasLog = db.prepare("SELECT 1 FROM sqlite_schema WHERE type = 'table' AND name = 'risk_log'").get() !== undefined;
    const entries = hasLog ? readRiskLog(db, since) : [];
    process.stdout.write(values.json ? `${JSON.stringify(entries, null, 2)}\n` : formatRiskLogTable(entries));
  }
} finally {
  db.close();
}
