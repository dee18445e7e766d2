// Deterministic Sonyflake-shaped int64 ids, always handled as decimal strings (docs/wacht-api.md §1).
// Every id is far above 2^53 and has non-zero low bits, so a client that parses ids as JS numbers
// gets a different id back and breaks visibly instead of silently.

/** Sonyflake time units (10 ms) from 2014-09-01 to 2026-01-01: fixed, so ids are reproducible. */
const BASE_TIME_UNITS = 35_620_416_000n;
const MACHINE_ID = 0x2a7dn;
const INT64_MAX = 9_223_372_036_854_775_807n;
const INT64_MIN = -9_223_372_036_854_775_808n;

/** Hands out ids `((time << 24) | (sequence << 16) | machine)`, one time unit per id. */
export class IdGenerator {
  constructor(private sequence = 0) {}

  /** The next id as a decimal string. */
  next(): string {
    const n = BigInt(this.sequence++);
    return (((BASE_TIME_UNITS + n) << 24n) | ((n % 256n) << 16n) | MACHINE_ID).toString();
  }

  /** How many ids were handed out; persisted so a restarted emulator never reuses one. */
  get issued(): number {
    return this.sequence;
  }
}

/**
 * Parses a path id the way Rust's `i64::from_str` does (optional sign, digits, leading zeros
 * allowed) and returns its canonical decimal form, or `undefined` when it is not an int64.
 */
export function parseInt64(raw: string): string | undefined {
  if (!/^[+-]?\d+$/.test(raw)) return undefined;
  const value = BigInt(raw);
  if (value > INT64_MAX || value < INT64_MIN) return undefined;
  return value.toString();
}

/** The deployment every API key maps to unless `apiKeys` says otherwise. */
export const DEFAULT_DEPLOYMENT_ID = "597652436791357441";
