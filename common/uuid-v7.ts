/**
 * UUID version 7 (RFC 9562): 48 bits of Unix time in milliseconds, the version, 12 bits of a
 * counter, the variant and 62 random bits. Ids made by one generator sort in the order they were
 * made, as text too (lower-case hex), so a sale's id is both globally unique (many stations, one
 * head office) and a keyset cursor for "the sales before this one".
 *
 * Monotonic within a generator (RFC 9562 §6.2, method 1): a second id in the same millisecond, or
 * after the clock stepped back, takes the last timestamp and counter + 1; a counter that runs out
 * moves the timestamp on by a millisecond. The counter starts from a random value below 2^11 each
 * millisecond, leaving room to count.
 */

export interface UuidV7Generator {
  (now?: number): string;
}

export function createUuidV7Generator(random: (bytes: Uint8Array) => Uint8Array = (bytes) => globalThis.crypto.getRandomValues(bytes)): UuidV7Generator {
  let lastMs = -1;
  let counter = 0;
  return (now = Date.now()) => {
    const seed = random(new Uint8Array(10));
    if (now > lastMs) {
      lastMs = now;
      counter = ((seed[0] ?? 0) << 3 | (seed[1] ?? 0) >> 5) & 0x7ff;
    } else if (++counter > 0xfff) {
      lastMs += 1;
      counter = 0;
    }
    return formatUuidV7(lastMs, counter, seed.subarray(2));
  };
}

/** An id for a given moment, not monotonic: for records carried over from before ids existed. */
export function uuidV7At(ms: number, random: (bytes: Uint8Array) => Uint8Array = (bytes) => globalThis.crypto.getRandomValues(bytes)): string {
  const seed = random(new Uint8Array(10));
  return formatUuidV7(ms, ((seed[0] ?? 0) << 4 | (seed[1] ?? 0) >> 4) & 0xfff, seed.subarray(2));
}

function formatUuidV7(ms: number, counter: number, random8: Uint8Array): string {
  if (!Number.isSafeInteger(ms) || ms < 0 || ms >= 2 ** 48) throw new RangeError(`UUIDv7 time out of range: ${ms}`);
  const bytes = new Uint8Array(16);
  for (let i = 0; i < 6; i++) bytes[i] = Math.floor(ms / 2 ** (8 * (5 - i))) & 0xff;
  bytes[6] = 0x70 | ((counter >> 8) & 0x0f);
  bytes[7] = counter & 0xff;
  bytes.set(random8.subarray(0, 8), 8);
  bytes[8] = 0x80 | ((bytes[8] ?? 0) & 0x3f);
  const hex = [...bytes].map((byte) => byte.toString(16).padStart(2, '0')).join('');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

/** The millisecond a UUIDv7 was made in. */
export function uuidV7Time(id: string): number {
  return Number.parseInt(id.replaceAll('-', '').slice(0, 12), 16);
}

export const UUID_V7 = /^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;
