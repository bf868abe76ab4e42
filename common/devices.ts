/** The station's peripherals, their explicit states, and how the UI learns about them. */
import { z } from 'zod';

export const DEVICE_KINDS = ['cardReader', 'pinPad', 'printer', 'chipReader', 'scanner'] as const;
export type DeviceKind = (typeof DEVICE_KINDS)[number];

/** absent → connecting → ready ⇄ busy, with recovering (capped backoff), disconnected and fault. */
export const DEVICE_STATES = ['absent', 'connecting', 'ready', 'busy', 'recovering', 'disconnected', 'fault'] as const;
export type DeviceState = (typeof DEVICE_STATES)[number];

export const DEVICE_MODES = ['auto', 'usb', 'virtual'] as const;
export type DeviceMode = (typeof DEVICE_MODES)[number];

/**
 * What a connected device reports about its own condition, apart from its connection state: a
 * printer can be ready on the bus and still out of paper. The printer's status heartbeat sets these.
 */
export const DEVICE_ALERTS = ['paper_out', 'paper_near_end', 'cover_open', 'printer_error', 'drawer_open', 'drawer_left_open'] as const;
export type DeviceAlert = (typeof DEVICE_ALERTS)[number];

export const DeviceStatusSchema = z.object({
  device: z.enum(DEVICE_KINDS),
  state: z.enum(DEVICE_STATES),
  /** Whether the device is real USB hardware or the station's virtual twin. */
  source: z.enum(['usb', 'virtual']),
  model: z.string(),
  /** What went wrong and what to do about it, when the state is fault or recovering. */
  detail: z.string().optional(),
  /** The device's own condition while connected; absent or empty when all is well. */
  alerts: z.array(z.enum(DEVICE_ALERTS)).optional(),
  /**
   * Only on the device that reads swiped cards: true for an encrypting reader (the PIN pad's head:
   * the station never sees the PAN or a track), false for a plain reader that hands it clear tracks.
   */
  encrypting: z.boolean().optional(),
});
export type DeviceStatus = z.infer<typeof DeviceStatusSchema>;

/**
 * Why a receipt did not print cleanly. `may_be_incomplete`: bytes went out and then the printer
 * failed (unplugged, stalled), so part of it may be on paper. The others were refused before
 * anything was sent. In every case the station prints again only when the cashier asks.
 */
export const RECEIPT_ISSUES = ['may_be_incomplete', 'paper_out', 'cover_open', 'printer_offline', 'printer_unavailable'] as const;
export type ReceiptIssueKind = (typeof RECEIPT_ISSUES)[number];

/** What a print job was: a sale's receipt (rebuilt from the journal for a reprint) or an X/Z report. */
export const PrintedDocumentSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('sale'), saleId: z.string() }),
  z.object({ kind: z.literal('report'), report: z.enum(['X', 'Z']), shiftId: z.number().int() }),
]);
export type PrintedDocument = z.infer<typeof PrintedDocumentSchema>;

export const ReceiptIssueSchema = z.object({
  document: PrintedDocumentSchema,
  issue: z.enum(RECEIPT_ISSUES),
});
export type ReceiptIssue = z.infer<typeof ReceiptIssueSchema>;
