/**
 * Why a TLS link to a host failed, said for the station's log: the OpenSSL and Node codes of a
 * refused handshake mean little at a counter, and "which side refused what" is what an operator
 * needs to fix it (pin the right CA, re-enrol, renew).
 */
import { ConnectTimeoutError } from './channel.ts';

const REASONS: Readonly<Record<string, string>> = {
  // The station refused the host.
  SELF_SIGNED_CERT_IN_CHAIN: "the host's certificate is not from the pinned CA",
  DEPTH_ZERO_SELF_SIGNED_CERT: "the host's certificate is self-signed, not from the pinned CA",
  UNABLE_TO_VERIFY_LEAF_SIGNATURE: "the host's certificate is not from the pinned CA",
  UNABLE_TO_GET_ISSUER_CERT_LOCALLY: "the host's certificate is not from the pinned CA",
  UNABLE_TO_GET_ISSUER_CERT: "the host's certificate is not from the pinned CA",
  CERT_SIGNATURE_FAILURE: "the host's certificate signature does not verify",
  CERT_HAS_EXPIRED: "the host's certificate has expired",
  CERT_NOT_YET_VALID: "the host's certificate is not valid yet (check the clocks)",
  INVALID_PURPOSE: "the host's certificate is not a server certificate",
  ERR_TLS_CERT_ALTNAME_INVALID: "the host's certificate does not name the address dialled",
  // The host refused the station.
  ERR_SSL_TLSV13_ALERT_CERTIFICATE_REQUIRED: 'the host asked for a client certificate and got none',
  ERR_SSL_TLSV1_ALERT_UNKNOWN_CA: "the host does not accept the station's certificate (not from its CA)",
  ERR_SSL_SSLV3_ALERT_CERTIFICATE_EXPIRED: "the host refused the station's certificate as expired",
  ERR_SSL_SSLV3_ALERT_BAD_CERTIFICATE: "the host refused the station's certificate",
  ERR_SSL_SSLV3_ALERT_CERTIFICATE_UNKNOWN: "the host refused the station's certificate",
  ERR_SSL_TLSV1_ALERT_DECRYPT_ERROR: "the host could not verify the station's certificate",
  // Not TLS at all, or not this TLS.
  ERR_SSL_WRONG_VERSION_NUMBER: 'the host does not answer in TLS (a plain TCP host?)',
  ERR_SSL_PACKET_LENGTH_TOO_LONG: 'the host does not answer in TLS (a plain TCP host?)',
  ERR_SSL_TLSV1_ALERT_PROTOCOL_VERSION: 'the host does not speak TLS 1.3',
  ERR_SSL_UNSUPPORTED_PROTOCOL: 'the host does not speak TLS 1.3',
};

/** "TLS: <reason> (<code>)" for a TLS failure, else the error's own message. */
export function describeLinkFailure(error: Error): string {
  if (error instanceof ConnectTimeoutError && error.inHandshake) return `${error.message} (is the host a plain TCP one?)`;
  const code = (error as NodeJS.ErrnoException).code;
  const reason = code === undefined ? undefined : REASONS[code];
  return reason === undefined ? error.message : `TLS: ${reason} (${code})`;
}
