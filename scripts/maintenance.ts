/**
 * `npm run support-bundle | backup | restore -- …` from a source checkout: the counter PC's
 * maintenance commands (main/support/maintenance-commands.ts; the installed app runs the same ones
 * as `pos-station support-bundle | backup | restore …`). The data directory is POS_DATA_DIR, else the
 * browser target's default, unless --data names one.
 */
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { maintenanceCommandOf, runMaintenanceCommand } from '../main/support/maintenance-commands.ts';
import { defaultDataDir } from '../main/station/data-dir.ts';

const root = resolve(import.meta.dirname, '..');
const [, , ...args] = process.argv;
const command = maintenanceCommandOf(args);
if (command === undefined) {
  console.error('usage: node scripts/maintenance.ts support-bundle|backup|restore …');
  process.exit(2);
}
const { version } = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { version: string };
process.exitCode = await runMaintenanceCommand(command, args.slice(1), {
  dataDir: defaultDataDir(),
  hostConfigPath: join(root, 'bank', 'config', 'host.json'),
  appVersion: version,
  invocation: (name) => `npm run ${name} --`,
  print: (line) => console.log(line),
  printError: (line) => console.error(line),
});
