// The one user-id rule: ids are positive int64 Sonyflake numbers sent as decimal strings
// (a Sonyflake id is never 0). Anything else is refused before sending, and the id is
// path-encoded anyway, so no id can reach another route (`1/password`, `../1`, `1?x=2`).
// The rule itself lives in schema/user-id.ts, shared with declarations, state and the census.

import { isUserId } from "../schema/user-id";
import { WachtValidationError } from "./errors";

export { isUserId };

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
