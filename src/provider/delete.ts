// delete for wacht.User, and the onDelete default in one place beside the code that applies it:
// a user the resource creates is its own, so deleting the resource deletes it; a user it was
// given (userId) or adopted belongs to someone else first and is kept.
import type { OnDeletePolicy } from "../schema/user-fields";
import type { UserOrigin, UserOutputs } from "../schema/user-state";
import type { Call } from "./call";
import { isNotFound, withContext } from "./errors";
import { describeUserMemberships } from "../membership/user-memberships";
import { deleteCascadeWarning } from "./guard-rails";
import { warn } from "./log";

/** The policy when the declaration names none (check fills it in). */
export function defaultOnDelete(origin: UserOrigin): OnDeletePolicy {
  return origin === "create" ? "delete" : "retain";
}

/** Applies the onDelete policy: retain (no request), disable (PATCH) or delete (DELETE). */
export async function deleteUser(
  call: () => Call,
  settings: () => unknown,
  id: string,
  state: Partial<UserOutputs>,
): Promise<void> {
  const userId = state.userId ?? id;
  const policy = state.onDelete ?? defaultOnDelete(state.origin ?? "userId");
  if (policy === "retain") {
    settings(); // a missing key is still reported
    return;
  }
  const current = call();
  if (current.claimed(userId)) {
    warn(
      `not applying onDelete "${policy}" to Wacht user ${userId}: another resource of this deployment just took it over (a replacement that found the same user)`,
    );
    return;
  }
  try {
    if (policy === "disable") {
      await current.client.users.update(userId, { disabled: true });
    } else {
      const memberships = await describeUserMemberships(current.client, userId);
      warn(deleteCascadeWarning(userId, state, memberships));
      await current.client.users.delete(userId);
    }
  } catch (err) {
    if (isNotFound(err)) return; // already gone: the goal of both policies is met
    withContext(
      `${policy === "disable" ? "disabling" : "deleting"} Wacht user ${userId} failed`,
      err,
    );
  }
}
