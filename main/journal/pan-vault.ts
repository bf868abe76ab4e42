/**
 * The one place the station keeps a full PAN after an authorization, and only encrypted.
 *
 * Profile v2 makes a reversal (0400/0401) and a batch upload (0320) carry DE2, and the host checks
 * it against the original. Both can happen long after the card left the reader, after a restart
 * even, so the PAN of every transaction that may still need one is sealed here with AES-256-GCM
 * (PCI DSS 3.5: unreadable wherever stored) under a key kept outside the journal file. An entry
 * lives only while it can be needed: it is removed when the host declines the transaction, when
 * its reversal is confirmed, and for the whole batch when the batch closes. The journal's own
 * columns stay masked-PAN only; track data, expiry, PIN and PIN block are never kept at all.
 */
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import type { DatabaseSync } from 'node:sqlite';

const IV_BYTES = 12;
const TAG_BYTES = 16;
export const VAULT_KEY_BYTES = 32;

export class PanVault {
  readonly #key: Buffer;
  readonly #insert;
  readonly #select;
  readonly #delete;
  readonly #deleteBatch;

  constructor(db: DatabaseSync, key: Buffer) {
    if (key.length !== VAULT_KEY_BYTES) throw new RangeError(`the PAN vault key must be ${VAULT_KEY_BYTES} bytes`);
    this.#key = key;
    this.#insert = db.prepare('INSERT INTO pan_vault (leg_id, sealed) VALUES (?, ?) ON CONFLICT (leg_id) DO UPDATE SET sealed = excluded.sealed');
    this.#select = db.prepare('SELECT sealed FROM pan_vault WHERE leg_id = ?');
    this.#delete = db.prepare('DELETE FROM pan_vault WHERE leg_id = ?');
    this.#deleteBatch = db.prepare('DELETE FROM pan_vault WHERE leg_id IN (SELECT id FROM card_legs WHERE batch_id = ?)');
  }

  seal(legId: number, pan: string): void {
    const iv = randomBytes(IV_BYTES);
    const cipher = createCipheriv('aes-256-gcm', this.#key, iv);
    // The leg's id is authenticated with the PAN, so a sealed PAN copied onto another leg does not open.
    // (Journal v2 called legs transactions; ids and the AAD stayed the same.)
    cipher.setAAD(aad(legId));
    const ciphertext = Buffer.concat([cipher.update(pan, 'ascii'), cipher.final()]);
    this.#insert.run(legId, Buffer.concat([iv, cipher.getAuthTag(), ciphertext]));
  }

  /** The PAN, or undefined when none is kept (never sealed, already forgotten, or sealed under another key). */
  open(legId: number): string | undefined {
    const row = this.#select.get(legId) as { sealed: Uint8Array } | undefined;
    if (row === undefined) return undefined;
    const sealed = Buffer.from(row.sealed);
    try {
      const decipher = createDecipheriv('aes-256-gcm', this.#key, sealed.subarray(0, IV_BYTES), { authTagLength: TAG_BYTES });
      decipher.setAAD(aad(legId));
      decipher.setAuthTag(sealed.subarray(IV_BYTES, IV_BYTES + TAG_BYTES));
      return Buffer.concat([decipher.update(sealed.subarray(IV_BYTES + TAG_BYTES)), decipher.final()]).toString('ascii');
    } catch {
      return undefined;
    }
  }

  forget(legId: number): void {
    this.#delete.run(legId);
  }

  forgetBatch(batchId: number): void {
    this.#deleteBatch.run(batchId);
  }
}

function aad(legId: number): Buffer {
  return Buffer.from(`pan:${legId}`, 'ascii');
}
