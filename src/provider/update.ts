// update for wacht.User: plan → (read) → apply → outputs, then the password when its version
// changed. The plan is made once, against what this process knows of the user without a request
// (live/live-users.ts: a recent read, or the state's last read). Only a plan that writes, made
// against the state alone, reads the user first: the lost-update guard needs it as it is now.
import { conflictMessage } from "../diff/conflicts";
import { toOutputs } from "../diff/declaration-state";
import { planUpdate } from "../diff/plan-update";
import { passwordChanged } from "../diff/user-diff";
import type { UserDeclaration, UserOutputs } from "../schema/user-state";
import { applyPlan, setPassword, type Applied } from "./apply";
import { GuardRailError, withContext } from "./errors";
import type { Live, LiveUsers } from "./live/live-users";
import { partialFailure } from "./partial-failure";

/** One PATCH with only the changed fields, after the lost-update guard; then the password. */
export async function updateUser(
  users: LiveUsers,
  id: string,
  state: Partial<UserOutputs>,
  news: UserDeclaration,
  password: () => string | undefined,
): Promise<{ outs: Record<string, unknown> }> {
  const userId = state.userId ?? id;
  const read = async (): Promise<Live> => {
    try {
      return await users.read(userId);
    } catch (err) {
      withContext(`reading Wacht user ${userId} before updating it failed`, err);
    }
  };
  let live = users.known(userId, state) ?? (await read());
  let plan = planUpdate(state, live.user, news);
  if (plan.patch.length > 0 && live.from === "state") {
    live = await read();
    plan = planUpdate(state, live.user, news);
  }
  users.writing(userId); // also with delta refresh off: the census may read the run's listing
  if (plan.conflicts.length > 0) {
    throw new Error(conflictMessage(userId, state.updatedAt, live.user.updatedAt, plan.conflicts));
  }
  let applied: Applied;
  try {
    applied = await applyPlan(users.client, live.user, plan, news);
  } catch (err) {
    if (err instanceof GuardRailError) throw err;
    throw await partialFailure(users, userId, news, plan.stateOnFailure, err);
  }
  if (applied.uploadedSha256 !== null) plan.declaration.profileImageSha256 = applied.uploadedSha256;
  const outs: Record<string, unknown> = { ...toOutputs(applied.user, plan.declaration) };
  const declared = passwordChanged(state, news) ? password() : undefined;
  if (declared !== undefined) {
    // On failure the state keeps the previous version (or PASSWORD_PENDING): the next `up` retries.
    const keep = { ...outs, passwordVersion: state.passwordVersion ?? null };
    await setPassword(users.client, userId, declared, news, keep);
  }
  return { outs };
}
