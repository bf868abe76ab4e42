/**
 * How long a polling wait in a test may take before it fails: under vitest.config.ts's testTimeout
 * (20 s), so that a real failure reports the wait's own message (the last assertion that failed)
 * rather than a bare test timeout, and far beyond anything two loaded cores make a healthy wait take.
 */
export const PATIENT_WAIT_MS = 15_000;
