// Wacht timestamps are RFC 3339 with 0, 3, 6 or 9 fractional digits; POST /users answers with 9,
// later reads with 6 (docs/wacht-api.md §1). Instants are compared at microsecond precision. Pure.

/** `YYYY-MM-DDTHH:MM:SS.ffffffZ`, or the input unchanged when it is not such a timestamp. */
export function toMicros(ts: string): string {
  const m = /^(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2})(?:\.(\d+))?(Z|[+-]00:00)$/.exec(ts);
  if (m === null) return ts;
  const fraction = (m[2] ?? "").padEnd(6, "0").slice(0, 6);
  return `${m[1] ?? ""}.${fraction}Z`;
}

/** True when the two timestamps denote the same instant at µs precision. */
export function sameInstant(a: string, b: string): boolean {
  return toMicros(a) === toMicros(b);
}
