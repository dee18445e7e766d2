// Applying a plan: the one PATCH (after the guard rail and the warnings), and setting the
// password through its own route. Shared by create (the PATCH after the POST) and update.
import type { WachtClient } from "../client/wacht-client";
import type { UpdatePlan } from "../diff/plan-update";
import type { LiveUser, UserDeclaration } from "../schema/user-state";
import { GuardRailError, inContext, withContext } from "./errors";
import { expandUpdate } from "./expand";
import { liveUser } from "./live/live-user";
import { warn } from "./log";
import { PartialFailureError } from "./partial-failure";

/** The user after the PATCH (`live` when there was nothing to send) and the image's hash. */
export interface Applied {
  user: LiveUser;
  uploadedSha256: string | null;
}

/** Sends the plan's PATCH; throws GuardRailError (before any request) when a guard rail refuses. */
export async function applyPlan(
  client: WachtClient,
  live: LiveUser,
  plan: UpdatePlan,
  news: UserDeclaration,
): Promise<Applied> {
  if (plan.patch.length === 0) return { user: live, uploadedSha256: null };
  if (plan.refusal !== null) throw new GuardRailError(plan.refusal);
  for (const w of plan.warnings) warn(w);
  const { update, uploadedSha256 } = await expandUpdate(plan.patch, news);
  Object.assign(update, plan.merged);
  try {
    return { user: liveUser(await client.users.update(live.userId, update)), uploadedSha256 };
  } catch (err) {
    withContext(`updating Wacht user ${live.userId} (${plan.patch.join(", ")}) failed`, err);
  }
}

/**
 * Sets the declared password (PATCH /users/{id}/password), after the fields were written: a
 * failure is partial, and records `keep` (the state with the password still to be set).
 */
export async function setPassword(
  client: WachtClient,
  userId: string,
  password: string,
  news: UserDeclaration,
  keep: object,
): Promise<void> {
  try {
    await client.users.setPassword(userId, password, {
      skipPasswordCheck: news.skipPasswordCheck === true,
    });
  } catch (err) {
    const failed = inContext(`setting the password of Wacht user ${userId} failed`, err);
    const state = { ...keep, __provider: news.__provider };
    throw new PartialFailureError(failed.message, userId, state, failed);
  }
}
