// The one user-id rule (docs/wacht-api.md §1): ids are positive int64 Sonyflake numbers written as
// decimal strings (a Sonyflake id is never 0). Declarations, state, the census and the client
// all check ids with this function.

const INT64_MAX = "9223372036854775807";

/** True for a Wacht user id: a decimal string of a positive int64 (1 … 2^63 − 1). */
export function isUserId(value: unknown): boolean {
  if (typeof value !== "string" || !/^[0-9]{1,19}$/.test(value) || !/[1-9]/.test(value))
    return false;
  // Same-length decimal strings compare like their numbers (leading zeros included).
  return value.length < 19 || value <= INT64_MAX;
}

/** An id in canonical form: "0042" and "42" are one int64 (anything else is returned as is). */
export function canonicalUserId(id: string): string {
  try {
    return BigInt(id).toString();
  } catch {
    return id;
  }
}
