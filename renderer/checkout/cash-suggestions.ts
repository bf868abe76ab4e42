/** The quick buttons of the cash dialog: the exact amount, then the next 10, 50 and 100 yuan above it. */
const STEPS_MINOR = [1000, 5000, 10_000] as const;

export function cashSuggestions(dueMinor: number): number[] {
  if (!Number.isSafeInteger(dueMinor) || dueMinor <= 0) return [];
  const next = STEPS_MINOR.map((step) => Math.ceil(dueMinor / step) * step);
  return [...new Set([dueMinor, ...next])].sort((a, b) => a - b);
}
