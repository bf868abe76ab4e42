/**
 * `npm run station`: the station in a browser. Prints the checkout and simulated-devices URLs (with
 * the per-run token) and, for scripts and tests, one machine-readable STATION_READY line.
 */
import { defaultDataDir } from '../station/data-dir.ts';
import { launchBrowserStation } from './launch-browser-station.ts';

const log = (line: string) => console.log(line);
const port = process.env.POS_STATION_PORT ? Number(process.env.POS_STATION_PORT) : undefined;
const dataDir = defaultDataDir();

try {
  const station = await launchBrowserStation({ dataDir, ...(port === undefined ? {} : { port }), log });
  const { checkoutUrl, simulatorUrl } = station.server;
  log(`POS station (browser target) is running. Data: ${dataDir}`);
  log(`  checkout:          ${checkoutUrl}`);
  log(`  simulated devices: ${simulatorUrl}`);
  log(`STATION_READY ${JSON.stringify({ checkoutUrl, simulatorUrl })}`);
  const shutdown = () => {
    void station.stop().then(() => process.exit(0));
  };
  process.once('SIGINT', shutdown);
  process.once('SIGTERM', shutdown);
} catch (error) {
  console.error(`The station could not start: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
}
