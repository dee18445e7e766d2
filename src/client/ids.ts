// User id checks: ids are int64 Sonyflake numbers sent as decimal strings (wacht-api.md §1).
// Anything else is refused before sending, and the id is path-encoded anyway, so no id can reach
// another route (`1/password`, `../1`, `1?x=2`).

import { WachtValidationError } from "./errors";

const INT64_MAX = 9223372036854775807n;

/** Returns the path segment for a user id, or throws WachtValidationError. */
export function assertUserId(id: unknown, field = "id"): string {
  if (typeof id !== "string") {
    throw new WachtValidationError(
      field,
      `Wacht user ${field} must be a decimal string, got ${typeof id}`,
    );
  }
  if (!/^[0-9]{1,19}$/.test(id) || BigInt(id) > INT64_MAX) {
    throw new WachtValidationError(
      field,
      `Wacht user ${field} must be a decimal int64 string, got ${JSON.stringify(id.slice(0, 40))}`,
    );
  }
  return encodeURIComponent(id);
}
