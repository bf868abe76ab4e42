/**
 * Ids the head office wants as UUIDv7s for things the station numbers itself (tenders, shifts, a
 * tender's refunds, reports) or for an event that must be written once (a sale's upload, its void).
 * Derived, not drawn: the same station thing always gets the same id, so an upload made again (after
 * a crash the journal rolled back, or by a test comparing journal and head office) names the same
 * rows. The time is the thing's own moment (the 48-bit UUIDv7 timestamp); the other 74 bits are a
 * SHA-256 of the station, the kind of thing and its station-local key. The head office keys every
 * row by (station, id), so a collision could only ever be with the same station's own ids.
 */
import { createHash } from 'node:crypto';

export function stationScopedId(stationId: string, kind: string, key: string, at: string): string {
  const ms = Date.parse(at);
  if (!Number.isSafeInteger(ms) || ms < 0 || ms >= 2 ** 48) throw new RangeError(`not a moment for a UUIDv7: ${at}`);
  const hash = createHash('sha256').update(`${stationId}\u0000${kind}\u0000${key}`).digest();
  const bytes = Buffer.alloc(16);
  bytes.writeUIntBE(ms, 0, 6);
  hash.copy(bytes, 6, 0, 10);
  bytes[6] = 0x70 | (bytes[6]! & 0x0f);
  bytes[8] = 0x80 | (bytes[8]! & 0x3f);
  const hex = bytes.toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}
