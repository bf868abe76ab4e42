/**
 * Brings the head office's newest price list to the station: asks now and then for a version newer
 * than the one the station sells from, and hands it to the catalog, which applies it between sales
 * (never in the middle of one: a cart keeps the prices it was rung up with).
 */
import type { PriceList } from '../../common/head-office/price-list.ts';
import { backoffDelay } from '../acquirer/backoff.ts';
import type { HeadOfficeClient } from './head-office-client.ts';

/** What the station's catalog implements to take price lists from the head office. */
export interface PriceListTarget {
  /** The head-office version the station sells from, or is about to (0: none yet). */
  currentVersion(): number;
  /** A newer list. The target applies it when no sale is open: now, or as the open sale ends. */
  offer(list: PriceList): void;
}

export interface PriceListClientOptions {
  readonly client: Pick<HeadOfficeClient, 'priceList'>;
  readonly target: PriceListTarget;
  /** How often to ask when all is well. */
  readonly pollMs?: number;
  readonly retryBaseMs?: number;
  readonly log?: (line: string) => void;
}

export class PriceListClient {
  private readonly options: PriceListClientOptions;
  private timer: NodeJS.Timeout | undefined;
  private failures = 0;
  private stopped = true;
  /** Aborted by stop(): a check in flight neither waits on the head office nor hands over a list any more. */
  private running = new AbortController();

  constructor(options: PriceListClientOptions) {
    this.options = options;
  }

  /** Asks once; true when a newer list was handed over. */
  async checkNow(): Promise<boolean> {
    const { signal } = this.running;
    const list = await this.options.client.priceList(this.options.target.currentVersion(), signal);
    if (!list || signal.aborted) return false;
    this.options.log?.(`price list version ${list.version} from the head office (${list.items.length} items)`);
    this.options.target.offer(list);
    return true;
  }

  start(): void {
    this.stopped = false;
    this.running = new AbortController();
    this.schedule(0);
  }

  stop(): void {
    this.stopped = true;
    clearTimeout(this.timer);
    this.running.abort();
  }

  private schedule(delay: number): void {
    if (this.stopped) return;
    this.timer = setTimeout(() => {
      this.checkNow().then(
        () => {
          this.failures = 0;
          this.schedule(this.options.pollMs ?? 300_000);
        },
        (error: unknown) => {
          const pollMs = this.options.pollMs ?? 300_000;
          this.schedule(backoffDelay(this.failures++, this.options.retryBaseMs ?? 5_000, pollMs));
          this.options.log?.(`price list check failed: ${error instanceof Error ? error.message : String(error)}`);
        },
      );
    }, delay);
  }
}

export interface PriceListCatalog {
  /** The head-office version the catalog sells from (0: none). */
  appliedVersion(): number;
  /** Replaces the catalog's items and prices with the list's. */
  apply(list: PriceList): void;
}

export interface SaleState {
  /** A cart is being rung up or paid. */
  saleOpen(): boolean;
}

/**
 * The "between sales" rule, for a catalog that knows how to apply a list and a checkout that knows
 * whether a sale is open: a list offered during a sale waits, and the checkout calls saleEnded()
 * when the sale completes or is cancelled.
 */
export class BetweenSalesPriceList implements PriceListTarget {
  private readonly catalog: PriceListCatalog;
  private readonly sales: SaleState;
  private waiting: PriceList | undefined;

  constructor(catalog: PriceListCatalog, sales: SaleState) {
    this.catalog = catalog;
    this.sales = sales;
  }

  currentVersion(): number {
    return Math.max(this.catalog.appliedVersion(), this.waiting?.version ?? 0);
  }

  /** The list waiting for the open sale to end, if any. */
  pending(): PriceList | undefined {
    return this.waiting;
  }

  offer(list: PriceList): void {
    if (list.version <= this.currentVersion()) return;
    this.waiting = list;
    this.saleEnded();
  }

  saleEnded(): void {
    if (!this.waiting || this.sales.saleOpen()) return;
    const list = this.waiting;
    this.waiting = undefined;
    this.catalog.apply(list);
  }
}
