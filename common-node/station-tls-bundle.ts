/**
 * A station's credentials for the TLS link to its acquirer host, as three files in one folder (the
 * station's DATA_DIR/acquirer-tls/):
 *
 *   host-ca.crt   the host's certification authority: the only CA the station trusts for the link
 *   station.crt   the station's client certificate; its subject CN is the terminal ID (DE41)
 *   station.key   the certificate's private key, PKCS #8 PEM, owner read/write only (0600)
 *
 * The host writes them when it enrols a station (bank/pki/enrolment.ts: the bundled host for its own
 * station at start, `npm run bank -- enrol` for any other); the station reads them at each connect.
 * Parsing and checks use node:crypto only, so the station never loads the issuing library.
 */
import { createHash, createPrivateKey, type KeyObject, X509Certificate } from 'node:crypto';
import { join } from 'node:path';
import { readIfPresent, writeFileAtomic } from './atomic-file.ts';

export const STATION_TLS_FILES = { hostCa: 'host-ca.crt', certificate: 'station.crt', privateKey: 'station.key' } as const;

export interface StationTlsBundle {
  readonly hostCaPem: string;
  readonly certificatePem: string;
  readonly privateKeyPem: string;
}

export class StationTlsBundleError extends Error {
  override readonly name = 'StationTlsBundleError';
}

/** The bundle in `dir`; a StationTlsBundleError names the file that is missing. */
export function readStationTlsBundle(dir: string): StationTlsBundle {
  const read = (name: string): string => {
    const content = readIfPresent(join(dir, name));
    if (content === undefined) throw new StationTlsBundleError(`no ${name} in ${dir}: the station is not enrolled with its acquirer host`);
    return content.toString('utf8');
  };
  return { hostCaPem: read(STATION_TLS_FILES.hostCa), certificatePem: read(STATION_TLS_FILES.certificate), privateKeyPem: read(STATION_TLS_FILES.privateKey) };
}

/**
 * Writes the bundle, each file atomically: the key first and owner-only, the CA last. A crash part
 * way leaves a bundle whose key and certificate may not match, which inspection reports (and the
 * bundled host re-enrols at its next start).
 */
export function writeStationTlsBundle(dir: string, bundle: StationTlsBundle): void {
  writeFileAtomic(join(dir, STATION_TLS_FILES.privateKey), bundle.privateKeyPem, { mode: 0o600 });
  writeFileAtomic(join(dir, STATION_TLS_FILES.certificate), bundle.certificatePem, { mode: 0o644 });
  writeFileAtomic(join(dir, STATION_TLS_FILES.hostCa), bundle.hostCaPem, { mode: 0o644 });
}

export interface BundleInspection {
  /** The certificate's subject CN: the terminal ID it is for. */
  readonly terminalId: string | undefined;
  readonly validFrom: Date;
  readonly validTo: Date;
  /** SHA-256 of the pinned CA certificate, colon-separated hex (as `openssl x509 -fingerprint -sha256` prints it). */
  readonly hostCaFingerprint: string;
  /** What is wrong with it, in words for a log line; empty when it is usable at `now`. */
  readonly problems: readonly string[];
}

/** Reads what the bundle says and checks it hangs together: key fits certificate, certificate signed by the CA, in date. */
export function inspectStationTlsBundle(bundle: StationTlsBundle, now: Date): BundleInspection {
  const certificate = new X509Certificate(bundle.certificatePem);
  const hostCa = new X509Certificate(bundle.hostCaPem);
  const problems: string[] = [];
  let privateKey: KeyObject | undefined;
  try {
    privateKey = createPrivateKey(bundle.privateKeyPem);
  } catch (error) {
    problems.push(`${STATION_TLS_FILES.privateKey} is not a private key (${(error as Error).message})`);
  }
  if (privateKey !== undefined && !certificate.checkPrivateKey(privateKey)) problems.push(`${STATION_TLS_FILES.privateKey} is not the key of ${STATION_TLS_FILES.certificate}`);
  if (!certificate.checkIssued(hostCa) || !certificate.verify(hostCa.publicKey)) problems.push(`${STATION_TLS_FILES.certificate} is not issued by ${STATION_TLS_FILES.hostCa}`);
  if (now < certificate.validFromDate) problems.push(`${STATION_TLS_FILES.certificate} is not valid before ${certificate.validFromDate.toISOString()}`);
  if (now > certificate.validToDate) problems.push(`${STATION_TLS_FILES.certificate} expired at ${certificate.validToDate.toISOString()}`);
  return { terminalId: commonNameOf(certificate), validFrom: certificate.validFromDate, validTo: certificate.validToDate, hostCaFingerprint: fingerprintOf(hostCa), problems };
}

/** SHA-256 fingerprint of a certificate (PEM, DER or parsed), colon-separated upper-case hex. */
export function fingerprintOf(certificate: X509Certificate): string {
  return createHash('sha256').update(certificate.raw).digest('hex').toUpperCase().match(/../g)!.join(':');
}

/**
 * The subject's common name. Node prints the subject one attribute a line with RFC 4514 escapes
 * (a comma as "\,"), so the value is unescaped; a certificate with no CN, or several, has none.
 */
export function commonNameOf(certificate: X509Certificate): string | undefined {
  const names = certificate.subject.split('\n').filter((line) => line.startsWith('CN='));
  if (names.length !== 1) return undefined;
  return names[0]!.slice(3).replace(/\\([0-9A-Fa-f]{2}|.)/g, (_escape, escaped: string) => (escaped.length === 2 ? String.fromCharCode(Number.parseInt(escaped, 16)) : escaped));
}
