/**
 * Network management over the acquirer link (profile v2, 0800/0810), like a jPOS channel adaptor's
 * sign-on and keep-alive:
 *
 *   down ──connect + 0800 DE70 001──▶ signing_on ──0810 00──▶ up
 *    ▲                                     │ no answer / refused          │ connection lost, or an
 *    └──── retry after a growing delay ◀───┘                              │ echo (301, sent after
 *    ◀─────────────────────────────────────────────────────────────────────┘ ECHO_IDLE_MS idle) unanswered
 *
 * "Up" means signed on and answering: the store-and-forward queue sends only then. Idle is measured
 * from the last message received, so a link that takes requests and answers none is noticed.
 */
import { EventEmitter } from 'node:events';
import type { LinkState } from '../../common/acquirer.ts';
import type { AcquirerLink } from './acquirer-link.ts';
import { backoffDelay } from './backoff.ts';
import { NETWORK_CODES } from '../../payments/iso8583/profile.ts';
import { buildNetworkRequest, isNetworkApproval } from './network-message.ts';

/** Profile v2's echo interval: an echo test after this long without hearing from the host. */

/** How long a sign-off at shutdown may wait for its 0810. */
export const SIGN_OFF_TIMEOUT_MS = 2000;
export const ECHO_IDLE_MS = 30_000;
/** First retry of a failed sign-on, doubling up to RECONNECT_MAX_MS. */
export const RECONNECT_BASE_MS = 2_000;
export const RECONNECT_MAX_MS = 60_000;

export interface LinkMonitorOptions {
  readonly link: AcquirerLink;
  readonly terminalId: string;
  readonly nextStan: () => string;
  readonly now: () => Date;
  readonly log: (line: string) => void;
  readonly echoIdleMs?: number;
  readonly reconnectBaseMs?: number;
}

export class LinkMonitor extends EventEmitter<{ state: [state: LinkState] }> {
  readonly #options: LinkMonitorOptions;
  readonly #echoIdleMs: number;
  readonly #reconnectBaseMs: number;
  #state: LinkState = 'down';
  #signOn: Promise<boolean> | undefined;
  #failedSignOns = 0;
  #reconnectTimer: ReturnType<typeof setTimeout> | undefined;
  #echoTimer: ReturnType<typeof setTimeout> | undefined;
  #stopped = false;
  readonly #onReceived = () => this.#armEcho();
  readonly #onDisconnected = (reason: string) => this.#lost(reason);

  constructor(options: LinkMonitorOptions) {
    super();
    this.#options = options;
    this.#echoIdleMs = options.echoIdleMs ?? ECHO_IDLE_MS;
    this.#reconnectBaseMs = options.reconnectBaseMs ?? RECONNECT_BASE_MS;
    options.link.on('received', this.#onReceived);
    options.link.on('disconnected', this.#onDisconnected);
  }

  get state(): LinkState {
    return this.#state;
  }

  /** Signs on now (station start); failures retry on their own. */
  start(): void {
    void this.ensureUp();
  }

  /** Resolves true once signed on; signs on now if the link is down (a sale should not wait for the retry timer). */
  ensureUp(): Promise<boolean> {
    if (this.#stopped) return Promise.resolve(false);
    if (this.#state === 'up' && this.#options.link.isConnected) return Promise.resolve(true);
    this.#signOn ??= this.#signOnOnce().finally(() => {
      this.#signOn = undefined;
    });
    return this.#signOn;
  }

  /**
   * Signs off (DE70 002) when the link is up, so the host learns the terminal left rather than seeing
   * the connection drop. Best effort and bounded: a shutdown never waits on an unanswering host.
   */
  async signOff(): Promise<void> {
    if (this.#state !== 'up' || !this.#options.link.isConnected) return;
    const { link, terminalId, nextStan, now, log } = this.#options;
    try {
      const response = await link.request(buildNetworkRequest(NETWORK_CODES.signOff, nextStan(), terminalId, now()), SIGN_OFF_TIMEOUT_MS);
      if (!isNetworkApproval(response, NETWORK_CODES.signOff)) log(`acquirer link: sign-off answered ${response.mti} DE39 ${String(response.fields.get(39) ?? '-')}`);
    } catch (error) {
      log(`acquirer link: sign-off failed: ${error instanceof Error ? error.message : String(error)}`);
    }
  }

  stop(): void {
    this.#stopped = true;
    clearTimeout(this.#reconnectTimer);
    clearTimeout(this.#echoTimer);
    this.#options.link.off('received', this.#onReceived);
    this.#options.link.off('disconnected', this.#onDisconnected);
  }

  async #signOnOnce(): Promise<boolean> {
    clearTimeout(this.#reconnectTimer);
    this.#reconnectTimer = undefined;
    this.#setState('signing_on');
    const { link, terminalId, nextStan, now, log } = this.#options;
    let problem: string;
    try {
      const response = await link.request(buildNetworkRequest(NETWORK_CODES.signOn, nextStan(), terminalId, now()));
      if (isNetworkApproval(response, NETWORK_CODES.signOn)) {
        if (this.#stopped) return false;
        this.#failedSignOns = 0;
        this.#setState('up');
        this.#armEcho();
        return true;
      }
      problem = `sign-on refused (${response.mti} DE39 ${String(response.fields.get(39) ?? '-')})`;
      link.drop(problem);
    } catch (error) {
      problem = `sign-on failed: ${error instanceof Error ? error.message : String(error)}`;
    }
    log(`acquirer link: ${problem}`);
    this.#failedSignOns += 1;
    this.#goDown();
    return false;
  }

  #lost(reason: string): void {
    // Down already, or signing on: then the sign-on's own failure takes it down.
    if (this.#state !== 'up') return;
    this.#options.log(`acquirer link down: ${reason}`);
    this.#goDown();
  }

  #goDown(): void {
    clearTimeout(this.#echoTimer);
    this.#setState('down');
    if (this.#stopped || this.#reconnectTimer !== undefined) return;
    const delay = backoffDelay(Math.max(this.#failedSignOns - 1, 0), this.#reconnectBaseMs, RECONNECT_MAX_MS);
    this.#reconnectTimer = setTimeout(() => {
      this.#reconnectTimer = undefined;
      void this.ensureUp();
    }, delay);
  }

  #armEcho(): void {
    clearTimeout(this.#echoTimer);
    if (this.#state !== 'up' || this.#stopped) return;
    this.#echoTimer = setTimeout(() => void this.#echo(), this.#echoIdleMs);
  }

  async #echo(): Promise<void> {
    const { link, terminalId, nextStan, now } = this.#options;
    try {
      const response = await link.request(buildNetworkRequest(NETWORK_CODES.echo, nextStan(), terminalId, now()));
      // A refused echo is an answer too, but not a healthy one.
      if (!isNetworkApproval(response, NETWORK_CODES.echo)) link.drop(`echo refused (DE39 ${String(response.fields.get(39) ?? '-')})`);
    } catch {
      // No answer: the link dropped itself, and 'disconnected' takes the state down.
    }
  }

  #setState(state: LinkState): void {
    if (this.#state === state) return;
    this.#state = state;
    this.emit('state', state);
  }
}
