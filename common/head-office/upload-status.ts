/**
 * The uploader's state as the checkout's status bar shows it (main/head-office/uploader.ts keeps it):
 * idle: nothing to send · sending · retrying: the last attempt failed, the next is at nextAttemptAt ·
 * refused: the head office refused the batch at the head of the outbox (see lastError) · stopped.
 */
import { z } from 'zod';

export const UPLOADER_STATES = ['idle', 'sending', 'retrying', 'refused', 'stopped'] as const;

export const HeadOfficeStatusSchema = z.object({
  state: z.enum(UPLOADER_STATES),
  /** Events the head office has not acknowledged yet. */
  backlog: z.number().int().min(0),
  oldestPendingAt: z.string().optional(),
  lastAcknowledgedAt: z.string().optional(),
  lastError: z.string().optional(),
  nextAttemptAt: z.string().optional(),
});
export type HeadOfficeStatus = z.infer<typeof HeadOfficeStatusSchema>;
export type UploaderState = HeadOfficeStatus['state'];
