/**
 * Test support: the host started in this process on 127.0.0.1 and a free port, with its own data
 * directory and a clock the test moves, and a station-side mux to talk to it over real TCP. Plain
 * TCP: these tests are about the host's decisions, sent as any terminal ID a case needs; the TLS
 * layer in front of them, and its binding of a connection to one terminal, has tests of its own
 * (server/host-tls.test.ts) and carries every station-side test.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import type { TestDeckCard } from '../common/test-deck.ts';
import { connectIsoChannel, type IsoChannel } from '../payments/iso8583/channel.ts';
import type { IsoMessage } from '../payments/iso8583/message.ts';
import { IsoMux } from '../payments/iso8583/mux.ts';
import { createPackager } from '../payments/iso8583/packager.ts';
import { PROFILE_FIELDS } from '../payments/iso8583/profile.ts';
import { loadCardDeck } from './deck/card-deck.ts';
import { BUNDLED_DECK_PATH, startHost, type RunningHost, type StartHostOptions } from './start-host.ts';

export const packager = createPackager(PROFILE_FIELDS);
const deck = loadCardDeck(BUNDLED_DECK_PATH);

export function deckCard(id: string): TestDeckCard {
  const card = deck.cards.find((candidate) => candidate.id === id);
  if (card === undefined) throw new Error(`no deck card ${id}`);
  return card;
}

export interface TestHost {
  readonly dataDir: string;
  readonly logLines: string[];
  readonly running: RunningHost;
  /** The host's clock; move it with setClock. */
  now(): Date;
  setClock(at: Date): void;
  /** Sends a request and resolves with its answer. */
  send(request: IsoMessage): Promise<IsoMessage>;
  /** Reads the ledger file through its own connection, as only committed data can be seen. */
  query<T>(sql: string, ...params: (string | number)[]): T[];
  /** Stops the host cleanly and starts it again on the same data directory. */
  restart(): Promise<void>;
  close(): Promise<void>;
}

export async function startTestHost(options: Omit<StartHostOptions, 'dataDir' | 'port' | 'log' | 'now'> = {}): Promise<TestHost> {
  const dataDir = mkdtempSync(join(tmpdir(), 'bank-test-host-'));
  const logLines: string[] = [];
  let clock = new Date(2026, 10, 21, 10, 0);
  const start = () => startHost({ transport: 'plain', ...options, dataDir, port: 0, log: (line) => logLines.push(line), now: () => clock });
  let running = await start();
  let channel: IsoChannel;
  let mux: IsoMux;
  const connect = async () => {
    channel = await connectIsoChannel({ host: '127.0.0.1', port: running.port, packager });
    mux = new IsoMux(channel);
  };
  await connect();

  return {
    dataDir,
    logLines,
    get running() {
      return running;
    },
    now: () => clock,
    setClock(at) {
      clock = at;
    },
    send: (request) => mux.request(request, { timeoutMs: 10_000 }),
    query<T>(sql: string, ...params: (string | number)[]) {
      const db = new DatabaseSync(running.ledgerPath, { readOnly: true });
      try {
        return db.prepare(sql).all(...params).map((row) => ({ ...row }) as T);
      } finally {
        db.close();
      }
    },
    async restart() {
      channel.destroy();
      await running.close();
      running = await start();
      await connect();
    },
    async close() {
      channel.destroy();
      await running.close();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** A card's account as the ledger holds it. */
export function accountOf(host: TestHost, cardId: string): { posted: number; available: number } {
  const [row] = host.query<{ posted: number; available: number }>('SELECT posted_minor AS posted, available_minor AS available FROM accounts WHERE card_id = ?', cardId);
  if (row === undefined) throw new Error(`no account ${cardId}`);
  return row;
}
