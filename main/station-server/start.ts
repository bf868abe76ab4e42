/**
 * `npm run station`: the station in a browser. Prints each page's link (with that page's own per-run
 * token) and, for scripts and tests, one machine-readable line:
 *   STATION_READY {"pages":{"index.html":"http://127.0.0.1:…/#token=…","simulator.html":"…"}}
 * A station with real devices only (devices mode "usb") has no simulator.html entry.
 */
import { defaultDataDir } from '../station/data-dir.ts';
import { favourMemoryOverSpeed } from '../station/heap-profile.ts';
import { launchBrowserStation } from './launch-browser-station.ts';

favourMemoryOverSpeed();

const log = (line: string) => console.log(line);
const port = process.env.POS_STATION_PORT ? Number(process.env.POS_STATION_PORT) : undefined;
const dataDir = defaultDataDir();

try {
  const station = await launchBrowserStation({ dataDir, ...(port === undefined ? {} : { port }), log });
  const { pages } = station.server;
  log(`POS station (browser target) is running. Data: ${dataDir}`);
  for (const page of pages) log(`  ${`${page.label}:`.padEnd(19)}${page.url}`);
  log(`STATION_READY ${JSON.stringify({ pages: Object.fromEntries(pages.map((page) => [page.path, page.url])) })}`);
  const shutdown = () => {
    void station.stop().then(() => process.exit(0));
  };
  process.once('SIGINT', shutdown);
  process.once('SIGTERM', shutdown);
} catch (error) {
  console.error(`The station could not start: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
}
