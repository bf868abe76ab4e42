/** The three peripherals, their explicit states, and how the UI learns about them. */
import { z } from 'zod';

export const DEVICE_KINDS = ['cardReader', 'pinPad', 'printer'] as const;
export type DeviceKind = (typeof DEVICE_KINDS)[number];

/** absent → connecting → ready ⇄ busy, with recovering (capped backoff), disconnected and fault. */
export const DEVICE_STATES = ['absent', 'connecting', 'ready', 'busy', 'recovering', 'disconnected', 'fault'] as const;
export type DeviceState = (typeof DEVICE_STATES)[number];

export const DEVICE_MODES = ['auto', 'usb', 'virtual'] as const;
export type DeviceMode = (typeof DEVICE_MODES)[number];

export const DeviceStatusSchema = z.object({
  device: z.enum(DEVICE_KINDS),
  state: z.enum(DEVICE_STATES),
  /** Whether the device is real USB hardware or the station's virtual twin. */
  source: z.enum(['usb', 'virtual']),
  model: z.string(),
  /** What went wrong and what to do about it, when the state is fault or recovering. */
  detail: z.string().optional(),
});
export type DeviceStatus = z.infer<typeof DeviceStatusSchema>;
