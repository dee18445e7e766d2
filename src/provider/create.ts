// create for wacht.User: find (userId), adopt (one user by natural key) or create (POST without
// duplicates) the user, then PATCH what differs from the declaration, then set the password if
// the POST did not. A user this run's POST created is not read first: the PATCH is planned
// against the user presumed from the POST's answer (live/live-users.ts) and its answer is the
// read, so a create costs two requests (one GET instead when there is nothing to PATCH). A found
// or adopted user is read first. A user this run created is always recorded, even on failure.
import { declarationOf, toOutputs, type DeclarationState } from "../diff/declaration-state";
import { deleteCascadeWarning } from "../diff/guard-rails";
import { planUpdate } from "../diff/plan-update";
import { PASSWORD_PENDING } from "../diff/user-diff";
import type { UserDeclaration } from "../schema/user-state";
import { applyPlan, setPassword, type Applied } from "./apply";
import { GuardRailError, isNotFound, withContext } from "./errors";
import { expandCreate } from "./expand";
import type { Live, LiveUsers, NewUser } from "./live/live-users";
import { warn } from "./log";
import { partialFailure } from "./partial-failure";

/** Finds, adopts or creates the user, then PATCHes the declared fields that differ (or none). */
export async function createUser(
  users: LiveUsers,
  news: UserDeclaration,
  password: () => string | undefined,
): Promise<{ id: string; outs: Record<string, unknown> }> {
  const made: Partial<NewUser> & { userId: string } =
    news.userId !== undefined
      ? { userId: news.userId }
      : news.adopt !== undefined
        ? { userId: await users.adopt(news.adopt) }
        : await users.create(expandCreate(news, password()));
  const { userId } = made;
  const created = made.foundExisting !== undefined;
  // A user taken over from an earlier failed run did not get this run's POST (or password).
  const passwordSent = made.foundExisting === false;
  users.claim(userId);
  const declaration = declarationOf(news);
  // A declared password this run's POST did not send is recorded as pending until it is set: the
  // next `up` sets it, even without a passwordVersion.
  const pending: DeclarationState =
    !passwordSent && news.passwordHandle !== undefined
      ? { ...declaration, passwordVersion: PASSWORD_PENDING }
      : declaration;
  const read = async (): Promise<Live> => {
    try {
      return await users.read(userId);
    } catch (err) {
      if (isNotFound(err) && news.userId !== undefined) {
        withContext(
          `Wacht user ${userId} (userId) does not exist or belongs to another deployment`,
          err,
        );
      }
      withContext(`reading Wacht user ${userId} failed`, err);
    }
  };
  let live: Live;
  let declared: string | undefined;
  try {
    // The password the POST did not send, looked up before any other request: a lookup that
    // fails now (the same user declared twice with two passwords) still keeps a created user.
    declared = passwordSent ? undefined : password();
    live = made.live ?? (await read());
  } catch (err) {
    // The user exists now: keep it in state, or the next `up` would create another one.
    if (!created) throw err;
    throw await partialFailure(users, userId, news, pending, err, true);
  }
  let applied: Applied;
  try {
    const plan = planUpdate({}, live.user, news);
    // A presumed user is no read: with nothing to PATCH, the state comes from a GET.
    applied =
      live.from === "created" && plan.patch.length === 0
        ? { user: (await read()).user, uploadedSha256: null }
        : await applyPlan(users.client, live.user, plan, news);
  } catch (err) {
    if (err instanceof GuardRailError && !created) throw err; // refused before any request
    const kept = { ...pending, profileImageSha256: null };
    throw await partialFailure(users, userId, news, kept, err, created);
  }
  const { user, uploadedSha256 } = applied;
  if (declared !== undefined) {
    const kept =
      uploadedSha256 === null ? pending : { ...pending, profileImageSha256: uploadedSha256 };
    await setPassword(users.client, userId, declared, news, toOutputs(user, kept));
  }
  if (!created && declaration.onDelete === "delete") {
    warn(
      `onDelete is "delete" for Wacht user ${userId}, which this resource did not create: ${deleteCascadeWarning(userId, user)}, when the resource is deleted or replaced`,
    );
  }
  if (uploadedSha256 !== null) declaration.profileImageSha256 = uploadedSha256;
  return { id: userId, outs: { ...toOutputs(user, declaration) } };
}
