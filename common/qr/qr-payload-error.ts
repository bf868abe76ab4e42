/**
 * Why a QR payload was refused. The code is for programs (the virtual phone picks its message by
 * it), the message for people: it names the tag and what was wrong.
 */
export type QrPayloadErrorCode =
  /** The ID–length–value structure does not read: a length that is not two digits, or runs past the end. */
  | 'malformed'
  /** Tag 63 is missing, is not the last object, or does not match the payload. */
  | 'bad_crc'
  /** A data object the payload needs is missing. */
  | 'missing_field'
  /** A data object is present but its value is not allowed (format, length, character set). */
  | 'bad_field'
  /** No merchant account template the reader knows (by its globally unique identifier), or a template ID EMVCo reserves for future use. */
  | 'unknown_template'
  /** The transaction currency (53) is not one the reader accepts. */
  | 'wrong_currency';

export class QrPayloadError extends Error {
  override name = 'QrPayloadError';
  readonly code: QrPayloadErrorCode;

  constructor(code: QrPayloadErrorCode, message: string) {
    super(message);
    this.code = code;
  }
}
