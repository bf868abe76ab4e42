/** A key serial number that is malformed or that no DUKPT device could have sent. Never carries key material. */
export class KsnError extends Error {
  override readonly name = 'KsnError';
}
