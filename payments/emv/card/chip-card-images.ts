/**
 * The chip card images of the test deck (bank/deck/chip-cards.json, made by scripts/emv-test-pki.ts),
 * loaded and checked, and a card state store that keeps each card's ATC and blocked flag in a JSON
 * file of the data directory across runs (written whole, to a temporary file then renamed).
 */
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { z } from 'zod';
import { ChipCardImagesSchema, type ChipCardImage } from './card-image.ts';
import type { CardState, CardStateStore } from './virtual-emv-card.ts';

export function loadChipCardImages(path: string): ChipCardImage[] {
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(path, 'utf8'));
  } catch (error) {
    throw new Error(`cannot read the chip card images ${path}: ${error instanceof Error ? error.message : String(error)}`);
  }
  const parsed = ChipCardImagesSchema.safeParse(raw);
  if (!parsed.success) throw new Error(`${path} is not a valid chip card file:\n${parsed.error.issues.map((issue) => `  ${issue.path.join('.')}: ${issue.message}`).join('\n')}`);
  return parsed.data.cards;
}

const StateFileSchema = z.record(z.string(), z.strictObject({ atc: z.number().int().min(0).max(0xffff), lastOnlineAtc: z.number().int().min(0).max(0xffff), blocked: z.boolean() }));

export function fileCardStateStore(path: string): CardStateStore {
  let states: Record<string, CardState> = {};
  try {
    states = StateFileSchema.parse(JSON.parse(readFileSync(path, 'utf8')));
  } catch (error) {
    // A missing file is a first run; a damaged one starts the cards afresh rather than stop the station.
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') states = {};
  }
  return {
    load: (id) => (states[id] ? { ...states[id] } : undefined),
    save(id, state) {
      states[id] = { ...state };
      mkdirSync(dirname(path), { recursive: true });
      const temporary = `${path}.tmp`;
      writeFileSync(temporary, JSON.stringify(states));
      renameSync(temporary, path);
    },
  };
}
