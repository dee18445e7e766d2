// Applying a plan: the one PATCH (after the guard rail and the warnings), and setting the
// password through its own route. Shared by create (the PATCH after the POST) and update.
import type { WachtClient } from "../client/wacht-client";
import type { UpdatePlan } from "../diff/plan-update";
import type { LiveUser, UserDeclaration } from "../schema/user-state";
import { GuardRailError, withContext } from "./errors";
import { expandUpdate } from "./expand";
import { liveUser } from "./live/live-user";
import { warn } from "./log";

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

/** Sets the declared password (PATCH /users/{id}/password). */
export async function setPassword(
  client: WachtClient,
  userId: string,
  password: string,
  news: UserDeclaration,
): Promise<void> {
  try {
    await client.users.setPassword(userId, password, {
      skipPasswordCheck: news.skipPasswordCheck === true,
    });
  } catch (err) {
    withContext(`setting the password of Wacht user ${userId} failed`, err);
  }
}
