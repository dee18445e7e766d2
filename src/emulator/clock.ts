// Time for the emulator: a monotonic microsecond wall clock (every call is strictly later than the
// previous one, so two PATCHes in the same millisecond still move `updated_at`), and chrono's
// RFC 3339 "AutoSi" formatting (0, 3, 6 or 9 fractional digits, `Z` suffix) of docs/wacht-api.md §1.

/** Microseconds since the Unix epoch. Always below 2^53, so a plain number is exact. */
export type EpochMicros = number;

/** A clock whose readings strictly increase, at µs precision like Postgres `timestamptz`. */
export class MicroClock {
  private last = 0;

  /** The current time in µs, strictly greater than any earlier reading. */
  nowMicros(): EpochMicros {
    const wall = Math.floor((performance.timeOrigin + performance.now()) * 1000);
    this.last = Math.max(wall, this.last + 1);
    return this.last;
  }

  /** Raises the floor so later readings stay after `micros` (used after loading saved state). */
  advancePast(micros: EpochMicros): void {
    this.last = Math.max(this.last, micros);
  }
}

/**
 * Formats an instant like chrono's `to_rfc3339_opts(SecondsFormat::AutoSi, true)`.
 * @param micros the instant in µs since the epoch
 * @param extraNanos sub-µs nanoseconds (0–999); only in-memory values such as the POST /users
 *   response have them, which is why that response shows 9 digits and later reads show 6.
 */
export function formatTimestamp(micros: EpochMicros, extraNanos = 0): string {
  const seconds = Math.floor(micros / 1_000_000);
  const nanos = (micros - seconds * 1_000_000) * 1000 + extraNanos;
  const base = secondsBase(seconds);
  if (nanos === 0) return `${base}Z`;
  if (nanos % 1_000_000 === 0) return `${base}.${String(nanos / 1_000_000).padStart(3, "0")}Z`;
  if (nanos % 1000 === 0) return `${base}.${String(nanos / 1000).padStart(6, "0")}Z`;
  return `${base}.${String(nanos).padStart(9, "0")}Z`;
}

// `YYYY-MM-DDTHH:MM:SS` of whole seconds since the epoch. Rendering a Date is the costly part of
// every timestamp in a response, and most of them share a few seconds (now, the seed time), so
// the prefixes are memoised; the cache is simply dropped when it grows past a bound.
const BASE_CACHE_LIMIT = 1024;
const baseCache = new Map<number, string>();

function secondsBase(seconds: number): string {
  let base = baseCache.get(seconds);
  if (base === undefined) {
    base = new Date(seconds * 1000).toISOString().slice(0, 19);
    if (baseCache.size >= BASE_CACHE_LIMIT) baseCache.clear();
    baseCache.set(seconds, base);
  }
  return base;
}
