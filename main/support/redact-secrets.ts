/**
 * Config as a support engineer may see it: every value under a key that names key material or a
 * secret (bdk, ipek, cvk, …key, secret, password, token) is replaced, whatever its type, and so is
 * every other occurrence of such a value in the document (a description that quotes a test key).
 * The station's config carries the virtual PIN pad's initial keys; the host's, its BDKs and CVKs
 * (the risk log's card-hash key is a per-install file, bank/keys/card-hash.key, never in a config).
 */
const SECRET_NAME = /(bdk|ipek|cvk|key|secret|password|passphrase|token)$/i;
/** Shorter values (a flag, a small number) are replaced where they stand but not hunted elsewhere. */
const MIN_HUNTED_LENGTH = 8;

export const REDACTED = '[redacted]';

function secretValues(value: unknown, found: Set<string>): void {
  if (typeof value !== 'object' || value === null) return;
  for (const [name, inner] of Object.entries(value)) {
    if (SECRET_NAME.test(name) && (typeof inner === 'string' || typeof inner === 'number')) {
      if (String(inner).length >= MIN_HUNTED_LENGTH) found.add(String(inner));
    } else secretValues(inner, found);
  }
}

function replaced(value: unknown, secrets: readonly string[]): unknown {
  if (Array.isArray(value)) return value.map((item) => replaced(item, secrets));
  if (typeof value === 'string') return secrets.reduce((text, secret) => text.split(secret).join(REDACTED), value);
  if (typeof value !== 'object' || value === null) return value;
  return Object.fromEntries(Object.entries(value).map(([name, inner]) => [name, SECRET_NAME.test(name) ? REDACTED : replaced(inner, secrets)]));
}

export function redactSecrets(value: unknown): unknown {
  const found = new Set<string>();
  secretValues(value, found);
  // Case-insensitive in effect: hex keys are written either way.
  const secrets = [...found].flatMap((secret) => [...new Set([secret, secret.toUpperCase(), secret.toLowerCase()])]);
  return replaced(value, secrets);
}
