// POST /users without duplicates (issue #5). POST is not idempotent and Wacht has no idempotency
// key, so after an AMBIGUOUS failure (timeout, dropped connection, 5xx, unreadable answer) the
// request may or may not have created the user. Before trying again, look the user up by its
// unique key with an exact match (never by search alone: the index lags, wacht-api.md §6).
import { isWachtError, type WachtError } from "../client/errors";
import type { UserCreate } from "../client/user-params";
import type { WachtClient } from "../client/wacht-client";
import { describeKey, findCreatedSince, type NaturalKey } from "./locate-user";

/** Server and local clocks may disagree: a user created this long before the POST still counts. */
const CLOCK_SKEW_MS = 60_000;

/** The outcome: the new user's id, and whether it was found after an ambiguous failure. */
export interface CreatedUser {
  userId: string;
  recoveredAfter: string[];
}

/** True when a failed POST may still have created the user on the server. */
export function isAmbiguousFailure(err: unknown): boolean {
  if (!isWachtError(err)) return false;
  const e = err as WachtError & { status?: number; requestMaybeSent?: boolean };
  // The client knows when nothing left this machine (refused connection, DNS, connect timeout).
  if ((e.kind === "connection" || e.kind === "timeout") && e.requestMaybeSent === false)
    return false;
  if (e.kind === "connection" || e.kind === "timeout" || e.kind === "response-validation") {
    return true;
  }
  return e.kind === "api" && typeof e.status === "number" && e.status >= 500;
}

/** True when the failed POST may still be running on the server (no answer was received). */
function mayStillBeRunning(err: unknown): boolean {
  return isWachtError(err) && (err.kind === "connection" || err.kind === "timeout");
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
 * Creates the user described by `fields`, whose unique natural key is `key`. An ambiguous
 * failure is followed by an exact lookup: a match is the user this call created; no match means
 * the POST did not take effect and it is sent again. Any other failure is thrown as is.
 */
export async function createWithoutDuplicates(
  client: WachtClient,
  fields: UserCreate,
  key: NaturalKey,
  options: CreateOptions = {},
): Promise<CreatedUser> {
  const maxAttempts = options.maxAttempts ?? 3;
  const sleep = options.sleep ?? ((ms: number) => new Promise<void>((r) => setTimeout(r, ms)));
  let backoff = options.backoffMs ?? 500;
  const failures: string[] = [];
  for (let attempt = 1; ; attempt++) {
    const startedAt = Date.now() - CLOCK_SKEW_MS;
    try {
      const created = await client.users.create(fields);
      return { userId: created.id, recoveredAfter: failures };
    } catch (err) {
      if (!isAmbiguousFailure(err)) throw err;
      failures.push(err instanceof Error ? err.message : String(err));
      const deadline = Date.now() + (mayStillBeRunning(err) ? (options.settleMs ?? 10_000) : 0);
      let matches = await findCreatedSince(client, key, startedAt);
      while (matches.length === 0 && Date.now() < deadline) {
        await sleep(Math.min(options.pollMs ?? 250, Math.max(0, deadline - Date.now())));
        matches = await findCreatedSince(client, key, startedAt);
      }
      if (matches.length === 1 && matches[0] !== undefined) {
        return { userId: matches[0].id, recoveredAfter: failures };
      }
      if (matches.length > 1) {
        throw new Error(
          `creating a Wacht user with ${describeKey(key)} failed ambiguously (${failures.join("; ")}) and ${matches.length} users now match it (${matches.map((m) => m.id).join(", ")}); adopt the right one with adopt or userId`,
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
