/** Command-line arguments of bank-host.ts. */
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';

export const USAGE = `usage: node bank/bank-host.ts [--host ADDRESS] [--port N] [--wallet-port N] [--deck FILE] [--config FILE] [--data DIR]
                            [--plain | --enrol-terminal ID --enrol-dir DIR]
       node bank/bank-host.ts enrol --terminal ID --out DIR [--data DIR]   (see: enrol --help)
  --host            address to listen on (default: the config's, 127.0.0.1)
  --port            TCP port, 0 for any free port (default: the config's, 8583)
  --wallet-port     the wallet platform's HTTP port, 0 for any free port (default: the config's, 8584,
                    when --port is left out too; else a free one)
  --deck            test card deck JSON (default: bank/deck/test-cards.json)
  --config          host config JSON (default: bank/config/host.json)
  --data            directory for the ledger database, the host's keys and its PKI (default: ./var/bank)
  --plain           plain TCP, no TLS (for stations configured with acquirer.transport "plain")
  --enrol-terminal  under TLS, enrol this terminal ID at start, unless it already holds a valid
  --enrol-dir       certificate in this folder (the bundled host enrolling its own station)`;

export class CliUsageError extends Error {
  override name = 'CliUsageError';
}

export interface HostCliArgs {
  readonly help: boolean;
  readonly host?: string;
  readonly port?: number;
  readonly walletPort?: number;
  readonly deckPath?: string;
  readonly configPath?: string;
  readonly dataDir: string;
  readonly transport: 'tls' | 'plain';
  readonly enrolStation?: { readonly terminalId: string; readonly dir: string };
}

/** Paths are resolved against `cwd`; options left out fall back to the config or bundled files. */
export function parseHostCliArgs(argv: readonly string[], cwd: string): HostCliArgs {
  let values;
  try {
    ({ values } = parseArgs({
      args: [...argv],
      options: {
        help: { type: 'boolean', short: 'h' },
        host: { type: 'string' },
        port: { type: 'string' },
        'wallet-port': { type: 'string' },
        deck: { type: 'string' },
        config: { type: 'string' },
        data: { type: 'string' },
        plain: { type: 'boolean' },
        'enrol-terminal': { type: 'string' },
        'enrol-dir': { type: 'string' },
      },
      strict: true,
      allowPositionals: false,
    }));
  } catch (error) {
    throw new CliUsageError((error as Error).message);
  }
  const port = portOption('--port', values.port);
  const walletPort = portOption('--wallet-port', values['wallet-port']);
  const terminalId = values['enrol-terminal'];
  const enrolDir = values['enrol-dir'];
  if ((terminalId === undefined) !== (enrolDir === undefined)) throw new CliUsageError('--enrol-terminal and --enrol-dir go together');
  if (terminalId !== undefined && values.plain) throw new CliUsageError('--plain has no certificates to enrol a station with');
  return {
    help: values.help === true,
    ...(values.host === undefined ? {} : { host: values.host }),
    ...(port === undefined ? {} : { port }),
    ...(walletPort === undefined ? {} : { walletPort }),
    ...(values.deck === undefined ? {} : { deckPath: resolve(cwd, values.deck) }),
    ...(values.config === undefined ? {} : { configPath: resolve(cwd, values.config) }),
    dataDir: resolve(cwd, values.data ?? './var/bank'),
    transport: values.plain ? 'plain' : 'tls',
    ...(terminalId === undefined || enrolDir === undefined ? {} : { enrolStation: { terminalId, dir: resolve(cwd, enrolDir) } }),
  };
}

function portOption(name: string, value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const port = Number(value);
  if (!/^\d+$/.test(value) || port > 65535) throw new CliUsageError(`${name} must be 0–65535, got ${value}`);
  return port;
}
