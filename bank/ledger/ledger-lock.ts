/**
 * The host's own lock on its ledger (common-node/exclusive-lock.ts), next to it: one host per
 * ledger. Tools that replace the ledger (a restore) take it too.
 */
export const LEDGER_LOCK_FILE = 'ledger.lock';

/**
 * How long a new host waits for the one holding its ledger to let go. A host whose station was
 * killed exits as soon as it notices (parent-link.ts), so a restarted station's host waits a moment
 * rather than failing; one that does not let go by then is a live host, and this one refuses.
 */
export const LEDGER_LOCK_WAIT_MS = 10_000;
