/**
 * A PIN block or PIN/PAN input that does not follow ISO 9564-1. The host treats it as a wrong or
 * tampered PIN, never as a crash. Messages describe the defect only: never the PIN, the block or the key.
 */
export class PinBlockError extends Error {
  override readonly name = 'PinBlockError';
}
