/**
 * Waits for a device's next read of interest: `subscribe` listens to the device and calls `take`
 * with what the waiter gets (a value, or a promise of one); the wait ends there or when the signal
 * aborts, and the listener is removed either way. A read with nobody waiting is never kept.
 */
export function waitForRead<T>(signal: AbortSignal, subscribe: (take: (value: T | PromiseLike<T>) => void) => () => void): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    if (signal.aborted) {
      reject(signal.reason);
      return;
    }
    const onAbort = () => {
      finish();
      reject(signal.reason);
    };
    const stop = subscribe((value) => {
      finish();
      resolve(value);
    });
    function finish(): void {
      stop();
      signal.removeEventListener('abort', onAbort);
    }
    signal.addEventListener('abort', onAbort);
  });
}
