/**
 * Entry point of the acquirer/issuer host simulator, its own process:
 *   node bank/bank-host.ts --port 8583 --deck FILE --config FILE --data DIR [--plain]
 *   node bank/bank-host.ts enrol --terminal ID --out DIR [--data DIR]
 * Kept thin: it parses arguments, starts the host, tells a parent process (if any) where it
 * listens, and shuts down cleanly on SIGTERM/SIGINT or when the parent goes away; or it enrols a
 * station and exits.
 *
 * No top-level await: the Electron build bundles this file as CommonJS for a utilityProcess.
 */
import { join } from 'node:path';
import { CliUsageError, parseHostCliArgs, USAGE, type HostCliArgs } from './cli-args.ts';
import { enrol, ENROL_USAGE, parseEnrolArgs } from './enrol-cli.ts';
import { connectToParent } from './parent-link.ts';
import { startHost, type RunningHost } from './start-host.ts';

async function enrolCommand(argv: readonly string[]): Promise<void> {
  try {
    const args = parseEnrolArgs(argv, process.cwd());
    if (args.help) {
      process.stdout.write(`${ENROL_USAGE}\n`);
      process.exit(0);
    }
    process.stdout.write(`${(await enrol(args)).join('\n')}\n`);
    process.exit(0);
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    const usage = error instanceof CliUsageError;
    process.stderr.write(`${usage ? `${message}\n${ENROL_USAGE}` : `enrolment failed: ${message}`}\n`);
    process.exit(usage ? 2 : 1);
  }
}

async function main(): Promise<void> {
  if (process.argv[2] === 'enrol') return enrolCommand(process.argv.slice(3));
  const parent = connectToParent();

  let args: HostCliArgs;
  try {
    args = parseHostCliArgs(process.argv.slice(2), process.cwd());
  } catch (error) {
    if (!(error instanceof CliUsageError)) throw error;
    process.stderr.write(`${error.message}\n${USAGE}\n`);
    await parent?.send({ type: 'failed', message: error.message });
    process.exit(2);
  }
  if (args.help) {
    process.stdout.write(`${USAGE}\n`);
    process.exit(0);
  }

  let host: RunningHost;
  try {
    // The log file sits with the ledger: <data>/logs/host.log (the station's bundled host: <station data>/bank/logs).
    host = await startHost({ ...args, logDir: join(args.dataDir, 'logs') });
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    process.stderr.write(`bank host failed to start: ${message}\n`);
    await parent?.send({ type: 'failed', message });
    process.exit(1);
  }

  const wallet = host.wallet === undefined ? '' : `, wallet platform on ${host.wallet.host}:${host.wallet.port}`;
  const transport = host.transport === 'tls' ? `TLS 1.3 with client certificates, CA SHA-256 ${host.caFingerprint ?? '?'}` : 'plain TCP, NOT ENCRYPTED';
  process.stdout.write(`bank host listening on ${host.host}:${host.port} (${transport})${wallet}, ledger ${host.ledgerPath}\n`);
  await parent?.send({ type: 'listening', host: host.host, port: host.port, ...(host.wallet === undefined ? {} : { wallet: host.wallet }) });

  let stopping = false;
  const stop = async (reason: string): Promise<void> => {
    if (stopping) return;
    stopping = true;
    process.stdout.write(`bank host stopping: ${reason}\n`);
    await host.close();
    process.exit(0);
  };
  process.once('SIGTERM', () => void stop('SIGTERM'));
  process.once('SIGINT', () => void stop('SIGINT'));
  parent?.onStopRequested((reason) => void stop(reason));
  parent?.onStatsRequested(() => host.commitStats());
}

void main();
