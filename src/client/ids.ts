// The one user-id rule: ids are positive int64 Sonyflake numbers sent as decimal strings
// (a Sonyflake id is never 0). Anything else is refused before sending, and the id is
// path-encoded anyway, so no id can reach another route (`1/password`, `../1`, `1?x=2`).
// isUserId is exported for every other check of a user id (declarations, state).

import { WachtValidationError } from "./errors";

const INT64_MAX = "9223372036854775807";

/** True for a Wacht user id: a decimal string of a positive int64 (1 … 2^63 − 1). */
export function isUserId(value: unknown): boolean {
  if (typeof value !== "string" || !/^[0-9]{1,19}$/.test(value) || !/[1-9]/.test(value))
    return false;
  // Same-length decimal strings compare like their numbers (leading zeros included).
  return value.length < 19 || value <= INT64_MAX;
}

/** Returns the path segment for a user id, or throws WachtValidationError. */
export function assertUserId(id: unknown, field = "id"): string {
  if (typeof id !== "string") {
    throw new WachtValidationError(
      field,
      `Wacht user ${field} must be a decimal string, got ${typeof id}`,
    );
  }
  if (!isUserId(id)) {
    throw new WachtValidationError(
      field,
      `Wacht user ${field} must be a positive decimal int64 string, got ${JSON.stringify(id.slice(0, 40))}`,
    );
  }
  return encodeURIComponent(id);
}
