/**
 * The station process asks V8 to favour memory over speed. Under a burst of work (a flood of bad
 * calls or reconnects, say) V8 grows its young generation up to 64 MiB per semi-space and keeps
 * freed heap pages pooled; an ordinary garbage collection gives neither back, so the process stayed
 * near 300 MiB after 300k invalid calls with a live heap under 20 MiB. With --optimize-for-size V8
 * keeps the young generation small and releases pooled pages at each full collection: the station
 * does a few calls a second, never needs the throughput, and a counter PC needs the memory.
 * bench/abuse.bench.ts measures it.
 */
import { setFlagsFromString } from 'node:v8';

/** Call once, first thing in the station's entry point (the browser target's start.ts, Electron's main.ts). */
export function favourMemoryOverSpeed(): void {
  setFlagsFromString('--optimize-for-size');
}
