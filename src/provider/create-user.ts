// POST /users without duplicates (issue #5). POST is not idempotent and Wacht has no idempotency
// key, so after an AMBIGUOUS failure (timeout, dropped connection, 5xx, unreadable answer) the
// request may or may not have created the user. Before trying again, look the user up by its
// unique key with an exact match (never by search alone: the index lags, docs/wacht-api.md §6).
import { classifyCreateFailure, CREATE_RETRY } from "../client/retry";
import type { UserCreate } from "../client/user-params";
import type { WachtClient } from "../client/wacht-client";
import { CREATE_FIELDS, fieldRow } from "../schema/user-field-lists";
import type { UserFieldName } from "../schema/user-field-table";
import type { ApiUserSummary } from "../schema/wire";
import { describeKey, findCreatedSince, type NaturalKey } from "./locate-user";
import { RECENT_MS, type RecentUsers } from "./recent-users";

/** Server and local clocks may disagree: a user created this long before the POST still counts. */
const CLOCK_SKEW_MS = 60_000;

/** The outcome: the user's id, the ambiguous failures recovered from, and whether it pre-existed. */
export interface CreatedUser {
  userId: string;
  recoveredAfter: string[];
  /** True when a user with the key, created in the last hour, was found and taken over. */
  foundExisting: boolean;
  /**
   * After `recoveredAfter`: `found` when the lookup found the user the failed POST created,
   * `resent` when no such user existed and the POST sent again created it.
   */
  recovery: "found" | "resent" | "none";
  /** The POST's own answer, when this call's POST created the user and its answer arrived. */
  answer?: ApiUserSummary;
}

/** True when a failed POST may still have created the user on the server (client retry rule). */
export function isAmbiguousFailure(err: unknown): boolean {
  return classifyCreateFailure(err) !== "not-created";
}

/** True when the failed POST may still be running on the server (no answer was received). */
function mayStillBeRunning(err: unknown): boolean {
  return classifyCreateFailure(err) === "unanswered";
}

/** Options of {@link createWithoutDuplicates}. */
export interface CreateOptions {
  /**
   * After a timeout or dropped connection the first POST may still be running on the server:
   * the lookup is repeated for this long before the POST is sent again. @default 10000
   */
  settleMs?: number;
  /** Interval of those repeated lookups. @default 250 */
  pollMs?: number;
  /** POST attempts in all (ambiguous failures only). @default 3 */
  maxAttempts?: number;
  /** Wait between attempts, ms. @default 500 (doubles each time) */
  backoffMs?: number;
  sleep?: (ms: number) => Promise<void>;
}

/**
 * True when the listed user has exactly the fields a POST of `fields` would have stored (§4): the
 * create fields the table reads back (absent = "", trimmed where POST trims), and the email.
 */
export function sameAsPost(user: ApiUserSummary, fields: UserCreate): boolean {
  const listed = user as unknown as Record<string, string | null | undefined>;
  const sent = fields as Record<string, unknown>;
  const stored = (name: UserFieldName): string => {
    const value = sent[name];
    if (typeof value !== "string") return "";
    return fieldRow(name).trimmed ? value.trim() : value;
  };
  const email = fields.emailAddress?.trim().toLowerCase() ?? null;
  return (
    READ_BACK_ON_CREATE.every(
      (name) => (listed[fieldRow(name).read ?? ""] ?? "") === stored(name),
    ) && (user.primary_email_address?.toLowerCase() ?? null) === email
  );
}

/** Create fields that a listed user shows under their table `read` name. */
const READ_BACK_ON_CREATE = CREATE_FIELDS.filter((f) => fieldRow(f).read !== null);

async function tryFind(
  client: WachtClient,
  key: NaturalKey,
  sinceMs: number,
): Promise<{ matches: ApiUserSummary[] } | { error: unknown }> {
  try {
    return { matches: await findCreatedSince(client, key, sinceMs) };
  } catch (error) {
    return { error };
  }
}

/**
 * Creates the user described by `fields`, whose unique natural key is `key`.
 *
 * - Before the POST, the shared listing of recently created users (`recent`, no request after the
 *   process's first create) is searched for the key: a user created within the last hour with
 *   exactly this POST's fields was most likely left by an earlier run that failed after its POST,
 *   and is taken over (`foundExisting`) instead of being created twice; any other, or several,
 *   is an error that points at `adopt`, since a second user with the key is rarely what was meant.
 * - An ambiguous failure is followed by exact lookups (repeated while a timed-out POST may still
 *   be running): a match is the user this call created. After a 5xx (the server answered, so its
 *   work is over) no match means the POST did not take effect and it is sent again. After no
 *   answer at all (timeout, dropped connection) the POST is NOT sent again in this run: it fails
 *   clearly and the next run's search settles it. A lookup that keeps failing is an error too.
 * - Any other failure is thrown as is.
 */
export async function createWithoutDuplicates(
  client: WachtClient,
  fields: UserCreate,
  key: NaturalKey,
  recent: RecentUsers,
  options: CreateOptions = {},
): Promise<CreatedUser> {
  const maxAttempts = options.maxAttempts ?? CREATE_RETRY.maxAttempts;
  const sleep = options.sleep ?? ((ms: number) => new Promise<void>((r) => setTimeout(r, ms)));
  let backoff = options.backoffMs ?? CREATE_RETRY.backoffMs;
  const failures: string[] = [];

  // A user with this key may exist already, typically left behind by an earlier run that failed
  // after its POST: the process's one listing of the recently created users (recent-users.ts)
  // shows it. It is taken over only when it is provably that user: created within the hour with
  // exactly the fields this POST sends. Anyone else (a person who signed up with that email) is
  // never taken over: the create fails and points at adopt, which makes the takeover explicit.
  const existing = await recent.matching(key);
  const ours = existing.filter(
    (u) => Date.parse(u.created_at) >= Date.now() - RECENT_MS && sameAsPost(u, fields),
  );
  if (existing.length === 1 && ours[0] !== undefined) {
    return { userId: ours[0].id, recoveredAfter: failures, foundExisting: true, recovery: "none" };
  }
  if (existing.length > 0) {
    const how =
      key.email !== undefined
        ? "adopt: { email }"
        : key.username !== undefined
          ? "adopt: { username }"
          : "userId";
    throw new Error(
      `a Wacht user with ${describeKey(key)} already exists (${existing.map((u) => `${u.id}, created ${u.created_at}`).join("; ")}) and was not created by this resource; not creating another one. To manage it, declare ${how}`,
    );
  }

  for (let attempt = 1; ; attempt++) {
    const startedAt = Date.now() - CLOCK_SKEW_MS;
    try {
      const answer = await client.users.create(fields);
      const recovery = failures.length > 0 ? "resent" : "none";
      return {
        userId: answer.id,
        recoveredAfter: failures,
        foundExisting: false,
        recovery,
        answer,
      };
    } catch (err) {
      if (!isAmbiguousFailure(err)) throw err;
      failures.push(err instanceof Error ? err.message : String(err));
      // This POST may have created the user: a later create with this key in this process looks
      // for it again (the shared listing was taken before it).
      recent.noAnswer(key, startedAt);
      const deadline =
        Date.now() + (mayStillBeRunning(err) ? (options.settleMs ?? CREATE_RETRY.settleMs) : 0);
      let found = await tryFind(client, key, startedAt);
      while (("error" in found || found.matches.length === 0) && Date.now() < deadline) {
        await sleep(
          Math.min(options.pollMs ?? CREATE_RETRY.pollMs, Math.max(0, deadline - Date.now())),
        );
        found = await tryFind(client, key, startedAt);
      }
      if ("error" in found) {
        const why = found.error instanceof Error ? found.error.message : String(found.error);
        throw new Error(
          `creating a Wacht user with ${describeKey(key)} failed ambiguously (${failures.join("; ")}) and looking it up failed too (${why}); not sending the POST again blindly. The next run finds the user if it was created`,
          { cause: err },
        );
      }
      const matches = found.matches;
      if (matches.length === 1 && matches[0] !== undefined) {
        const userId = matches[0].id;
        return { userId, recoveredAfter: failures, foundExisting: false, recovery: "found" };
      }
      if (matches.length > 1) {
        throw new Error(
          `creating a Wacht user with ${describeKey(key)} failed ambiguously (${failures.join("; ")}) and ${matches.length} users now match it (${matches.map((m) => m.id).join(", ")}); adopt the right one with adopt or userId`,
          { cause: err },
        );
      }
      if (mayStillBeRunning(err)) {
        // No answer came back, so the first POST may still complete after any wait we choose:
        // sending it again in this run could make a duplicate. The next run's search before the
        // POST takes the user over if it was created, or creates it if not.
        throw new Error(
          `creating a Wacht user with ${describeKey(key)} got no answer (${failures.join("; ")}) and no such user appeared within ${options.settleMs ?? CREATE_RETRY.settleMs} ms; not sending the POST again while the first may still complete. Run \`pulumi up\` again: it takes the user over if it was created, or creates it`,
          { cause: err },
        );
      }
      if (attempt >= maxAttempts) {
        throw new Error(
          `creating a Wacht user with ${describeKey(key)} failed ${attempt} times and no such user exists: ${failures.join("; ")}`,
          { cause: err },
        );
      }
      await sleep(backoff);
      backoff *= 2;
    }
  }
}
