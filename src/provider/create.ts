// create for wacht.User: find (userId), adopt (one user by natural key) or create (POST without
// duplicates) the user, then PATCH what differs from the declaration, then set the password if
// the POST did not. A user this run's POST created is not read first: the PATCH is planned
// against the row Wacht creates (fresh-user.ts) and its answer is the read (one GET instead when
// there is nothing to PATCH), so a create costs two requests. A found or adopted user is read
// first. A user this run created is always recorded, even on failure.
import { DEFAULT_TIMEOUT_MS } from "../client/config";
import { isWachtError } from "../client/errors";
import type { WachtClient } from "../client/wacht-client";
import { PASSWORD_PENDING } from "../diff/user-diff";
import type { UserDeclaration } from "../schema/user-state";
import type { ApiUserDetails } from "../schema/wire";
import { applyPlan, setPassword, type Applied } from "./apply";
import type { Call } from "./call";
import { createWithoutDuplicates } from "./create-user";
import { GuardRailError, isNotFound, messageOf, withContext } from "./errors";
import { expandCreate } from "./expand";
import { presumedDetails } from "./fresh-user";
import { deleteCascadeWarning } from "./guard-rails";
import { describeKey, findByNaturalKey, type NaturalKey } from "./locate-user";
import { warn } from "./log";
import { partialFailure, PartialFailureError } from "./partial-failure";
import { planUpdate } from "./plan-update";
import { declarationOf, toOutputs, type DeclarationState } from "./to-outputs";

/** The user a create manages, and what its POST (if any) already did. */
interface Resolved {
  userId: string;
  created: boolean;
  passwordSent: boolean;
  /** The user as this run's POST created it (its answer arrived), or undefined: read it. */
  presumed?: ApiUserDetails;
}

/** Finds, adopts or creates the user, then PATCHes the declared fields that differ (or none). */
export async function createUser(
  call: Call,
  news: UserDeclaration,
): Promise<{ id: string; outs: Record<string, unknown> }> {
  const resolved = await resolveUser(call, news);
  call.claim(resolved.userId);
  const declaration = declarationOf(news);
  try {
    return await reconcile(call, resolved, news, declaration);
  } catch (err) {
    if (err instanceof PartialFailureError || !resolved.created) throw err;
    // The user exists now: keep it in state, or the next `up` would create another one. A
    // declared password not yet sent (taken-over user) is recorded as pending.
    const kept = passwordPending(declaration, news, resolved.passwordSent);
    throw await partialFailure(call.client, resolved.userId, news, kept, err, true);
  }
}

async function resolveUser(call: Call, news: UserDeclaration): Promise<Resolved> {
  if (news.userId !== undefined)
    return { userId: news.userId, created: false, passwordSent: false };
  if (news.adopt !== undefined) {
    const userId = await adopt(call.client, news.adopt);
    return { userId, created: false, passwordSent: false };
  }
  const fields = expandCreate(news, call.password(news));
  const key: NaturalKey =
    fields.emailAddress !== undefined
      ? { email: fields.emailAddress }
      : fields.username !== undefined
        ? { username: fields.username }
        : { phoneNumber: fields.phoneNumber ?? "" };
  try {
    // A POST that timed out may still be running: wait up to twice the request timeout for it.
    const settleMs = Math.min(2 * (call.settings.timeoutMs ?? DEFAULT_TIMEOUT_MS), 60_000);
    const result = await createWithoutDuplicates(call.client, fields, key, call.recent, {
      settleMs,
    });
    if (result.foundExisting) {
      warn(
        `a Wacht user with ${describeKey(key)} was created within the last hour (${result.userId}), probably by an earlier run that failed before recording it; managing it instead of creating a duplicate`,
      );
    }
    if (result.recovery === "found") {
      warn(
        `creating the user with ${describeKey(key)} failed ambiguously (${result.recoveredAfter.join("; ")}); found the user it created, ${result.userId}, instead of creating a duplicate`,
      );
    } else if (result.recovery === "resent") {
      warn(
        `creating the user with ${describeKey(key)} failed (${result.recoveredAfter.join("; ")}) and no user with that key existed afterwards, so the POST did not take effect; it was sent again and created ${result.userId}`,
      );
    }
    // A user taken over from an earlier failed run did not get this run's POST (or password).
    const presumed =
      result.answer === undefined ? undefined : presumedDetails(result.answer, fields);
    return { userId: result.userId, created: true, passwordSent: !result.foundExisting, presumed };
  } catch (err) {
    // Errors of createWithoutDuplicates already say what was being created.
    if (!isWachtError(err)) throw err;
    withContext(`creating a Wacht user with ${describeKey(key)} failed`, err);
  }
}

/** The one user with the adopt key; an error for none or several. */
async function adopt(client: WachtClient, key: NaturalKey): Promise<string> {
  let matches;
  try {
    matches = await findByNaturalKey(client, key);
  } catch (err) {
    withContext(`looking up the Wacht user to adopt by ${describeKey(key)} failed`, err);
  }
  if (matches.length === 0) {
    throw new Error(
      `no Wacht user has ${describeKey(key)}: nothing to adopt (adopt finds existing users; declare emailAddress/username without adopt to create one)`,
    );
  }
  if (matches.length > 1) {
    throw new Error(
      `${matches.length} Wacht users have ${describeKey(key)} (${matches.map((m) => m.id).join(", ")}): adopt needs exactly one; use userId to pick one`,
    );
  }
  return (matches[0] as { id: string }).id;
}

/** After resolveUser: read the user, PATCH what differs, set the password. */
async function reconcile(
  call: Call,
  { userId, created, passwordSent, presumed }: Resolved,
  news: UserDeclaration,
  declaration: DeclarationState,
): Promise<{ id: string; outs: Record<string, unknown> }> {
  const { client } = call;
  let live: ApiUserDetails;
  try {
    live = presumed ?? (await client.users.get(userId));
  } catch (err) {
    if (isNotFound(err) && news.userId !== undefined) {
      withContext(
        `Wacht user ${userId} (userId) does not exist or belongs to another deployment`,
        err,
      );
    }
    withContext(`reading Wacht user ${userId} failed`, err);
  }
  let applied: Applied;
  try {
    const plan = planUpdate({}, live, news);
    applied =
      presumed !== undefined && plan.patch.length === 0
        ? { details: await readCreated(client, userId), uploadedSha256: null } // the real read
        : await applyPlan(client, live, plan, news);
  } catch (err) {
    if (err instanceof GuardRailError && !created) throw err; // refused before any request
    const kept = { ...passwordPending(declaration, news, passwordSent), profileImageSha256: null };
    throw await partialFailure(client, userId, news, kept, err, created);
  }
  const { details, uploadedSha256 } = applied;
  const password = passwordSent ? undefined : call.password(news);
  if (password !== undefined) {
    try {
      await setPassword(client, userId, password, news);
    } catch (err) {
      // Recorded as pending: the next `up` sets it, even without a passwordVersion.
      const kept = passwordPending(declaration, news, false);
      if (uploadedSha256 !== null) kept.profileImageSha256 = uploadedSha256;
      throw new PartialFailureError(
        messageOf(err),
        userId,
        { ...toOutputs(details, kept), __provider: news.__provider },
        err,
      );
    }
  }
  if (!created && declaration.onDelete === "delete") {
    warn(
      `onDelete is "delete" for Wacht user ${userId}, which this resource did not create: ${deleteCascadeWarning(userId, toOutputs(details, declaration))}, when the resource is deleted or replaced`,
    );
  }
  if (uploadedSha256 !== null) declaration.profileImageSha256 = uploadedSha256;
  return { id: userId, outs: { ...toOutputs(details, declaration) } };
}

/** The details of a user this run just created (nothing to PATCH, so one GET reads it). */
async function readCreated(client: WachtClient, userId: string): Promise<ApiUserDetails> {
  try {
    return await client.users.get(userId);
  } catch (err) {
    withContext(`reading Wacht user ${userId} failed`, err);
  }
}

/**
 * The declaration to record when the declared password may not have been set yet: it was not
 * sent by this run's POST, and one is declared. Its version is then PASSWORD_PENDING, so the
 * next `up` sets it.
 */
export function passwordPending(
  declaration: DeclarationState,
  news: UserDeclaration,
  passwordSent: boolean,
): DeclarationState {
  return !passwordSent && news.passwordHandle !== undefined
    ? { ...declaration, passwordVersion: PASSWORD_PENDING }
    : declaration;
}
