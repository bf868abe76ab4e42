/**
 * The PAN vault's key file (keys/pan-vault.key), retired with the vault (journal v5, profile v4):
 * the station deletes it at start, overwritten first, so PANs sealed under it (in a backup taken
 * before, say) can never be opened again. Deleting a key is how sealed data is destroyed for good.
 */
import { existsSync, openSync, closeSync, fsyncSync, statSync, unlinkSync, writeSync } from 'node:fs';

export const RETIRED_VAULT_KEY_FILE = 'keys/pan-vault.key';

/** Overwrites and deletes the retired key file; true when there was one. */
export function deleteRetiredVaultKey(path: string): boolean {
  if (!existsSync(path)) return false;
  const fd = openSync(path, 'r+');
  try {
    writeSync(fd, Buffer.alloc(statSync(path).size));
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  unlinkSync(path);
  return true;
}
