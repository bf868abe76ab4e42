/**
 * Waits on events, not on a clock: resolves once `check` passes (returns without throwing), tried
 * now and again each time the source `subscribe` listens to reports a change. It has no deadline of
 * its own, so a loaded machine only makes it slower; a wait that never ends is ended by the test's
 * own timeout (vitest.config.ts).
 */
export function until(check: () => void, subscribe: (changed: () => void) => () => void): Promise<void> {
  return new Promise((resolve) => {
    let done = false;
    let unsubscribe: (() => void) | undefined;
    const attempt = () => {
      if (done) return;
      try {
        check();
      } catch {
        return;
      }
      done = true;
      unsubscribe?.();
      resolve();
    };
    unsubscribe = subscribe(attempt);
    if (done) unsubscribe();
    else attempt();
  });
}
