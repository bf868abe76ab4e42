import { DatabaseSync } from 'node:sqlite';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { TestDeckCard } from '../../../common/test-deck.ts';
import type { PinVerifier } from '../pin-verifier.ts';
import { checkPin, PIN_TRY_LIMIT } from './pin-check.ts';
import { createPinTryCounter, type PinTryCounter } from './pin-try-counter.ts';

const card = { id: 'card-a', pan: '6212345678901232', pin: '123456' } as TestDeckCard;
const otherCard = { ...card, id: 'card-b' };
const entry = { pinBlock: Buffer.alloc(8), ksn: Buffer.alloc(10) };
const right: PinVerifier = () => true;
const wrong: PinVerifier = () => false;
const monday = new Date(2026, 10, 23, 9, 0);
const mondayNight = new Date(2026, 10, 23, 23, 59);
const tuesday = new Date(2026, 10, 24, 0, 0);

let db: DatabaseSync;
let tries: PinTryCounter;
let atomicRuns: number;

beforeEach(() => {
  db = new DatabaseSync(':memory:');
  atomicRuns = 0;
  tries = createPinTryCounter({ db, atomically: (work) => (atomicRuns++, work()) });
});
afterEach(() => db.close());

describe('checkPin with the PIN try limit', () => {
  it('answers 55 for the first wrong PINs and 75 for the one that reaches the limit', () => {
    expect(PIN_TRY_LIMIT).toBe(3);
    expect(checkPin(entry, card, wrong, tries, monday)).toBe('55');
    expect(checkPin(entry, card, wrong, tries, monday)).toBe('55');
    expect(checkPin(entry, card, wrong, tries, monday)).toBe('75');
  });

  it('keeps answering 75, even to the right PIN, without verifying it', () => {
    for (let i = 0; i < 3; i++) checkPin(entry, card, wrong, tries, monday);
    let verified = 0;
    const counting: PinVerifier = () => (verified++, true);
    expect(checkPin(entry, card, counting, tries, monday)).toBe('75');
    expect(checkPin(entry, card, counting, tries, mondayNight)).toBe('75');
    expect(verified).toBe(0);
  });

  it('resets on a right PIN before the limit', () => {
    checkPin(entry, card, wrong, tries, monday);
    checkPin(entry, card, wrong, tries, monday);
    expect(checkPin(entry, card, right, tries, monday)).toBeUndefined();
    expect(checkPin(entry, card, wrong, tries, monday)).toBe('55');
    expect(checkPin(entry, card, wrong, tries, monday)).toBe('55');
    expect(checkPin(entry, card, wrong, tries, monday)).toBe('75');
  });

  it('starts again on the issuer next day', () => {
    for (let i = 0; i < 3; i++) checkPin(entry, card, wrong, tries, monday);
    expect(checkPin(entry, card, right, tries, tuesday)).toBeUndefined();
    checkPin(entry, card, wrong, tries, monday);
    checkPin(entry, card, wrong, tries, monday);
    expect(checkPin(entry, card, wrong, tries, tuesday)).toBe('55');
  });

  it('counts per card', () => {
    for (let i = 0; i < 3; i++) checkPin(entry, card, wrong, tries, monday);
    expect(checkPin(entry, otherCard, right, tries, monday)).toBeUndefined();
  });

  it('writes through the ledger unit of work, and not at all for a right PIN with nothing to reset', () => {
    expect(checkPin(entry, card, right, tries, monday)).toBeUndefined();
    expect(atomicRuns).toBe(0);
    checkPin(entry, card, wrong, tries, monday);
    expect(atomicRuns).toBe(1);
    expect(db.prepare('SELECT card_id, wrong_in_row FROM pin_tries').all().map((row) => ({ ...row }))).toEqual([{ card_id: 'card-a', wrong_in_row: 1 }]);
  });
});
