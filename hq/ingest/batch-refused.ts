/** A batch the head office refuses as a whole: thrown inside its transaction, which then rolls back. */
import type { UploadRefusal } from '../../common/head-office/upload-reply.ts';

export const refusal = (error: UploadRefusal['error'], message: string, extra: Partial<UploadRefusal> = {}): UploadRefusal => ({ ok: false, error, message, ...extra });

export class BatchRefused extends Error {
  readonly refusal: UploadRefusal;
  constructor(error: UploadRefusal['error'], message: string, extra: Partial<UploadRefusal> = {}) {
    super(message);
    this.refusal = refusal(error, message, extra);
  }
}
