/**
 * Enrolling a station with the host: the host's CA issues the station a client certificate whose
 * subject CN is its terminal ID (DE41), and the station gets the files it needs to connect
 * (common-node/station-tls-bundle.ts: host-ca.crt, station.crt, station.key).
 *
 * The host makes the station's key as well as its certificate, and hands both over with the CA
 * certificate: one step, one folder to copy to the station. A certificate signing request flow
 * (the key made on the station, never leaving it) is what a real acquirer would run; for a host
 * simulator the operator carrying a folder is the simpler honest choice, and the key file is 0600.
 *
 *  - The bundled host enrols its own station at every start (ensureStationEnrolled): it issues only
 *    when the station's files are missing, broken, for another terminal or CA, or near their end.
 *  - `npm run bank -- enrol --terminal ID --out DIR` enrols a station of a host running elsewhere
 *    (enrol-cli.ts), always issuing afresh.
 */
import { X509Certificate } from 'node:crypto';
import { fingerprintOf, inspectStationTlsBundle, readStationTlsBundle, StationTlsBundleError, writeStationTlsBundle, type StationTlsBundle } from '../../common-node/station-tls-bundle.ts';
import { staleness, validityFrom } from './host-pki.ts';
import { issueCertificate, type CertifiedKey, type Validity } from './x509.ts';

/** DE41 is ans8: exactly eight printable ASCII characters, as station.json requires of `merchant.terminalId`. */
const TERMINAL_ID_PATTERN = /^[ -~]{8}$/;

export class EnrolmentError extends Error {
  override readonly name = 'EnrolmentError';
}

export function checkTerminalId(terminalId: string): void {
  if (!TERMINAL_ID_PATTERN.test(terminalId)) throw new EnrolmentError(`a terminal ID is exactly 8 printable ASCII characters (DE41), got ${JSON.stringify(terminalId)}`);
}

/** A station's credentials: a fresh key, its certificate for `terminalId`, and the CA to pin. */
export async function issueStationCredentials(ca: CertifiedKey, terminalId: string, validity: Validity): Promise<StationTlsBundle> {
  checkTerminalId(terminalId);
  const issued = await issueCertificate({
    issuer: ca,
    subject: { commonName: terminalId, organizationalUnit: 'Terminals', organization: 'POS Station acquirer host simulator' },
    usage: 'client',
    validity,
  });
  return { hostCaPem: ca.certificatePem, certificatePem: issued.certificatePem, privateKeyPem: issued.privateKeyPem };
}

export interface EnsureEnrolledOptions {
  readonly terminalId: string;
  /** The station's credentials folder (its DATA_DIR/acquirer-tls). */
  readonly dir: string;
  readonly now: Date;
  readonly log: (line: string) => void;
}

/** Leaves a usable bundle as it is; issues a new one otherwise. Says which it did. */
export async function ensureStationEnrolled(ca: CertifiedKey, options: EnsureEnrolledOptions): Promise<'kept' | 'issued'> {
  const reason = reenrolmentReason(ca, options);
  if (reason === undefined) return 'kept';
  writeStationTlsBundle(options.dir, await issueStationCredentials(ca, options.terminalId, validityFrom(options.now)));
  options.log(`pki: enrolled terminal ${options.terminalId} (${reason}) into ${options.dir}`);
  return 'issued';
}

function reenrolmentReason(ca: CertifiedKey, { terminalId, dir, now }: EnsureEnrolledOptions): string | undefined {
  let bundle: StationTlsBundle;
  try {
    bundle = readStationTlsBundle(dir);
  } catch (error) {
    if (error instanceof StationTlsBundleError) return 'not enrolled yet';
    throw error;
  }
  let inspection;
  try {
    inspection = inspectStationTlsBundle(bundle, now);
  } catch (error) {
    return `its files do not parse: ${(error as Error).message}`;
  }
  if (inspection.problems.length > 0) return inspection.problems.join('; ');
  if (inspection.hostCaFingerprint !== fingerprintOf(new X509Certificate(ca.certificatePem))) return 'it pinned another CA';
  if (inspection.terminalId !== terminalId) return `its certificate was for terminal ${inspection.terminalId ?? '(none)'}`;
  const stale = staleness(new X509Certificate(bundle.certificatePem), now);
  return stale === undefined ? undefined : `its certificate ${stale}`;
}
