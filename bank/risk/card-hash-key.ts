/**
 * The card hash key (card-hash.ts) of this install: 32 random bytes made at the host's first start,
 * kept in DATA_DIR/keys/card-hash.key (owner read/write only, written atomically and only once), so
 * no two installs name a card alike and no shipped file holds the key. The risk log is only
 * meaningful with the key of the install that wrote it; a copy of the ledger alone cannot be
 * matched against a list of PANs.
 */
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { loadOrCreateFile } from '../../common-node/atomic-file.ts';

const CARD_HASH_KEY_BYTES = 32;

export function cardHashKeyPath(dataDir: string): string {
  return join(dataDir, 'keys', 'card-hash.key');
}

/** This install's key, created on first use. */
export function loadCardHashKey(dataDir: string): Buffer {
  const path = cardHashKeyPath(dataDir);
  return loadOrCreateFile(path, {
    create: () => `${randomBytes(CARD_HASH_KEY_BYTES).toString('hex')}\n`,
    parse: (content) => {
      const key = Buffer.from(content.toString('utf8').trim(), 'hex');
      if (key.length !== CARD_HASH_KEY_BYTES) throw new Error(`${path} does not hold a ${CARD_HASH_KEY_BYTES}-byte key (64 hexadecimal digits)`);
      return key;
    },
  });
}
