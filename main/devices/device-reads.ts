/**
 * What an input device read (a swipe, a scan), handed to whoever listens now. Nothing is held for a
 * listener that comes later: a swipe or a scan with nobody waiting is dropped on purpose, so it can
 * never be charged or rung up for the next customer.
 */
export class DeviceReads<T> {
  readonly #listeners = new Set<(read: T) => void>();

  /** Returns whether anyone was listening: a read nobody took is gone. */
  publish(read: T): boolean {
    const listeners = [...this.#listeners];
    for (const listener of listeners) listener(read);
    return listeners.length > 0;
  }

  subscribe(listener: (read: T) => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }
}
