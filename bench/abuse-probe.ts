/**
 * Loaded into the station's own process by the abuse benchmark (node --expose-gc --import
 * bench/abuse-probe.ts main/station-server/start.ts), so the station under test is the real entry
 * point, unchanged. Over the IPC channel the benchmark opened, it answers { type: 'measure' } with
 * the process's RSS now, then after a forced full garbage collection.
 */
const collect = (globalThis as { gc?: () => void }).gc;
if (collect === undefined) throw new Error('the abuse probe needs node --expose-gc');

process.on('message', (message: unknown) => {
  if ((message as { type?: unknown }).type !== 'measure') return;
  const before = process.memoryUsage().rss;
  collect();
  // A second pass collects what the first one's finalizers released.
  collect();
  const after = process.memoryUsage();
  process.send?.({ type: 'measured', rssBeforeGc: before, rss: after.rss, heapUsed: after.heapUsed });
});
