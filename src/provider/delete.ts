// delete for wacht.User: applies the onDelete policy (its default: diff/declaration-state.ts).
import { defaultOnDelete } from "../diff/declaration-state";
import { deleteCascadeWarning } from "../diff/guard-rails";
import { describeUserMemberships } from "../membership/user-memberships";
import type { UserOutputs } from "../schema/user-state";
import { isNotFound, withContext } from "./errors";
import type { LiveUsers } from "./live/live-users";
import { warn } from "./log";

/** Applies the onDelete policy: retain (no request), disable (PATCH) or delete (DELETE). */
export async function deleteUser(
  users: LiveUsers,
  id: string,
  state: Partial<UserOutputs>,
): Promise<void> {
  const userId = state.userId ?? id;
  const policy = state.onDelete ?? defaultOnDelete(state.origin ?? "userId");
  if (policy === "retain") return;
  if (users.isClaimed(userId)) {
    warn(
      `not applying onDelete "${policy}" to Wacht user ${userId}: another resource of this deployment just took it over (a replacement that found the same user)`,
    );
    return;
  }
  try {
    if (policy === "disable") {
      await users.client.users.update(userId, { disabled: true });
    } else {
      // The warning names the user's memberships: two reads per user, unless the run's one look
      // found no organization in the deployment (then there are none to name).
      const memberships = (await users.anyOrganization())
        ? await describeUserMemberships(users.client, userId)
        : [];
      warn(deleteCascadeWarning(userId, state, memberships));
      await users.client.users.delete(userId);
    }
  } catch (err) {
    if (isNotFound(err)) return; // already gone: the goal of both policies is met
    withContext(
      `${policy === "disable" ? "disabling" : "deleting"} Wacht user ${userId} failed`,
      err,
    );
  }
}
