/** What a backup says about itself (manifest.json), checked by the restore before it trusts a byte. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import { DATABASE_NAMES } from '../data-files/station-databases.ts';

export const BACKUP_MANIFEST = 'manifest.json';

export const BackupManifestSchema = z.strictObject({
  format: z.literal(1),
  createdAt: z.iso.datetime(),
  sourceDataDir: z.string(),
  databases: z
    .array(
      z.strictObject({
        name: z.enum(DATABASE_NAMES),
        /** Relative to the data directory and to the backup folder alike. */
        path: z.string().regex(/^[a-z]+(\/[a-z]+)*\.sqlite$/),
        bytes: z.number().int().min(0),
        sha256: z.string().regex(/^[0-9a-f]{64}$/),
        schemaVersion: z.number().int().min(0),
      }),
    )
    .min(1),
  /**
   * Backups taken before journal v5 say how many PANs their journal's vault held sealed and under
   * which key; the vault and its key are gone (a restored journal drops its vault at the next
   * start), so this is read for compatibility only and never written.
   */
  vault: z.strictObject({ sealedPans: z.number().int().min(0), keyFingerprint: z.string().nullable() }).optional(),
});
export type BackupManifest = z.infer<typeof BackupManifestSchema>;

export function readBackupManifest(backup: string): BackupManifest {
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(join(backup, BACKUP_MANIFEST), 'utf8'));
  } catch (error) {
    throw new Error(`${backup} is not a station backup: ${BACKUP_MANIFEST} cannot be read (${error instanceof Error ? error.message : String(error)})`);
  }
  const parsed = BackupManifestSchema.safeParse(raw);
  if (!parsed.success) throw new Error(`${backup} has a ${BACKUP_MANIFEST} this version does not understand: ${parsed.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`).join('; ')}`);
  return parsed.data;
}
