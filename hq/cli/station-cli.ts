/**
 * `npm run hq:station -- add STATION --shop SHOP [--shop-name NAME] [--name NAME]`: enrols a station
 * and prints its credential (JSON) once, for the station's configuration.
 * `npm run hq:station -- new-key STATION`: issues a new key and revokes the old ones.
 * `npm run hq:station -- list`
 */
import { parseArgs } from 'node:util';
import { enrolStation, listStations, replaceStationKey } from '../stations/stations.ts';
import { runCli, withHqDatabase } from './cli-database.ts';

const USAGE = 'usage: npm run hq:station -- add STATION --shop SHOP [--shop-name NAME] [--name NAME] | new-key STATION | list';

runCli(async () => {
  const { positionals, values } = parseArgs({
    allowPositionals: true,
    options: { shop: { type: 'string' }, 'shop-name': { type: 'string' }, name: { type: 'string' } },
  });
  const [command, stationId] = positionals;
  await withHqDatabase(async (database) => {
    if (command === 'add' && stationId && values.shop) {
      const credential = await enrolStation(database, {
        stationId,
        shopId: values.shop,
        ...(values['shop-name'] ? { shopName: values['shop-name'] } : {}),
        ...(values.name ? { name: values.name } : {}),
      });
      console.log(JSON.stringify(credential, null, 2));
      console.error('Keep the secret: it is shown only now. It goes into the station’s head-office settings.');
    } else if (command === 'new-key' && stationId) {
      console.log(JSON.stringify(await replaceStationKey(database, stationId), null, 2));
    } else if (command === 'list') {
      for (const station of await listStations(database.office)) {
        console.log(`${station.stationId}\t${station.shopId}\t${station.name}\tseq ${station.lastSeq}\tlast contact ${station.lastContactAt?.toISOString() ?? 'never'}`);
      }
    } else {
      throw new Error(USAGE);
    }
  });
});
