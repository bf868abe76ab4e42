/**
 * A message that does not fit the profile, on pack or unpack. The message names the field and what
 * is wrong with it but never quotes the data: a field may be a PAN or track 2 (PCI DSS 3.4).
 */
export class IsoFormatError extends Error {
  override name = 'IsoFormatError';
  /** Data element number: 0 is the MTI, 1 the bitmap(s); undefined when no field is to blame. */
  readonly field: number | undefined;
  /** Byte offset in the packed message where the problem starts. */
  readonly offset: number;

  constructor(message: string, offset: number, field?: number) {
    super(`${message} (offset ${offset})`);
    this.offset = offset;
    this.field = field;
  }
}
