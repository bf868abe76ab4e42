/**
 * Station secrets at rest. HMAC needs the head office to hold each station's secret, so a copy of the
 * database (a backup, a snapshot, a replica, a dump handed to a developer) would otherwise be every
 * station's credential. The secrets are sealed under a key-encryption key that never enters the
 * database: AES-256-GCM with a fresh IV each, bound to the station and key id (so a sealed secret
 * copied onto another station's row does not open), and marked with the key-encryption key's id (so
 * the wrong key is named as such, not mistaken for damage).
 *
 *   v1.<kek id: 8 hex>.<base64url(iv ‖ ciphertext ‖ tag)>
 *
 * The key-encryption key is a file of 32 random bytes (base64url) beside the service, made on first
 * use, readable by its owner only: HQ_SECRET_KEY_FILE, by default `$HQ_DATA_DIR/station-secrets.key`.
 * It is backed up apart from the database; without it the stations need new keys (hq:station new-key).
 */
import { createCipheriv, createDecipheriv, createHash, randomBytes } from 'node:crypto';
import { closeSync, fsyncSync, linkSync, mkdirSync, openSync, readFileSync, rmSync, writeSync } from 'node:fs';
import { dirname, join } from 'node:path';

const VERSION = 'v1';
const IV_BYTES = 12;
const TAG_BYTES = 16;

export class SecretSealError extends Error {}

export class SecretSeal {
  /** Names the key-encryption key in each sealed secret: the first 4 bytes of its SHA-256. */
  readonly keyId: string;
  private readonly key: Buffer;

  constructor(key: Uint8Array) {
    if (key.length !== 32) throw new SecretSealError(`a key-encryption key is 32 bytes, not ${key.length}`);
    this.key = Buffer.from(key);
    this.keyId = createHash('sha256').update(this.key).digest('hex').slice(0, 8);
  }

  static isSealed(stored: string): boolean {
    return stored.startsWith(`${VERSION}.`);
  }

  seal(stationId: string, keyId: string, secret: string): string {
    const iv = randomBytes(IV_BYTES);
    const cipher = createCipheriv('aes-256-gcm', this.key, iv).setAAD(boundTo(stationId, keyId));
    const sealed = Buffer.concat([iv, cipher.update(secret, 'utf8'), cipher.final(), cipher.getAuthTag()]);
    return `${VERSION}.${this.keyId}.${sealed.toString('base64url')}`;
  }

  open(stationId: string, keyId: string, stored: string): string {
    const [version, sealedBy, payload] = stored.split('.');
    if (version !== VERSION || sealedBy === undefined || payload === undefined) throw new SecretSealError(`the secret of ${stationId}/${keyId} is not sealed`);
    if (sealedBy !== this.keyId) throw new SecretSealError(`the secret of ${stationId}/${keyId} is sealed with key-encryption key ${sealedBy}, not ${this.keyId}`);
    const bytes = Buffer.from(payload, 'base64url');
    const decipher = createDecipheriv('aes-256-gcm', this.key, bytes.subarray(0, IV_BYTES)).setAAD(boundTo(stationId, keyId));
    decipher.setAuthTag(bytes.subarray(bytes.length - TAG_BYTES));
    try {
      return Buffer.concat([decipher.update(bytes.subarray(IV_BYTES, bytes.length - TAG_BYTES)), decipher.final()]).toString('utf8');
    } catch {
      throw new SecretSealError(`the secret of ${stationId}/${keyId} does not open: it was altered or belongs to another station or key`);
    }
  }
}

const boundTo = (stationId: string, keyId: string) => Buffer.from(`POS-HQ station secret\n${stationId}\n${keyId}`);

export function secretKeyFile(dataDir: string): string {
  return process.env.HQ_SECRET_KEY_FILE ?? join(dataDir, 'station-secrets.key');
}

function parseKeyFile(path: string, content: Buffer): SecretSeal {
  const key = Buffer.from(content.toString('utf8').trim(), 'base64url');
  if (key.length !== 32) throw new SecretSealError(`${path} is not a key-encryption key (32 random bytes, base64url)`);
  return new SecretSeal(key);
}

/**
 * The key-encryption key in `path`, made on first use. It is written to a temporary file, synced,
 * then linked into place: a crash leaves no half-written key, and of two processes starting at once
 * one makes it and the other reads it.
 */
export function loadSecretSeal(path: string): SecretSeal {
  try {
    return parseKeyFile(path, readFileSync(path));
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
  mkdirSync(dirname(path), { recursive: true, mode: 0o700 });
  const temporary = `${path}.${process.pid}.tmp`;
  const fd = openSync(temporary, 'w', 0o600);
  try {
    writeSync(fd, `${randomBytes(32).toString('base64url')}\n`);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  try {
    linkSync(temporary, path);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
  } finally {
    rmSync(temporary, { force: true });
  }
  return parseKeyFile(path, readFileSync(path));
}
