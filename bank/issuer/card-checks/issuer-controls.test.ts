import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { afterAll, describe, expect, it } from 'vitest';
import { loadHostConfig } from '../../config/host-config.ts';
import { createCardDeck, loadCardDeck } from '../../deck/card-deck.ts';
import { BUNDLED_CONFIG_PATH, BUNDLED_DECK_PATH } from '../../start-host.ts';
import { openIssuerControls } from './issuer-controls.ts';

const dir = mkdtempSync(join(tmpdir(), 'issuer-controls-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const bundled = JSON.parse(readFileSync(BUNDLED_CONFIG_PATH, 'utf8')) as Record<string, Record<string, unknown>>;
const deck = loadCardDeck(BUNDLED_DECK_PATH);

function configFile(change: (config: typeof bundled) => void): string {
  const config = structuredClone(bundled);
  // The copy lives elsewhere, so it names the bundled rules file by its full path.
  config.risk!.rulesFile = join(dirname(BUNDLED_CONFIG_PATH), 'risk-rules.json');
  change(config);
  const path = join(dir, `host-${Math.random().toString(36).slice(2)}.json`);
  writeFileSync(path, JSON.stringify(config));
  return path;
}

function open(configPath: string, cards = deck) {
  const db = new DatabaseSync(':memory:');
  try {
    return openIssuerControls({ config: loadHostConfig(configPath), configPath, cardHashKey: Buffer.alloc(32, 7), deck: cards, connection: { db, atomically: (work) => work() }, now: () => new Date(), log: () => {} });
  } finally {
    db.close();
  }
}

describe('the card-check and risk keys of the host config', () => {
  it.each([
    ['a CVK that is not 32 hex digits', (c: typeof bundled) => ((c.cardSecurity!.cvks as { cvk: string }[])[0]!.cvk = 'ABC'), '$.cardSecurity.cvks[0].cvk:'],
    ['a BIN prefix given twice', (c: typeof bundled) => ((c.cardSecurity!.cvks as { binPrefix: string }[])[1]!.binPrefix = '621234'), '$.cardSecurity.cvks[1].binPrefix: BIN prefix already has a CVK'],
    ['a limit for a product that does not exist', (c: typeof bundled) => ((c.amountLimits!.perProductMinor as Record<string, number>)['maestro-debit'] = 1), '$.amountLimits.perProductMinor'],
    ['a card hash key (the shipped test key of older versions)', (c: typeof bundled) => (c.risk!.cardHashKey = '5A0D078ABAFD752ED7419A2314C7A1B24F560BCB9B1A1F2657CBE2CE135FD076'), '$.risk.cardHashKey: the card hash key is made per install now'],
    ['no card security at all', (c: typeof bundled) => delete c.cardSecurity, '$.cardSecurity:'],
  ])('rejects %s, naming the JSON path', (_case, change, message) => {
    const path = configFile(change);
    expect(() => loadHostConfig(path)).toThrow(message);
  });

  it('refuses to start when a chip card\'s BIN has no issuer master keys', () => {
    const path = configFile((c) => ((c.chip as { issuerMasterKeys: { binPrefix: string }[] }).issuerMasterKeys = (c.chip as { issuerMasterKeys: { binPrefix: string }[] }).issuerMasterKeys.filter((entry) => entry.binPrefix !== '222300')));
    expect(() => open(path)).toThrow(`host config ${path}: $.chip.issuerMasterKeys has no keys for chip cards mastercard-chip-credit (222300******0013)`);
  });

  it('refuses to start when a deck card has no CVK for its BIN, naming the card by id and masked PAN only', () => {
    const path = configFile((c) => ((c.cardSecurity!.cvks as { binPrefix: string }[]) = (c.cardSecurity!.cvks as { binPrefix: string }[]).filter((entry) => entry.binPrefix !== '411111')));
    expect(() => open(path)).toThrow(`host config ${path}: $.cardSecurity.cvks has no CVK for deck cards visa-credit (411111******0013), visa-chip-credit (411111******0011)`);
    expect(() => open(path)).not.toThrow(/4111110000000013/);
    expect(() => open(path, createCardDeck(deck.cards.filter((card) => !card.pan.startsWith('411111'))))).not.toThrow();
  });

  it('reads the risk rules file relative to the config file, and says which file it could not read', () => {
    const path = configFile((c) => (c.risk!.rulesFile = 'risk-rules.json'));
    expect(() => open(path)).toThrow(`cannot read risk rules ${join(dir, 'risk-rules.json')}`);
  });
});
