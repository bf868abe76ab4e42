/**
 * `npm run bank -- enrol --terminal ID --out DIR [--data DIR]`: enrols a station with a host that
 * runs elsewhere. It opens the host's CA in the host's data directory (making it if this is the
 * host's first use), issues the station a key and a client certificate for its terminal ID, and
 * writes the three files the station needs into DIR (common-node/station-tls-bundle.ts). The
 * operator copies DIR to the station's data directory as acquirer-tls/.
 */
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { inspectStationTlsBundle, STATION_TLS_FILES, writeStationTlsBundle } from '../common-node/station-tls-bundle.ts';
import { CliUsageError } from './cli-args.ts';
import { checkTerminalId, issueStationCredentials } from './pki/enrolment.ts';
import { openCertificateAuthority, validityFrom } from './pki/host-pki.ts';

export const ENROL_USAGE = `usage: node bank/bank-host.ts enrol --terminal ID --out DIR [--data DIR]
  --terminal  the station's terminal ID (DE41, exactly 8 characters: its station.json merchant.terminalId)
  --out       folder to write ${STATION_TLS_FILES.hostCa}, ${STATION_TLS_FILES.certificate} and ${STATION_TLS_FILES.privateKey} into
              (copy it to the station's data directory as acquirer-tls/)
  --data      the host's data directory, where its CA lives (default: ./var/bank)`;

export interface EnrolArgs {
  readonly help: boolean;
  readonly terminalId: string;
  readonly outDir: string;
  readonly dataDir: string;
}

export function parseEnrolArgs(argv: readonly string[], cwd: string): EnrolArgs {
  let values;
  try {
    ({ values } = parseArgs({
      args: [...argv],
      options: { help: { type: 'boolean', short: 'h' }, terminal: { type: 'string' }, out: { type: 'string' }, data: { type: 'string' } },
      strict: true,
      allowPositionals: false,
    }));
  } catch (error) {
    throw new CliUsageError((error as Error).message);
  }
  if (values.help) return { help: true, terminalId: '', outDir: '', dataDir: '' };
  if (values.terminal === undefined) throw new CliUsageError('--terminal is required');
  if (values.out === undefined) throw new CliUsageError('--out is required');
  return { help: false, terminalId: values.terminal, outDir: resolve(cwd, values.out), dataDir: resolve(cwd, values.data ?? './var/bank') };
}

/** Issues and writes the bundle; returns the lines to print. */
export async function enrol(args: EnrolArgs, now = new Date()): Promise<string[]> {
  // Checked before the CA is touched: a typo must not create a host's CA as a side effect.
  checkTerminalId(args.terminalId);
  const lines: string[] = [];
  const ca = await openCertificateAuthority(args.dataDir, { now, log: (line) => lines.push(line) });
  const bundle = await issueStationCredentials(ca, args.terminalId, validityFrom(now));
  writeStationTlsBundle(args.outDir, bundle);
  const { validTo, hostCaFingerprint } = inspectStationTlsBundle(bundle, now);
  lines.push(
    `enrolled terminal ${args.terminalId} with the host CA in ${join(args.dataDir, 'pki')}`,
    `  CA SHA-256 fingerprint ${hostCaFingerprint}`,
    `  ${join(args.outDir, STATION_TLS_FILES.hostCa)}      the host's CA, which the station pins`,
    `  ${join(args.outDir, STATION_TLS_FILES.certificate)}      the station's client certificate, valid until ${validTo.toISOString()}`,
    `  ${join(args.outDir, STATION_TLS_FILES.privateKey)}      its private key (0600): keep it secret, move it, do not copy it around`,
    `Copy the folder to the station's data directory as acquirer-tls/ and restart the station.`,
  );
  return lines;
}
