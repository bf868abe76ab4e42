/**
 * One level of card authorizations (0200 with a DUKPT PIN block, through PIN decryption, card
 * checks, the risk rules and the ledger's group commit) at a number of terminal connections, closed
 * loop: bench:host runs it at 1, 16 and 64 connections, bench:wallet at 64 beside each wallet run,
 * as the peer the wallet platform is read against on the same host at the same moment.
 */
import { connectIsoChannel } from '../payments/iso8583/channel.ts';
import { getText, type IsoMessage } from '../payments/iso8583/message.ts';
import { IsoMux } from '../payments/iso8583/mux.ts';
import { createPackager } from '../payments/iso8583/packager.ts';
import { PROFILE_FIELDS } from '../payments/iso8583/profile.ts';
import type { TestDeckCard } from '../common/test-deck.ts';
import { purchasesFor } from './bench-requests.ts';
import { runClosedLoop, type LoadResult } from './closed-loop.ts';

export const packager = createPackager(PROFILE_FIELDS);

export interface AuthLevel {
  readonly result: LoadResult;
  /** Response codes of the answers in the measured window. */
  readonly codes: Map<string, number>;
}

export interface AuthLevelOptions {
  readonly port: number;
  /** Distinguishes the level's terminals (and their PIN pads) from every other level's. */
  readonly level: number;
  readonly connections: number;
  /** Purchases prepared per level (PIN blocks included, before the window). */
  readonly pool: number;
  readonly cards: readonly TestDeckCard[];
  readonly warmupMs: number;
  readonly measureMs: number;
  /** Every answer, measured or not (the kill -9 check collects approvals). */
  readonly onAnswer?: (answer: IsoMessage) => void;
  /** Called as the load starts, once the purchases are prepared and the connections open (warm-up begins). */
  readonly onLoadStart?: () => void;
}

export async function openMuxes(port: number, count: number): Promise<IsoMux[]> {
  return Promise.all(Array.from({ length: count }, async () => new IsoMux(await connectIsoChannel({ host: '127.0.0.1', port, packager }))));
}

export function closeMuxes(muxes: readonly IsoMux[]): void {
  for (const mux of muxes) mux.channel.destroy();
}

/** Each terminal uses its own slice of the deck; levels use different terminals (and PIN pads). */
export function preparePurchases(cards: readonly TestDeckCard[], level: number, connections: number, perTerminal: number): IsoMessage[][] {
  const cardsPerTerminal = Math.floor(cards.length / connections);
  return Array.from({ length: connections }, (_, index) => {
    const slice = cards.slice(index * cardsPerTerminal, (index + 1) * cardsPerTerminal);
    return purchasesFor(`A${level}${pad(connections, 3)}T${pad(index, 2)}`, level * 100 + index, slice, perTerminal);
  });
}

export async function authLevel(options: AuthLevelOptions): Promise<AuthLevel> {
  const { connections } = options;
  const queues = preparePurchases(options.cards, options.level, connections, Math.ceil(options.pool / connections));
  const positions = new Array<number>(connections).fill(0);
  const codes = new Map<string, number>();
  const muxes = await openMuxes(options.port, connections);
  try {
    options.onLoadStart?.();
    const result = await runClosedLoop({
      muxes,
      next: (index) => queues[index]![positions[index]!++],
      warmupMs: options.warmupMs,
      measureMs: options.measureMs,
      onAnswer(answer, measured) {
        options.onAnswer?.(answer);
        if (measured) codes.set(getText(answer, 39) ?? '-', (codes.get(getText(answer, 39) ?? '-') ?? 0) + 1);
      },
    });
    return { result, codes };
  } finally {
    closeMuxes(muxes);
  }
}

export function pad(value: number, width: number): string {
  return String(value).padStart(width, '0');
}
