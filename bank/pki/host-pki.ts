/**
 * The host's own small PKI, in DATA_DIR/pki/ (the folder owner-only):
 *
 *   ca.pem     the certification authority: its private key and certificate, one file (0600), made
 *              once at the first start and never replaced, so every station enrolled stays enrolled
 *   ca.crt     the CA certificate alone, for an operator to hand to a station (`enrol` does it)
 *   host.pem   the TLS server key and certificate (0600), renewed at start when it is near its end,
 *              was issued by another CA, or does not name every address the host answers to
 *
 * The CA key and certificate share a file because they must be made together: two processes
 * creating the CA at once (the host and an `enrol` on a fresh data dir) must not end up with one's
 * key and the other's certificate. The file is created once (common-node/atomic-file.ts), so the
 * loser of such a race reads the winner's CA. A restarted host (the station supervises it) finds
 * all of it in place and issues nothing.
 */
import { randomBytes, X509Certificate } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createFileOnce, readIfPresent, writeFileAtomic } from '../../common-node/atomic-file.ts';
import { fingerprintOf } from '../../common-node/station-tls-bundle.ts';
import { createCertificateAuthority, issueCertificate, type CertifiedKey } from './x509.ts';

const PKI_DIR_NAME = 'pki';
const ORGANIZATION = 'POS Station acquirer host simulator';
const DAY_MS = 86_400_000;
const CA_VALIDITY_DAYS = 3650;
/** Server and station certificates: a year, renewed (bundled) or re-enrolled (remote) before the end. */
const CERTIFICATE_VALIDITY_DAYS = 365;
/** A certificate with less than this left is renewed at start. */
const RENEW_BEFORE_DAYS = 30;
/** Backdating covers a station whose clock runs a little behind the host's. */
const BACKDATE_MS = 3_600_000;

export interface HostPki {
  readonly ca: CertifiedKey;
  /** SHA-256 of the CA certificate, colon-separated hex: what an operator compares on a station. */
  readonly caFingerprint: string;
  readonly server: CertifiedKey;
}

export interface OpenHostPkiOptions {
  /** Names and addresses stations reach the host by; the server certificate names each. */
  readonly serverNames: readonly string[];
  readonly now: Date;
  readonly log: (line: string) => void;
}

/** The host's CA and server certificate, made or renewed as needed. */
export async function openHostPki(dataDir: string, options: OpenHostPkiOptions): Promise<HostPki> {
  const ca = await openCertificateAuthority(dataDir, options);
  const server = await openServerCertificate(join(dataDir, PKI_DIR_NAME), ca, options);
  return { ca, caFingerprint: fingerprintOf(new X509Certificate(ca.certificatePem)), server };
}

/** The CA, created on first use (only the CA: `enrol` needs no server certificate). */
export async function openCertificateAuthority(dataDir: string, options: Pick<OpenHostPkiOptions, 'now' | 'log'>): Promise<CertifiedKey> {
  const dir = join(dataDir, PKI_DIR_NAME);
  const path = join(dir, 'ca.pem');
  let content = readIfPresent(path);
  if (content === undefined) {
    // A name of its own: two hosts' CAs are told apart by name as well as by key.
    const made = await createCertificateAuthority(
      { commonName: `${ORGANIZATION} CA ${randomBytes(4).toString('hex').toUpperCase()}`, organization: ORGANIZATION },
      validityFrom(options.now, CA_VALIDITY_DAYS),
    );
    const outcome = createFileOnce(path, `${made.privateKeyPem}${made.certificatePem}`, { mode: 0o600 });
    if (outcome === 'created') options.log(`pki: created the host's certification authority in ${path}`);
    content = readFileSync(path);
  }
  const ca = splitCertifiedKey(content.toString('utf8'), path);
  // ca.crt is derived from ca.pem; rewritten whenever it is missing or stale.
  const certificatePath = join(dir, 'ca.crt');
  if (readIfPresent(certificatePath)?.toString('utf8') !== ca.certificatePem) writeFileAtomic(certificatePath, ca.certificatePem, { mode: 0o644 });
  return ca;
}

async function openServerCertificate(dir: string, ca: CertifiedKey, options: OpenHostPkiOptions): Promise<CertifiedKey> {
  const path = join(dir, 'host.pem');
  const content = readIfPresent(path);
  const current = content === undefined ? undefined : splitCertifiedKey(content.toString('utf8'), path);
  const reason = current === undefined ? 'none yet' : renewalReason(current, ca, options);
  if (current !== undefined && reason === undefined) return current;
  const server = await issueCertificate({
    issuer: ca,
    subject: { commonName: options.serverNames[0] ?? 'localhost', organizationalUnit: 'Acquirer host', organization: ORGANIZATION },
    usage: 'server',
    subjectAltNames: options.serverNames,
    validity: validityFrom(options.now),
  });
  writeFileAtomic(path, `${server.privateKeyPem}${server.certificatePem}`, { mode: 0o600 });
  options.log(`pki: issued the host's server certificate for ${options.serverNames.join(', ')} (${reason}) in ${path}`);
  return server;
}

/** Why the server certificate must be replaced, or undefined when it can stay. */
function renewalReason(server: CertifiedKey, ca: CertifiedKey, options: OpenHostPkiOptions): string | undefined {
  const certificate = new X509Certificate(server.certificatePem);
  const issuer = new X509Certificate(ca.certificatePem);
  if (!certificate.checkIssued(issuer) || !certificate.verify(issuer.publicKey)) return 'issued by another CA';
  const stale = staleness(certificate, options.now);
  if (stale !== undefined) return stale;
  const named = (certificate.subjectAltName ?? '').split(', ');
  const missing = options.serverNames.filter((name) => !named.includes(`DNS:${name}`) && !named.includes(`IP Address:${normalizeIp(name)}`));
  return missing.length > 0 ? `did not name ${missing.join(', ')}` : undefined;
}

/** 'expired', 'expires within N days' or 'not yet valid', or undefined while comfortably in date. */
export function staleness(certificate: X509Certificate, now: Date): string | undefined {
  if (now < certificate.validFromDate) return 'not yet valid';
  if (now > certificate.validToDate) return 'expired';
  if (certificate.validToDate.getTime() - now.getTime() < RENEW_BEFORE_DAYS * DAY_MS) return `expires within ${RENEW_BEFORE_DAYS} days`;
  return undefined;
}

export function validityFrom(now: Date, days = CERTIFICATE_VALIDITY_DAYS): { notBefore: Date; notAfter: Date } {
  return { notBefore: new Date(now.getTime() - BACKDATE_MS), notAfter: new Date(now.getTime() + days * DAY_MS) };
}

/** Node prints IPv6 SANs in full ("0:0:0:0:0:0:0:1"); "::1" in the config must match it. */
function normalizeIp(name: string): string {
  if (!name.includes(':')) return name;
  const [head = '', tail = ''] = name.split('::');
  const left = head === '' ? [] : head.split(':');
  const right = tail === '' ? [] : tail.split(':');
  const groups = name.includes('::') ? [...left, ...Array<string>(8 - left.length - right.length).fill('0'), ...right] : left;
  return groups.map((group) => Number.parseInt(group, 16).toString(16).toUpperCase()).join(':');
}

/** A PEM file holding a private key and then its certificate. */
function splitCertifiedKey(text: string, path: string): CertifiedKey {
  const key = /-----BEGIN PRIVATE KEY-----[\s\S]+?-----END PRIVATE KEY-----\n?/.exec(text);
  const certificate = /-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----\n?/.exec(text);
  if (key === null || certificate === null) throw new Error(`${path} must hold a private key and a certificate (PEM)`);
  return { privateKeyPem: key[0].endsWith('\n') ? key[0] : `${key[0]}\n`, certificatePem: certificate[0].endsWith('\n') ? certificate[0] : `${certificate[0]}\n` };
}
