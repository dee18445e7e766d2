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
import { GuardRailError, isNotFound, messageOf, withContext } from "./errors";
import { expandCreate } from "./expand";
import type { Live, LiveUsers } from "./live/live-users";
import { warn } from "./log";
import { partialFailure, PartialFailureError } from "./partial-failure";

/** The user a create manages, and what its POST (if any) already did. */
interface Resolved {
  userId: string;
  created: boolean;
  passwordSent: boolean;
  /** The user as this run's POST created it (its answer arrived), or undefined: read it. */
  presumed?: Live;
}

/** Finds, adopts or creates the user, then PATCHes the declared fields that differ (or none). */
export async function createUser(
  users: LiveUsers,
  news: UserDeclaration,
  password: () => string | undefined,
): Promise<{ id: string; outs: Record<string, unknown> }> {
  const resolved = await resolveUser(users, news, password);
  users.claim(resolved.userId);
  const declaration = declarationOf(news);
  try {
    return await reconcile(users, resolved, news, declaration, password);
  } catch (err) {
    if (err instanceof PartialFailureError || !resolved.created) throw err;
    // The user exists now: keep it in state, or the next `up` would create another one. A
    // declared password not yet sent (taken-over user) is recorded as pending.
    const kept = passwordPending(declaration, news, resolved.passwordSent);
    throw await partialFailure(users, resolved.userId, news, kept, err, true);
  }
}

async function resolveUser(
  users: LiveUsers,
  news: UserDeclaration,
  password: () => string | undefined,
): Promise<Resolved> {
  if (news.userId !== undefined) {
    return { userId: news.userId, created: false, passwordSent: false };
  }
  if (news.adopt !== undefined) {
    return { userId: await users.adopt(news.adopt), created: false, passwordSent: false };
  }
  const made = await users.create(expandCreate(news, password()));
  // A user taken over from an earlier failed run did not get this run's POST (or password).
  return {
    userId: made.userId,
    created: true,
    passwordSent: !made.foundExisting,
    presumed: made.live,
  };
}

/** After resolveUser: read the user (unless presumed), PATCH what differs, set the password. */
async function reconcile(
  users: LiveUsers,
  { userId, created, passwordSent, presumed }: Resolved,
  news: UserDeclaration,
  declaration: DeclarationState,
  password: () => string | undefined,
): Promise<{ id: string; outs: Record<string, unknown> }> {
  const { client } = users;
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
  const live = presumed ?? (await read());
  let applied: Applied;
  try {
    const plan = planUpdate({}, live.user, news);
    // A presumed user is no read: with nothing to PATCH, the state comes from a GET.
    applied =
      live.from === "created" && plan.patch.length === 0
        ? { user: (await read()).user, uploadedSha256: null }
        : await applyPlan(client, live.user, plan, news);
  } catch (err) {
    if (err instanceof GuardRailError && !created) throw err; // refused before any request
    const kept = { ...passwordPending(declaration, news, passwordSent), profileImageSha256: null };
    throw await partialFailure(users, userId, news, kept, err, created);
  }
  const { user, uploadedSha256 } = applied;
  const declared = passwordSent ? undefined : password();
  if (declared !== undefined) {
    try {
      await setPassword(client, userId, declared, news);
    } catch (err) {
      // Recorded as pending: the next `up` sets it, even without a passwordVersion.
      const kept = passwordPending(declaration, news, false);
      if (uploadedSha256 !== null) kept.profileImageSha256 = uploadedSha256;
      throw new PartialFailureError(
        messageOf(err),
        userId,
        { ...toOutputs(user, kept), __provider: news.__provider },
        err,
      );
    }
  }
  if (!created && declaration.onDelete === "delete") {
    warn(
      `onDelete is "delete" for Wacht user ${userId}, which this resource did not create: ${deleteCascadeWarning(userId, user)}, when the resource is deleted or replaced`,
    );
  }
  if (uploadedSha256 !== null) declaration.profileImageSha256 = uploadedSha256;
  return { id: userId, outs: { ...toOutputs(user, declaration) } };
}

/**
 * The declaration to record when the declared password may not have been set yet: it was not
 * sent by this run's POST, and one is declared. Its version is then PASSWORD_PENDING, so the
 * next `up` sets it.
 */
function passwordPending(
  declaration: DeclarationState,
  news: UserDeclaration,
  passwordSent: boolean,
): DeclarationState {
  return !passwordSent && news.passwordHandle !== undefined
    ? { ...declaration, passwordVersion: PASSWORD_PENDING }
    : declaration;
}
