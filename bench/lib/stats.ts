// Small measurement helpers: a monotonic clock, percentiles, medians and a bounded-concurrency
// loop that stops at the first failure (a benchmark that silently drops errors measures nothing).

/** Milliseconds from a monotonic clock. */
export function nowMs(): number {
  return Number(process.hrtime.bigint()) / 1e6;
}

/** The `p`-th percentile (0–100) of `values` by nearest rank; NaN for an empty list. */
export function percentile(values: readonly number[], p: number): number {
  if (values.length === 0) return NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const rank = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[rank]!;
}

/** The median (mean of the two middle values for an even count). */
export function median(values: readonly number[]): number {
  if (values.length === 0) return NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

/** Result of {@link runConcurrent}. */
export interface ConcurrentRun {
  calls: number;
  elapsedMs: number;
  /** Calls per second over the whole run. */
  perSecond: number;
  /** Per-call latencies in ms (only when asked for). */
  latencies: number[];
}

/**
 * Runs `fn(0) … fn(total - 1)` with at most `concurrency` in flight. Rejects with the first error
 * (after the in-flight calls settle), so a failing call never counts as throughput.
 */
export async function runConcurrent(
  total: number,
  concurrency: number,
  fn: (i: number) => Promise<unknown>,
  opts: { latencies?: boolean } = {},
): Promise<ConcurrentRun> {
  const latencies: number[] = [];
  let next = 0;
  let failure: { error: unknown } | undefined;
  const worker = async (): Promise<void> => {
    while (failure === undefined) {
      const i = next++;
      if (i >= total) return;
      const t0 = opts.latencies ? nowMs() : 0;
      try {
        await fn(i);
      } catch (error) {
        failure ??= { error };
        return;
      }
      if (opts.latencies) latencies.push(nowMs() - t0);
    }
  };
  const start = nowMs();
  await Promise.all(Array.from({ length: Math.min(concurrency, total) }, worker));
  const elapsedMs = nowMs() - start;
  if (failure !== undefined) throw failure.error;
  return { calls: total, elapsedMs, perSecond: (total / elapsedMs) * 1000, latencies };
}

/** Rounds to `digits` decimals (for tables and JSON). */
export function round(value: number, digits = 1): number {
  const f = 10 ** digits;
  return Math.round(value * f) / f;
}

/** Runs the garbage collector when node was started with --expose-gc. */
export function collectGarbage(): void {
  const gc = (globalThis as { gc?: () => void }).gc;
  if (gc !== undefined) gc();
}
