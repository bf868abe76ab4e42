/** The host simulator's configuration file (bank/config/host.json) and its validation. */
import { z } from 'zod';
import { readJsonFile } from '../json-file.ts';

export const HostConfigSchema = z.strictObject({
  description: z.string().optional(),
  /** Where the CLI listens unless --host/--port say otherwise; port 0 means any free port. */
  listen: z.strictObject({
    host: z.string().min(1),
    port: z.number().int().min(0).max(65535),
  }),
  security: z.strictObject({
    description: z.string().optional(),
    /** Base derivation key for TDES DUKPT PIN blocks: 32 hex digits (a double-length key). */
    bdk: z.string().regex(/^[0-9A-Fa-f]{32}$/, 'must be 32 hexadecimal digits (a double-length TDES key)'),
  }),
  timing: z.strictObject({
    /** Added before every response, to rehearse a slow network or issuer; 0 answers at once. */
    responseDelayMs: z.number().int().min(0).max(120_000),
  }),
  link: z.strictObject({
    /** Largest frame accepted from a station; a larger length prefix closes that connection. */
    maxFrameBytes: z.number().int().min(64).max(65_535),
  }),
});
export type HostConfig = z.infer<typeof HostConfigSchema>;

export function loadHostConfig(path: string): HostConfig {
  return readJsonFile(path, HostConfigSchema, 'host config');
}
