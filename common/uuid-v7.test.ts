import { describe, expect, it } from 'vitest';
import { createUuidV7Generator, UUID_V7, uuidV7At, uuidV7Time } from './uuid-v7.ts';

describe('UUIDv7', () => {
  it('has the version and variant bits, and carries its millisecond', () => {
    const id = createUuidV7Generator()(1_763_690_400_123);
    expect(id).toMatch(UUID_V7);
    expect(uuidV7Time(id)).toBe(1_763_690_400_123);
    expect(uuidV7Time(uuidV7At(1_600_000_000_000))).toBe(1_600_000_000_000);
  });

  it('sorts as text in the order it was made: within a millisecond, across one, and when the clock steps back', () => {
    const next = createUuidV7Generator();
    const ids = [next(1000), next(1000), next(1000), next(1001), next(999), next(1002)];
    expect([...ids].sort()).toEqual(ids);
    expect(new Set(ids).size).toBe(ids.length);
  });

  it('moves the time on by a millisecond when the counter runs out', () => {
    const next = createUuidV7Generator((bytes) => bytes.fill(0xff));
    const ids = Array.from({ length: 5000 }, () => next(5000));
    expect([...ids].sort()).toEqual(ids);
    expect(uuidV7Time(ids.at(-1)!)).toBeGreaterThan(5000);
  });
});
