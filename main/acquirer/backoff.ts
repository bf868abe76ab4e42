/** Exponential backoff: base, 2×base, 4×base, … capped at max. `attempt` counts from 0. */
export function backoffDelay(attempt: number, baseMs: number, maxMs: number): number {
  return Math.min(baseMs * 2 ** Math.min(attempt, 30), maxMs);
}
