/**
 * UUIDv7 (RFC 9562) for the head office's events: the station's own implementation
 * (common/uuid-v7.ts), so there is one. An id for a moment, with random bits; a sale's ids, which
 * must also sort in the order they were made, come from its monotonic generator.
 */
import { uuidV7At } from '../uuid-v7.ts';

export { uuidV7Time } from '../uuid-v7.ts';

export function uuidV7(now: number = Date.now()): string {
  return uuidV7At(now);
}
