/**
 * How the station's link to its acquirer is protected, from station.json's `acquirer.transport`:
 *
 *  - "tls" (the default): TLS 1.3 with mutual authentication. The station trusts only the host CA
 *    in its credentials folder (DATA_DIR/acquirer-tls, common-node/station-tls-bundle.ts) and
 *    presents its own client certificate, whose CN is its terminal ID. The bundled host writes the
 *    folder at start; for a host elsewhere the operator copies in what `npm run bank -- enrol` made.
 *  - "plain": TCP without TLS, for a host that has none. The whole ISO 8583 exchange, card data
 *    included, then crosses the network in clear: the log says so at start and the checkout's
 *    status bar shows the link as not encrypted.
 */
import { join } from 'node:path';
import type { LinkTransport } from '../../common/acquirer.ts';
import { inspectStationTlsBundle, readStationTlsBundle, STATION_TLS_FILES } from '../../common-node/station-tls-bundle.ts';
import type { IsoTlsClientOptions } from '../../payments/iso8583/channel.ts';

/** The station's credentials folder, inside its data directory. */
const STATION_TLS_DIR_NAME = 'acquirer-tls';
const DAY_MS = 86_400_000;
/** A certificate with less than this left is warned about at start (a remote host's must be re-enrolled by hand). */
const EXPIRY_WARNING_DAYS = 30;

export interface LinkSecurity {
  readonly transport: LinkTransport;
  /** For the endpoint: the credentials, read afresh at each connect; undefined for plain TCP. */
  readonly credentials: (() => IsoTlsClientOptions) | undefined;
  /** The line (or lines) the log gets at start. */
  describe(endpoint: string, now: Date): string[];
}

export interface LinkSecurityOptions {
  readonly transport: LinkTransport;
  readonly dataDir: string;
  /** The configured DE41, which the client certificate must name. */
  readonly terminalId: string;
}

export function stationTlsDir(dataDir: string): string {
  return join(dataDir, STATION_TLS_DIR_NAME);
}

export function linkSecurity({ transport, dataDir, terminalId }: LinkSecurityOptions): LinkSecurity {
  if (transport === 'plain') {
    return {
      transport,
      credentials: undefined,
      describe: (endpoint) => [
        `acquirer link: NOT ENCRYPTED: plain TCP to ${endpoint} (station.json acquirer.transport "plain"); the ISO 8583 messages, card data included, cross the network in clear`,
      ],
    };
  }
  const dir = stationTlsDir(dataDir);
  const read = () => readStationTlsBundle(dir);
  return {
    transport,
    credentials: () => {
      const bundle = read();
      return { ca: bundle.hostCaPem, certificate: bundle.certificatePem, privateKey: bundle.privateKeyPem };
    },
    describe(endpoint, now) {
      let inspection;
      try {
        inspection = inspectStationTlsBundle(read(), now);
      } catch (error) {
        return [`acquirer link: TLS to ${endpoint}, but the station cannot use its credentials: ${error instanceof Error ? error.message : String(error)}; ${enrolHint(terminalId, dir)}`];
      }
      const lines = [
        `acquirer link: TLS 1.3 to ${endpoint} with mutual authentication: client certificate for terminal ${inspection.terminalId ?? '(none)'} valid until ${inspection.validTo.toISOString()}, pinned host CA SHA-256 ${inspection.hostCaFingerprint} (${dir})`,
      ];
      if (inspection.problems.length > 0) lines.push(`acquirer link: the credentials in ${dir} will be refused: ${inspection.problems.join('; ')}; ${enrolHint(terminalId, dir)}`);
      else if (inspection.validTo.getTime() - now.getTime() < EXPIRY_WARNING_DAYS * DAY_MS) lines.push(`acquirer link: the station's certificate ends within ${EXPIRY_WARNING_DAYS} days; ${enrolHint(terminalId, dir)}`);
      if (inspection.terminalId !== terminalId) {
        lines.push(`acquirer link: the client certificate is for terminal ${inspection.terminalId ?? '(none)'} but station.json says ${terminalId}: the host refuses every request (58); ${enrolHint(terminalId, dir)}`);
      }
      return lines;
    },
  };
}

function enrolHint(terminalId: string, dir: string): string {
  return `enrol the station again (npm run bank -- enrol --terminal '${terminalId}' --out DIR, then copy ${STATION_TLS_FILES.hostCa}, ${STATION_TLS_FILES.certificate} and ${STATION_TLS_FILES.privateKey} into ${dir}; the bundled host does it at its next start)`;
}
