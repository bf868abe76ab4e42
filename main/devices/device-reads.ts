/**
 * What an input device read (a swipe, a scan), handed to whoever listens now. Nothing is held for a
 * listener that comes later: a swipe or a scan with nobody waiting is dropped on purpose, so it can
 * never be charged or rung up for the next customer.
 */
export class DeviceReads<T> {
  readonly #listeners = new Set<(read: T) => void>();

  publish(read: T): void {
    for (const listener of [...this.#listeners]) listener(read);
  }

  subscribe(listener: (read: T) => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }
}
