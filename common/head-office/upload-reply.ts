/**
 * The head office's answer to an upload. An acknowledgement says how far it holds the station's
 * events; a refusal names what was wrong, and nothing of the batch was stored.
 */
import { z } from 'zod';

export const UploadAckSchema = z.object({
  ok: z.literal(true),
  /** Every event of the station up to this sequence is stored at the head office. */
  ackedThroughSeq: z.number().int().min(0),
  /** Events of this batch stored now, and those it already had (a resend after a lost acknowledgement). */
  stored: z.number().int().min(0),
  duplicates: z.number().int().min(0),
});
export type UploadAck = z.infer<typeof UploadAckSchema>;

/**
 * malformed: the batch does not parse or its figures do not add up · unknown_schema_version ·
 * wrong_station: an event, or the envelope, names a station other than the authenticated one ·
 * sequence_gap: the batch starts after `expectedSeq`; resend from there · sequence_conflict: a
 * sequence number the head office holds with a different event id (the station's outbox was
 * reset or restored: an operator must look) · unknown_sale: a void of a sale the head office does
 * not hold · unauthenticated: no valid station signature · too_large · not_found · server_error.
 */
export const UPLOAD_ERRORS = [
  'malformed',
  'unknown_schema_version',
  'wrong_station',
  'sequence_gap',
  'sequence_conflict',
  'unknown_sale',
  'unauthenticated',
  'too_large',
  'not_found',
  'server_error',
] as const;
export type UploadErrorCode = (typeof UPLOAD_ERRORS)[number];

export const UploadRefusalSchema = z.object({
  ok: z.literal(false),
  error: z.enum(UPLOAD_ERRORS),
  message: z.string(),
  /** sequence_gap: the first sequence the head office is missing. */
  expectedSeq: z.number().int().min(1).optional(),
  /** malformed: where, in the batch. */
  issues: z.array(z.object({ path: z.string(), message: z.string() })).optional(),
  supportedVersions: z.array(z.number().int()).optional(),
});
export type UploadRefusal = z.infer<typeof UploadRefusalSchema>;

export const UploadReplySchema = z.discriminatedUnion('ok', [UploadAckSchema, UploadRefusalSchema]);
export type UploadReply = z.infer<typeof UploadReplySchema>;
