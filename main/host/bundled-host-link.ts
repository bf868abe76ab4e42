/**
 * How the station asks its bundled host to secure the link, as host command-line arguments
 * (bank/cli-args.ts): under TLS the host enrols the station at every start, so the station's
 * credentials folder holds a valid client certificate for its terminal ID and the host's CA before
 * the host reports it listens; a restarted host finds them valid and issues nothing. For a station
 * configured "plain" the host listens without TLS.
 */
export type BundledHostLink =
  | { readonly transport: 'plain' }
  | { readonly transport: 'tls'; readonly terminalId: string; /** The station's DATA_DIR/acquirer-tls. */ readonly stationTlsDir: string };

export function bundledHostLinkArgs(link: BundledHostLink): string[] {
  return link.transport === 'plain' ? ['--plain'] : ['--enrol-terminal', link.terminalId, '--enrol-dir', link.stationTlsDir];
}
