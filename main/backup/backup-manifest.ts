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
  vault: z.strictObject({
    /** PANs sealed in the journal's vault: sales a reversal or batch upload may still need. */
    sealedPans: z.number().int().min(0),
    /** Fingerprint of the key they are sealed under (station-databases.ts), null without a key file. */
    keyFingerprint: z.string().nullable(),
  }),
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
