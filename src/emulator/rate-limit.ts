// The gateway's rate limit (docs/wacht-api.md §8): N requests per fixed window (default 1000 per
// minute) per app, i.e. per deployment, shared by all of its keys. Over budget the caller gets
// 429 `Rate limit exceeded. Retry after N seconds` where N is the time left in the window.

interface Window {
  startMs: number;
  count: number;
}

/** Fixed-window counters keyed by deployment id. */
export class RateLimiter {
  private windows = new Map<string, Window>();

  /**
   * @param limit requests allowed per window, or `false` for no limit
   * @param windowMs the window length (60 000 ms on the real gateway)
   */
  constructor(
    private limit: number | false,
    private readonly windowMs = 60_000,
  ) {}

  /** Counts one request; returns `undefined` if allowed, else the seconds until the reset (≥ 1). */
  hit(key: string, nowMs = Date.now()): number | undefined {
    if (this.limit === false) return undefined;
    let w = this.windows.get(key);
    if (!w || nowMs >= w.startMs + this.windowMs) {
      w = { startMs: nowMs, count: 0 };
      this.windows.set(key, w);
    }
    w.count++;
    if (w.count <= this.limit) return undefined;
    return Math.max(1, Math.ceil((w.startMs + this.windowMs - nowMs) / 1000));
  }

  /** Changes the budget (control route) and starts fresh windows. */
  setLimit(limit: number | false): void {
    this.limit = limit;
    this.reset();
  }

  get perWindow(): number | false {
    return this.limit;
  }

  reset(): void {
    this.windows.clear();
  }
}
