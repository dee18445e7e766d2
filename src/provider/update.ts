// update for wacht.User: read → plan → apply → outputs. The state's diff (no request) decides
// whether the user must be read at all; the plan against the live user decides the one PATCH.
// The live user is this process's own recent read when there is one (recent-reads.ts: after
// `up --refresh` the update is one PATCH), else one GET. Then the password, when its version
// changed.
import { conflictMessage } from "../diff/conflicts";
import { externalKeys } from "../diff/metadata-ownership";
import { diffUser, PASSWORD_PENDING } from "../diff/user-diff";
import type { UserDeclaration, UserOutputs } from "../schema/user-state";
import type { ApiUserDetails } from "../schema/wire";
import { applyPlan, setPassword, type Applied } from "./apply";
import type { Call } from "./call";
import { GuardRailError, messageOf, withContext } from "./errors";
import { partialFailure, PartialFailureError } from "./partial-failure";
import { planUpdate } from "./plan-update";
import { declarationOf, toOutputs, type DeclarationState } from "./to-outputs";

/** One PATCH with only the changed fields, after the lost-update guard; then the password. */
export async function updateUser(
  call: Call,
  id: string,
  state: Partial<UserOutputs>,
  news: UserDeclaration,
): Promise<{ outs: Record<string, unknown> }> {
  const { client } = call;
  const userId = state.userId ?? id;
  const { changedFields, passwordChanged } = diffUser(state, news);
  call.wrote(userId); // also with delta refresh off: the census may read the run's listing
  let outs: Record<string, unknown> = withDeclaration(state, declarationOf(news));
  if (changedFields.length > 0 || !state.updatedAt) {
    let live: ApiUserDetails;
    try {
      live = call.reads.recent(userId, state.updatedAt) ?? (await client.users.get(userId));
    } catch (err) {
      withContext(`reading Wacht user ${userId} before updating it failed`, err);
    }
    call.reads.forget(userId); // written from here on: the next update of it reads it again
    const plan = planUpdate(state, live, news);
    if (plan.conflicts.length > 0) {
      throw new Error(conflictMessage(userId, state.updatedAt, live.updated_at, plan.conflicts));
    }
    let applied: Applied;
    try {
      applied = await applyPlan(client, live, plan, news);
    } catch (err) {
      if (err instanceof GuardRailError) throw err;
      throw await partialFailure(client, userId, news, plan.stateOnFailure, err);
    }
    if (applied.uploadedSha256 !== null)
      plan.declaration.profileImageSha256 = applied.uploadedSha256;
    outs = { ...toOutputs(applied.details, plan.declaration) };
  }
  const password = passwordChanged ? call.password(news) : undefined;
  if (password !== undefined) {
    try {
      await setPassword(client, userId, password, news);
    } catch (err) {
      // The fields were written: record them, with the password still to be set.
      const previous = state.passwordVersion ?? null;
      throw new PartialFailureError(
        messageOf(err),
        userId,
        {
          ...outs,
          passwordVersion: previous === PASSWORD_PENDING ? PASSWORD_PENDING : previous,
          __provider: news.__provider,
        },
        err,
      );
    }
  }
  return { outs };
}

/** A state with new declaration-side values and external keys recomputed (no request made). */
function withDeclaration(
  state: Partial<UserOutputs>,
  declaration: DeclarationState,
): Record<string, unknown> {
  const keys = declaration.metadataOwnership === "keys";
  return {
    ...state,
    ...declaration,
    externalPublicMetadataKeys: keys
      ? externalKeys(state.publicMetadata ?? null, declaration.managedPublicMetadataKeys)
      : [],
    externalPrivateMetadataKeys: keys
      ? externalKeys(state.privateMetadata ?? null, declaration.managedPrivateMetadataKeys)
      : [],
  };
}
