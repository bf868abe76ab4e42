/**
 * The EMV kernel (payments/emv/kernel) runs a whole card transaction as one call and asks the
 * station through ports along the way. A payment flow is a state machine whose states are where the
 * transaction stands (reading, PIN, authorizing), so this turns the kernel's run into a sequence of
 * stops the flow's activities take one at a time: the kernel asks for a PIN (the flow is in
 * enter_pin until it answers), asks to go online (authorizing), or ends with its outcome.
 *
 * The kernel keeps the card and its own state between stops; the flow answers each stop exactly
 * once. A stop the flow abandons (it failed or was cancelled) is answered "cancelled" /
 * "unreachable" so the kernel finishes and the card is powered off.
 */
import type { AuthorizationResponse, KernelOutcome, KernelPorts, OnlineRequest, PinEntryResult } from '../../../payments/emv/kernel/ports.ts';

export type KernelStop =
  | { readonly kind: 'pin'; readonly pan: string; answer(result: PinEntryResult): void }
  | { readonly kind: 'online'; readonly request: OnlineRequest; answer(response: AuthorizationResponse | { readonly kind: 'unreachable' }): void }
  | { readonly kind: 'done'; readonly outcome: KernelOutcome };

type Run = (ports: KernelPorts) => Promise<KernelOutcome>;

export class KernelSession {
  readonly #stops: KernelStop[] = [];
  #waiter: ((stop: KernelStop) => void) | undefined;
  #failure: ((error: unknown) => void) | undefined;
  #error: unknown;
  #pending: Exclude<KernelStop, { kind: 'done' }> | undefined;
  #done = false;

  /** Starts the kernel at once; `ports` lacks the two the session itself answers (PIN, authorization). */
  constructor(run: Run, ports: Omit<KernelPorts, 'pin' | 'authorization'>) {
    const full: KernelPorts = {
      ...ports,
      pin: { enterOnlinePin: (request) => new Promise<PinEntryResult>((resolve) => this.#push({ kind: 'pin', pan: request.pan, answer: this.#once(resolve) })) },
      authorization: { authorize: (request) => new Promise((resolve) => this.#push({ kind: 'online', request, answer: this.#once(resolve) })) },
    };
    run(full).then(
      (outcome) => {
        this.#done = true;
        this.#push({ kind: 'done', outcome });
      },
      (error: unknown) => {
        this.#done = true;
        this.#error = error ?? new Error('the kernel failed');
        this.#failure?.(this.#error);
      },
    );
  }

  /** The kernel's next stop (the outcome once it has ended); rejects if the kernel threw. */
  next(): Promise<KernelStop> {
    const queued = this.#stops.shift();
    if (queued) return Promise.resolve(queued);
    if (this.#error !== undefined) return Promise.reject(this.#error);
    return new Promise((resolve, reject) => {
      this.#waiter = resolve;
      this.#failure = reject;
    });
  }

  /** Answers whatever the kernel still waits on, so it ends (a cancel or a failed activity). */
  abandon(): void {
    const pending = this.#pending;
    if (pending?.kind === 'pin') pending.answer({ kind: 'cancelled' });
    else if (pending?.kind === 'online') pending.answer({ kind: 'unreachable' });
  }

  get ended(): boolean {
    return this.#done;
  }

  #push(stop: KernelStop): void {
    this.#pending = stop.kind === 'done' ? undefined : stop;
    const waiter = this.#waiter;
    if (waiter) {
      this.#waiter = undefined;
      this.#failure = undefined;
      waiter(stop);
    } else this.#stops.push(stop);
  }

  #once<T>(resolve: (value: T) => void): (value: T) => void {
    let answered = false;
    return (value) => {
      if (answered) return;
      answered = true;
      this.#pending = undefined;
      resolve(value);
    };
  }
}
