/**
 * A log for lines an outsider can cause (refused connections, broken frames, resets): the first
 * few per minute are written as they come, the rest are counted and summed up in one line when the
 * minute ends. A flood of bad connections can neither fill the disk nor hide the station's other
 * lines, and the log still says it happened.
 */
export interface ThrottledLog {
  note(line: string): void;
  /** Writes the pending summary now (at shutdown). */
  flush(): void;
}

export const LINES_PER_WINDOW = 20;
export const WINDOW_MS = 60_000;

export function createThrottledLog(log: (line: string) => void, source: string, options: { linesPerWindow?: number; windowMs?: number } = {}): ThrottledLog {
  const limit = options.linesPerWindow ?? LINES_PER_WINDOW;
  const windowMs = options.windowMs ?? WINDOW_MS;
  let written = 0;
  let suppressed = 0;
  let window: ReturnType<typeof setTimeout> | undefined;

  const flush = () => {
    clearTimeout(window);
    window = undefined;
    if (suppressed > 0) log(`${source}: ${suppressed} more lines like these in the last ${Math.round(windowMs / 1000)} s, not written`);
    written = 0;
    suppressed = 0;
  };

  return {
    note(line) {
      if (window === undefined) {
        window = setTimeout(flush, windowMs);
        window.unref();
      }
      if (written < limit) {
        written += 1;
        log(`${source}: ${line}`);
      } else suppressed += 1;
    },
    flush,
  };
}
