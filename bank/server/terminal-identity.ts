/**
 * Who is on the other end of a TLS connection: the terminal ID its client certificate names (the
 * subject CN the host's CA put there at enrolment), and why a refused handshake was refused, in
 * words for the host log.
 */
import type tls from 'node:tls';
import { commonNameOf } from '../../common-node/station-tls-bundle.ts';

/** The terminal the peer's verified certificate is for; undefined when it names no single CN. */
export function terminalIdOf(socket: tls.TLSSocket): string | undefined {
  const certificate = socket.getPeerX509Certificate();
  return certificate === undefined ? undefined : commonNameOf(certificate);
}

/** Why a client that completed the handshake is refused (no certificate, not from the host's CA, out of date), or undefined. */
export function clientRefusal(socket: tls.TLSSocket): string | undefined {
  if (socket.authorized) return undefined;
  const certificate = socket.getPeerX509Certificate();
  if (certificate === undefined) return 'the client sent no certificate';
  const code = String(socket.authorizationError ?? 'not verified');
  return `${CERTIFICATE_PROBLEMS[code] ?? 'the client certificate does not verify'} (${code})`;
}

const CERTIFICATE_PROBLEMS: Readonly<Record<string, string>> = {
  CERT_HAS_EXPIRED: 'the client certificate has expired',
  CERT_NOT_YET_VALID: 'the client certificate is not valid yet',
  UNABLE_TO_VERIFY_LEAF_SIGNATURE: "the client certificate is not from this host's CA",
  UNABLE_TO_GET_ISSUER_CERT: "the client certificate is not from this host's CA",
  UNABLE_TO_GET_ISSUER_CERT_LOCALLY: "the client certificate is not from this host's CA",
  SELF_SIGNED_CERT_IN_CHAIN: "the client certificate is not from this host's CA",
  DEPTH_ZERO_SELF_SIGNED_CERT: "the client certificate is self-signed, not from this host's CA",
  CERT_SIGNATURE_FAILURE: 'the client certificate signature does not verify',
  INVALID_PURPOSE: 'the certificate is not a client certificate',
};

/** OpenSSL's reasons for a handshake that failed, said for a reader of the host log. */
export function describeTlsRefusal(error: Error): string {
  const code = (error as NodeJS.ErrnoException).code ?? '';
  const reason = REASONS[code];
  return reason === undefined ? error.message : `${reason} (${code})`;
}

const REASONS: Readonly<Record<string, string>> = {
  ERR_SSL_PEER_DID_NOT_RETURN_A_CERTIFICATE: 'the client sent no certificate',
  ERR_SSL_NO_SHARED_CIPHER: 'no cipher in common',
  ERR_SSL_UNSUPPORTED_PROTOCOL: 'the client does not speak TLS 1.3',
  ERR_SSL_WRONG_VERSION_NUMBER: 'not a TLS handshake (a plain TCP client?)',
  ERR_SSL_HTTP_REQUEST: 'not a TLS handshake',
  ERR_SSL_TLSV1_ALERT_UNKNOWN_CA: "the client does not trust this host's certificate (it pins another CA)",
  ERR_SSL_SSLV3_ALERT_BAD_CERTIFICATE: "the client refused this host's certificate",
  ECONNRESET: "the client hung up during the handshake (as one that does not trust this host's certificate does)",
};
