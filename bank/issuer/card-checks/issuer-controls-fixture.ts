/**
 * Test support: the card checks' and risk monitor's parts of an Issuer, as the host builds them
 * from the bundled config (CVKs, amount limits, risk rules), on a test's own ledger; and deck cards
 * re-encoded with the CVV their changed stripe data needs.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TestDeckCard } from '../../../common/test-deck.ts';
import { openLedger, type Ledger } from '../../ledger/ledger.ts';
import { TEST_BDK } from '../../purchase-fixture.ts';
import type { Issuer } from '../authorize-purchase.ts';
import { createTdesDukptPinVerifier } from '../pin-verifier.ts';
import { loadHostConfig } from '../../config/host-config.ts';
import type { CardDeck } from '../../deck/card-deck.ts';
import { BUNDLED_CONFIG_PATH } from '../../start-host.ts';
import { createCvkTable } from './cvk-table.ts';
import { computeCvv } from './cvv.ts';
import { withCvv } from './discretionary-data.ts';
import { openIssuerControls, type IssuerControls } from './issuer-controls.ts';
import type { LedgerConnection } from './ledger-connection.ts';

const config = loadHostConfig(BUNDLED_CONFIG_PATH);
/** A test's card hash key; the host makes its own per install (bank/risk/card-hash-key.ts). */
const TEST_CARD_HASH_KEY = Buffer.alloc(32, 0x5a);
const cvks = createCvkTable(config.cardSecurity.cvks.map(({ binPrefix, cvk }) => ({ binPrefix, cvk: Buffer.from(cvk, 'hex') })));

/**
 * A whole Issuer on its own temporary ledger, seeded from `deck`, as the host composes it (DUKPT
 * verifier under the test BDK, the bundled config's controls), with a fixed clock; `close` removes it.
 */
export function openTestIssuer(deck: CardDeck, now: () => Date = () => new Date(2026, 10, 21, 10, 0)): { issuer: Issuer; ledger: Ledger; close(): void } {
  const dataDir = mkdtempSync(join(tmpdir(), 'issuer-'));
  const ledger = openLedger(dataDir);
  ledger.seedAccounts(deck.cards);
  const issuer: Issuer = { deck, ledger, verifyPin: createTdesDukptPinVerifier(TEST_BDK), now, ...issuerControlsFor(ledger, deck, now) };
  return {
    issuer,
    ledger,
    close() {
      ledger.close();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

export function issuerControlsFor(connection: LedgerConnection, deck: CardDeck, now: () => Date, log: (line: string) => void = () => {}): IssuerControls {
  return openIssuerControls({ config, configPath: BUNDLED_CONFIG_PATH, cardHashKey: TEST_CARD_HASH_KEY, deck, connection, now, log });
}

/** `card` with the CVV its PAN, expiry and service code get under the bundled CVKs. */
export function withValidCvv(card: TestDeckCard): TestDeckCard {
  const cvk = cvks.cvkFor(card.pan);
  if (cvk === undefined) throw new Error(`no bundled CVK for the BIN of ${card.id}`);
  return { ...card, discretionary: withCvv(card.discretionary, computeCvv(cvk, card)) };
}
