/**
 * Issuing X.509 certificates for the host's small PKI: its certification authority, its TLS server
 * certificate and one client certificate per station. Node can parse and verify certificates
 * (crypto.X509Certificate) but not make them, so this file, and only this file, uses
 * @peculiar/x509 over Node's WebCrypto. Everything is ECDSA P-256 with SHA-256: fast to generate
 * and to handshake, and accepted by every TLS 1.3 stack a real acquirer runs.
 *
 * @peculiar/x509 resolves its ASN.1 parsers through tsyringe, which needs the reflect-metadata
 * polyfill loaded first; the import below does that for the host process (the station never
 * issues certificates, so never loads it).
 */
import 'reflect-metadata';
import * as x509 from '@peculiar/x509';
import { createPrivateKey, randomBytes, webcrypto } from 'node:crypto';
import { isIP } from 'node:net';

x509.cryptoProvider.set(webcrypto as Crypto);

const ALGORITHM = { name: 'ECDSA', namedCurve: 'P-256', hash: 'SHA-256' } as const;

/** A certificate and its private key, both PEM (the key PKCS #8). */
export interface CertifiedKey {
  readonly certificatePem: string;
  readonly privateKeyPem: string;
}

export interface DistinguishedName {
  readonly commonName: string;
  readonly organizationalUnit?: string;
  readonly organization: string;
}

export interface Validity {
  readonly notBefore: Date;
  readonly notAfter: Date;
}

export async function createCertificateAuthority(name: DistinguishedName, validity: Validity): Promise<CertifiedKey> {
  const keys = await generateKeys();
  const certificate = await x509.X509CertificateGenerator.createSelfSigned({
    serialNumber: randomSerial(),
    name: distinguishedName(name),
    ...validity,
    keys,
    signingAlgorithm: ALGORITHM,
    extensions: [
      // A CA that signs end-entity certificates only (path length 0).
      new x509.BasicConstraintsExtension(true, 0, true),
      new x509.KeyUsagesExtension(x509.KeyUsageFlags.keyCertSign | x509.KeyUsageFlags.cRLSign, true),
      await x509.SubjectKeyIdentifierExtension.create(keys.publicKey),
    ],
  });
  return { certificatePem: pem(certificate.toString('pem')), privateKeyPem: await exportPrivateKey(keys.privateKey) };
}

export interface EndEntityRequest {
  readonly issuer: CertifiedKey;
  readonly subject: DistinguishedName;
  /** server: TLS server authentication, named by subjectAltNames; client: TLS client authentication. */
  readonly usage: 'server' | 'client';
  /** DNS names and IP addresses the server answers to (server certificates). */
  readonly subjectAltNames?: readonly string[];
  readonly validity: Validity;
}

/** A fresh key pair and its certificate, signed by the issuer's key. */
export async function issueCertificate(request: EndEntityRequest): Promise<CertifiedKey> {
  const keys = await generateKeys();
  const issuerCertificate = new x509.X509Certificate(request.issuer.certificatePem);
  const issuerKey = createPrivateKey(request.issuer.privateKeyPem).toCryptoKey(ALGORITHM, false, ['sign']) as CryptoKey;
  const names = request.subjectAltNames ?? [];
  const certificate = await x509.X509CertificateGenerator.create({
    serialNumber: randomSerial(),
    subject: distinguishedName(request.subject),
    issuer: issuerCertificate.subjectName,
    ...request.validity,
    publicKey: keys.publicKey,
    signingKey: issuerKey,
    signingAlgorithm: ALGORITHM,
    extensions: [
      new x509.BasicConstraintsExtension(false, undefined, true),
      new x509.KeyUsagesExtension(x509.KeyUsageFlags.digitalSignature, true),
      new x509.ExtendedKeyUsageExtension([request.usage === 'server' ? x509.ExtendedKeyUsage.serverAuth : x509.ExtendedKeyUsage.clientAuth], false),
      await x509.SubjectKeyIdentifierExtension.create(keys.publicKey),
      await x509.AuthorityKeyIdentifierExtension.create(issuerCertificate.publicKey),
      ...(names.length === 0 ? [] : [new x509.SubjectAlternativeNameExtension(names.map((value) => ({ type: isIP(value) === 0 ? ('dns' as const) : ('ip' as const), value })), false)]),
    ],
  });
  return { certificatePem: pem(certificate.toString('pem')), privateKeyPem: await exportPrivateKey(keys.privateKey) };
}

function generateKeys(): Promise<CryptoKeyPair> {
  return webcrypto.subtle.generateKey(ALGORITHM, true, ['sign', 'verify']) as Promise<CryptoKeyPair>;
}

async function exportPrivateKey(key: CryptoKey): Promise<string> {
  return pem(x509.PemConverter.encode(await webcrypto.subtle.exportKey('pkcs8', key), 'PRIVATE KEY'));
}

/** 128 random bits, top bit clear so the DER integer stays positive (RFC 5280 §4.1.2.2: at most 20 bytes). */
function randomSerial(): string {
  const bytes = randomBytes(16);
  bytes[0] = bytes[0]! & 0x7f;
  return bytes.toString('hex');
}

/**
 * Each value an explicit UTF8String, not an RFC 4514 string: a terminal ID may hold commas, plus
 * signs, backslashes or a leading '#' (which RFC 4514 would read as hex-encoded DER), and this way
 * every one of them is taken literally.
 */
function distinguishedName({ commonName, organizationalUnit, organization }: DistinguishedName): x509.Name {
  const attribute = (type: string, value: string) => ({ [type]: [{ utf8String: value }] });
  return new x509.Name([attribute('O', organization), ...(organizationalUnit === undefined ? [] : [attribute('OU', organizationalUnit)]), attribute('CN', commonName)]);
}

/** PEM with a final newline, as files and OpenSSL expect. */
function pem(text: string): string {
  return text.endsWith('\n') ? text : `${text}\n`;
}
