// Process-wide client-side rate pacing: one token bucket per (base URL, sha256(API key)) — never the raw key.
// Each request spends a token that comes back exactly one window (60 s) after it was spent, so no rolling
// minute ever sees more than the limit: callers are slowed down before the gateway answers 429 (docs/wacht-api.md §8).

import { createHash } from "node:crypto";

/** Token bucket whose tokens refill one window after being spent (a sliding-window log). Clock injected. */
export class TokenBucket {
  private readonly spent: number[] = [];
  private head = 0;

  constructor(
    /** Requests allowed per window. */
    public capacity: number,
    public readonly windowMs = 60_000,
  ) {}

  /** Milliseconds until a token is free at `nowMs` (0 when one is free now). */
  delayFor(nowMs: number): number {
    this.prune(nowMs);
    const cap = Math.max(1, Math.floor(this.capacity));
    if (this.spent.length - this.head < cap) return 0;
    // The token this request needs is the one spent `cap` requests ago.
    const freedAt = (this.spent[this.spent.length - cap] ?? nowMs) + this.windowMs;
    return Math.max(0, freedAt - nowMs);
  }

  /**
   * Reserves the next free slot if it is at most `maxDelayMs` away; returns the wait (ms) or null
   * (nothing reserved). Synchronous, so concurrent callers get distinct, ordered slots.
   */
  tryReserve(nowMs: number, maxDelayMs = Infinity): number | null {
    const delay = this.delayFor(nowMs);
    if (delay > maxDelayMs) return null;
    this.spent.push(nowMs + delay);
    return delay;
  }

  private prune(nowMs: number): void {
    while (
      this.head < this.spent.length &&
      (this.spent[this.head] ?? Infinity) <= nowMs - this.windowMs
    ) {
      this.head++;
    }
    if (this.head > 1024 && this.head * 2 > this.spent.length) {
      this.spent.splice(0, this.head);
      this.head = 0;
    }
  }
}

const buckets = new Map<string, TokenBucket>();

/** Registry key: the base URL plus a SHA-256 of the key, so the raw key is never held here. */
export function pacingKey(baseUrl: string, apiKey: string): string {
  return `${baseUrl} ${createHash("sha256").update(apiKey).digest("hex")}`;
}

/**
 * The shared bucket for this (base URL, key), or undefined when pacing is off (Infinity).
 * Clients sharing a key share the gateway budget; if they ask for different limits, the lowest wins.
 */
export function sharedBucket(
  baseUrl: string,
  apiKey: string,
  requestsPerMinute: number,
): TokenBucket | undefined {
  if (!Number.isFinite(requestsPerMinute)) return undefined;
  const key = pacingKey(baseUrl, apiKey);
  const existing = buckets.get(key);
  if (existing !== undefined) {
    existing.capacity = Math.min(existing.capacity, requestsPerMinute);
    return existing;
  }
  const bucket = new TokenBucket(requestsPerMinute);
  buckets.set(key, bucket);
  return bucket;
}

/** Forget all buckets (tests only). */
export function resetPacing(): void {
  buckets.clear();
}
