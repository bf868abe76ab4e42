/**
 * Closed-loop load over IsoMux connections: each connection keeps one request in flight, as a
 * terminal does, and sends the next as soon as the answer arrives. Answers completed inside the
 * measured window count towards the rate and the latency percentiles; a warm-up before it lets the
 * JIT and the host's caches settle. Latency is request sent → matching answer received, in the client.
 */
import { performance } from 'node:perf_hooks';
import type { IsoMessage } from '../payments/iso8583/message.ts';
import type { IsoMux } from '../payments/iso8583/mux.ts';

export interface LoadOptions {
  readonly muxes: readonly IsoMux[];
  /** The next request of connection `index`; undefined when it has none left. */
  next(index: number): IsoMessage | undefined;
  readonly warmupMs: number;
  readonly measureMs: number;
  /** Called for every answer; `measured` when it completed inside the measured window. */
  onAnswer?(answer: IsoMessage, measured: boolean): void;
}

export interface LoadResult {
  readonly completed: number;
  readonly seconds: number;
  readonly perSecond: number;
  readonly p50Ms: number;
  readonly p99Ms: number;
  /** True when some connection ran out of prepared requests before the window closed. */
  readonly ranDry: boolean;
}

export async function runClosedLoop({ muxes, next, warmupMs, measureMs, onAnswer }: LoadOptions): Promise<LoadResult> {
  const startedAt = performance.now();
  const measureFrom = startedAt + warmupMs;
  const measureUntil = measureFrom + measureMs;
  const latencies: number[] = [];
  let lastCompletion = measureFrom;
  let ranDry = false;

  await Promise.all(
    muxes.map(async (mux, index) => {
      for (;;) {
        const sentAt = performance.now();
        if (sentAt >= measureUntil) return;
        const request = next(index);
        if (request === undefined) {
          ranDry = true;
          return;
        }
        const answer = await mux.request(request, { timeoutMs: 60_000 });
        const answeredAt = performance.now();
        const measured = sentAt >= measureFrom && answeredAt <= measureUntil;
        if (measured) {
          latencies.push(answeredAt - sentAt);
          lastCompletion = Math.max(lastCompletion, answeredAt);
        }
        onAnswer?.(answer, measured);
      }
    }),
  );
  // A run that ran dry ends early; its rate is over the time it actually ran.
  const seconds = ((ranDry ? lastCompletion : measureUntil) - measureFrom) / 1000;
  latencies.sort((a, b) => a - b);
  return {
    completed: latencies.length,
    seconds,
    perSecond: latencies.length / seconds,
    p50Ms: percentile(latencies, 0.5),
    p99Ms: percentile(latencies, 0.99),
    ranDry,
  };
}

function percentile(sorted: readonly number[], q: number): number {
  return sorted.length === 0 ? Number.NaN : sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]!;
}
