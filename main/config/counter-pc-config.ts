/**
 * The counter-PC parts of station.json: log files, backups, kiosk mode and autostart. Each block
 * has defaults, so a station.json written before they existed still loads. docs/counter-pc.md
 * explains each field.
 */
import { z } from 'zod';
import { DEFAULT_LOGGING_CONFIG, LoggingConfigSchema } from '../../common-node/rotating-log.ts';

export const BackupConfigSchema = z.strictObject({
  /** Where the daily backup goes; null: no daily backup (on demand, a folder is given each time). */
  folder: z.string().min(1).nullable().default(null),
  /** Local time of day of the daily backup, HH:MM (24 h). */
  dailyAt: z
    .string()
    .regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'a time of day as HH:MM, 00:00–23:59')
    .default('02:30'),
  /** Backups kept in the folder; older ones are deleted after a new one is complete. */
  keep: z.number().int().min(1).max(366).default(7),
});
export type BackupConfig = z.infer<typeof BackupConfigSchema>;

export const KioskConfigSchema = z.strictObject({
  /** Full-screen checkout with no menu that only a supervisor (or the documented key combination) can close. */
  enabled: z.boolean().default(false),
});

export const AutostartConfigSchema = z.strictObject({
  /** Start the installed app when the cashier logs in. */
  enabled: z.boolean().default(false),
  /** Linux: an XDG autostart entry, or a systemd user unit that also restarts the app if it dies. */
  linux: z.enum(['xdg', 'systemd']).default('xdg'),
});
export type AutostartConfig = z.infer<typeof AutostartConfigSchema>;

export const CounterPcConfigShape = {
  logging: LoggingConfigSchema.default(DEFAULT_LOGGING_CONFIG),
  backup: BackupConfigSchema.default({ folder: null, dailyAt: '02:30', keep: 7 }),
  kiosk: KioskConfigSchema.default({ enabled: false }),
  autostart: AutostartConfigSchema.default({ enabled: false, linux: 'xdg' }),
};

export const DEFAULT_COUNTER_PC_CONFIG = {
  logging: DEFAULT_LOGGING_CONFIG,
  backup: { folder: null, dailyAt: '02:30', keep: 7 },
  kiosk: { enabled: false },
  autostart: { enabled: false, linux: 'xdg' },
} as const satisfies { [K in keyof typeof CounterPcConfigShape]: z.input<(typeof CounterPcConfigShape)[K]> };
