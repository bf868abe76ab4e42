/**
 * The acquirer side of the station, put together: the link (channel + mux), network management
 * (sign-on, echo, link state), the store-and-forward queue and the reversals it carries. Start-up
 * order matters: interrupted transactions are queued for reversal before the first sign-on, so
 * their reversals go out as soon as the link is up.
 */
import type { LinkStatus } from '../../common/acquirer.ts';
import type { IsoMessage } from '../../payments/iso8583/message.ts';
import type { AcquirerPort } from '../checkout/ports.ts';
import type { Journal } from '../journal/journal.ts';
import { AcquirerLink, AcquirerUnavailableError, type AcquirerEndpoint } from './acquirer-link.ts';
import type { LinkSecurity } from './link-security.ts';
import { LinkMonitor } from './link-monitor.ts';
import { Reversals } from './reversals.ts';
import { StoreAndForward } from './store-and-forward.ts';

export interface AcquirerServicesOptions {
  readonly endpoint: Omit<AcquirerEndpoint, 'tls'>;
  /** TLS with the station's credentials, or plain TCP (link-security.ts). */
  readonly security: LinkSecurity;
  readonly journal: Journal;
  readonly terminalId: string;
  readonly merchantId: string;
  readonly log: (line: string) => void;
  readonly now?: () => Date;
  /** Tests shorten these; the station runs with the defaults. */
  readonly echoIdleMs?: number;
  readonly reconnectBaseMs?: number;
  readonly safRetryBaseMs?: number;
}

export interface AcquirerServices {
  /** Financial and settlement requests: signs on first when the link is down. */
  readonly port: AcquirerPort;
  readonly monitor: LinkMonitor;
  readonly saf: StoreAndForward;
  readonly reversals: Reversals;
  /** Signs on if needed and sends every queued reversal now; false when the host cannot be reached. */
  deliverQueued(): Promise<boolean>;
  /** The host listens elsewhere now (the bundled host moved to another port): the link follows it. */
  moveTo(address: { readonly host: string; readonly port: number }): void;
  status(): LinkStatus;
  onStatus(listener: (status: LinkStatus) => void): () => void;
  start(): void;
  stop(): Promise<void>;
}

export function createAcquirerServices(options: AcquirerServicesOptions): AcquirerServices {
  const { journal, log } = options;
  const now = options.now ?? (() => new Date());
  const statusListeners = new Set<(status: LinkStatus) => void>();

  const { security } = options;
  const link = new AcquirerLink({ ...options.endpoint, ...(security.credentials === undefined ? {} : { tls: security.credentials }) });
  const monitor = new LinkMonitor({
    link,
    terminalId: options.terminalId,
    nextStan: () => journal.nextStan(),
    now,
    log,
    ...(options.echoIdleMs === undefined ? {} : { echoIdleMs: options.echoIdleMs }),
    ...(options.reconnectBaseMs === undefined ? {} : { reconnectBaseMs: options.reconnectBaseMs }),
  });
  const status = (): LinkStatus => ({ state: monitor.state, transport: security.transport, pendingReversals: journal.saf.size });
  const publish = () => statusListeners.forEach((listener) => listener(status()));

  // The queue and the reversals refer to each other (a queued reversal wakes the queue, an answer
  // settles the reversal), so the queue is reached through this binding once both exist.
  let saf: StoreAndForward | undefined;
  const reversals = new Reversals({
    journal,
    merchantId: options.merchantId,
    now,
    log,
    onQueued: () => {
      publish();
      saf?.kick();
    },
  });
  saf = new StoreAndForward({
    journal,
    link,
    linkState: monitor,
    now,
    log,
    onAnswer: (item, responseCode) => reversals.answered(item, responseCode),
    ...(options.safRetryBaseMs === undefined ? {} : { retryBaseMs: options.safRetryBaseMs }),
  });
  const queue = saf;
  monitor.on('state', publish);
  queue.on('changed', publish);

  const port: AcquirerPort = {
    async request(message: IsoMessage) {
      if (!(await monitor.ensureUp())) throw new AcquirerUnavailableError(`the acquirer link to ${link.address} is down`);
      return link.request(message);
    },
  };

  return {
    port,
    monitor,
    saf: queue,
    reversals,
    // A cashier's void or settlement is waiting: the queue goes now, backoff or not.
    async deliverQueued() {
      const up = await monitor.ensureUp();
      if (up) await queue.flush({ now: true });
      return up;
    },
    moveTo(address) {
      const from = link.address;
      link.moveTo(address);
      if (link.address !== from) log(`acquirer link: the host listens on ${link.address} now (was ${from})`);
    },
    status,
    onStatus(listener) {
      statusListeners.add(listener);
      return () => statusListeners.delete(listener);
    },
    start() {
      for (const line of security.describe(`${options.endpoint.host}:${options.endpoint.port}`, now())) log(line);
      reversals.recoverInterrupted();
      publish();
      monitor.start();
    },
    async stop() {
      await monitor.signOff();
      monitor.stop();
      const draining = queue.stop();
      // Closing the link ends a send in flight at once rather than after its response timeout.
      link.close();
      await draining;
    },
  };
}
