/**
 * Bytes or reports a virtual device has ready for the host, and IN transfers waiting for them.
 * A waiting transfer resolves with the next item, or fails with a timeout message shaped like
 * usb v3's ("transferIn error: timeout") so drivers treat real and virtual silence alike.
 */
import { UsbDisconnectedError } from '../usb/minimal-usb-device.ts';

interface Waiter {
  readonly resolve: (data: Uint8Array) => void;
  readonly reject: (error: Error) => void;
  readonly timer: ReturnType<typeof setTimeout>;
  readonly maxLength: number;
}

export class InTransferQueue {
  readonly #pending: Uint8Array[] = [];
  readonly #waiters: Waiter[] = [];
  /** Stream mode splits items to the requested length (bulk pipes); report mode hands out whole reports. */
  readonly #stream: boolean;

  constructor(mode: 'stream' | 'reports') {
    this.#stream = mode === 'stream';
  }

  push(data: Uint8Array): void {
    this.#pending.push(data);
    this.#drain();
  }

  take(maxLength: number, timeoutMs: number): Promise<Uint8Array> {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        const index = this.#waiters.findIndex((waiter) => waiter.timer === timer);
        if (index >= 0) this.#waiters.splice(index, 1);
        reject(new Error('transferIn error: timeout'));
      }, timeoutMs);
      this.#waiters.push({ resolve, reject, timer, maxLength });
      this.#drain();
    });
  }

  /** The device went away: every waiting transfer fails and nothing stale is delivered later. */
  disconnect(): void {
    this.#pending.length = 0;
    for (const waiter of this.#waiters.splice(0)) {
      clearTimeout(waiter.timer);
      waiter.reject(new UsbDisconnectedError('device disconnected during transfer'));
    }
  }

  #drain(): void {
    while (this.#pending.length > 0 && this.#waiters.length > 0) {
      const waiter = this.#waiters.shift() as Waiter;
      clearTimeout(waiter.timer);
      const head = this.#pending[0] as Uint8Array;
      if (this.#stream && head.length > waiter.maxLength) {
        this.#pending[0] = head.subarray(waiter.maxLength);
        waiter.resolve(head.subarray(0, waiter.maxLength));
      } else {
        this.#pending.shift();
        waiter.resolve(head);
      }
    }
  }
}
