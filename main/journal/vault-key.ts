/**
 * The PAN vault's key: 32 random bytes made on first start, in a file of its own (owner read/write
 * only) apart from the journal, so a copy of the journal alone reveals no PAN. A production till
 * would hold it in the OS key store or an HSM; the file is this build's stand-in.
 */
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { VAULT_KEY_BYTES } from './pan-vault.ts';

export function loadVaultKey(path: string): Buffer {
  if (existsSync(path)) {
    const key = Buffer.from(readFileSync(path, 'utf8').trim(), 'hex');
    if (key.length !== VAULT_KEY_BYTES) throw new Error(`${path} does not hold a ${VAULT_KEY_BYTES}-byte key`);
    return key;
  }
  mkdirSync(dirname(path), { recursive: true, mode: 0o700 });
  const key = randomBytes(VAULT_KEY_BYTES);
  // 'wx': if two starts race, the second fails rather than replace a key already in use.
  writeFileSync(path, `${key.toString('hex')}\n`, { mode: 0o600, flag: 'wx' });
  return key;
}
