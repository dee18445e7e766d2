// Users by a natural key (email, username or phone), matched EXACTLY (`search` is a substring
// match over an index the server updates late, docs/wacht-api.md §6): the search for adopt and
// lookupUser, and POST /users without duplicates, which Wacht does not prevent (§4; issue #5,
// ADR 0011 "One duplicate lookup per process").
import { setTimeout as sleep } from "node:timers/promises";
import { isWachtError } from "../../client/errors";
import { classifyCreateFailure, CREATE_RETRY } from "../../client/retry";
import type { UserCreate } from "../../client/user-params";
import type { WachtClient } from "../../client/wacht-client";
import { CREATE_FIELDS, fieldRow } from "../../schema/user-field-lists";
import type { AdoptKey } from "../../schema/user-state";
import type { ApiUserSummary } from "../../schema/wire";
import { messageOf, withContext } from "../errors";
import { warn } from "../log";

/** One natural key; exactly one property is set. */
export interface NaturalKey extends AdoptKey {
  phoneNumber?: string;
}

/** `email "a@b.c"` style text for messages. */
export function describeKey(key: NaturalKey): string {
  if (key.email !== undefined) return `email "${key.email}"`;
  if (key.username !== undefined) return `username "${key.username}"`;
  return `phone number "${key.phoneNumber ?? ""}"`;
}

function digits(phone: string): string {
  return phone.replace(/[^0-9]/g, "");
}

/** The key as one comparable text (emails lower-cased, phones as digits). */
function keyText(key: NaturalKey): string {
  if (key.email !== undefined) return `e:${key.email.trim().toLowerCase()}`;
  if (key.username !== undefined) return `u:${key.username.trim()}`;
  return `p:${digits(key.phoneNumber ?? "")}`;
}

/** True when `user` matches `key` exactly (emails case-insensitively, as mail systems do). */
export function matchesKey(user: ApiUserSummary, key: NaturalKey): boolean {
  if (key.email !== undefined) {
    return (user.primary_email_address ?? "").toLowerCase() === key.email.trim().toLowerCase();
  }
  if (key.username !== undefined) return (user.username ?? "") === key.username.trim();
  if (key.phoneNumber === undefined) return false;
  // List items carry country_code || phone_number (docs/wacht-api.md §5). Same digits match; a
  // number declared WITHOUT a country code (no leading +) may match the end of a listed one.
  const want = digits(key.phoneNumber);
  const have = digits(user.primary_phone_number ?? "");
  if (want.length < 7 || have.length < 7) return false;
  return have === want || (!key.phoneNumber.trim().startsWith("+") && have.endsWith(want));
}

/** Every user whose key matches exactly: `search` first, then a scan of all users (pages of 100). */
export async function findByNaturalKey(
  client: WachtClient,
  key: NaturalKey,
): Promise<ApiUserSummary[]> {
  const term = (key.email ?? key.username ?? key.phoneNumber ?? "").trim();
  if (term === "") return [];
  const matches: ApiUserSummary[] = [];
  for await (const user of client.users.listAll({ search: term, pageSize: 100 })) {
    if (matchesKey(user, key)) matches.push(user);
  }
  return matches.length > 0 ? matches : findCreatedSince(client, key, -Infinity);
}

/** The id of the one user with the adopt key; an error for none or several. */
export async function adoptedUser(client: WachtClient, key: AdoptKey): Promise<string> {
  let matches;
  try {
    matches = await findByNaturalKey(client, key);
  } catch (err) {
    withContext(`looking up the Wacht user to adopt by ${describeKey(key)} failed`, err);
  }
  const [match, ...more] = matches;
  if (match === undefined) {
    throw new Error(
      `no Wacht user has ${describeKey(key)}: nothing to adopt (adopt finds existing users; declare emailAddress/username without adopt to create one)`,
    );
  }
  if (more.length > 0) {
    throw new Error(
      `${matches.length} Wacht users have ${describeKey(key)} (${matches.map((m) => m.id).join(", ")}): adopt needs exactly one; use userId to pick one`,
    );
  }
  return match.id;
}

/** The take-over window: a user with the key this recent may be an earlier run's. */
const RECENT_MS = 60 * 60 * 1000;
/** Server and local clocks may disagree by this much. */
const CLOCK_SKEW_MS = 60_000;
/** The most list requests of the lookup (10,000 users, as delta refresh's default cap). */
const LOOKUP_MAX_PAGES = 20;

/**
 * Users matching `key` exactly that were created at or after `sinceMs` (every user: -Infinity):
 * newest first, pages of 100, stopping at the first older user (one page in practice).
 */
async function findCreatedSince(
  client: WachtClient,
  key: NaturalKey,
  sinceMs: number,
): Promise<ApiUserSummary[]> {
  const matches: ApiUserSummary[] = [];
  for await (const user of client.users.listAll({
    sortKey: "created_at",
    sortOrder: "desc",
    pageSize: 100,
  })) {
    if (Date.parse(user.created_at) < sinceMs) break;
    if (matchesKey(user, key)) matches.push(user);
  }
  return matches;
}

/** The duplicate lookup shared by the creates of one provider process (per client). */
export class RecentCreates {
  private listing: Promise<ApiUserSummary[]> | undefined;
  /** Keys whose POST got no answer in this process → when that POST was sent (epoch ms). */
  private readonly unanswered = new Map<string, number>();
  /** List requests made (tests, benchmarks). */
  listCalls = 0;

  constructor(private readonly client: WachtClient) {}

  /** Users with `key` listed by this process's first create, or since our unanswered POST of it. */
  async matching(key: NaturalKey): Promise<ApiUserSummary[]> {
    this.listing ??= this.list();
    const users = await this.listing.catch((err: unknown) => {
      this.listing = undefined; // the next create tries again
      throw err;
    });
    const matches = users.filter((u) => matchesKey(u, key));
    const since = this.unanswered.get(keyText(key));
    if (since === undefined) return matches;
    const seen = new Set(matches.map((u) => u.id));
    for (const u of await findCreatedSince(this.client, key, since)) {
      if (!seen.has(u.id)) matches.push(u);
    }
    return matches;
  }

  /** Records a POST with `key`, sent at `sentAt`, that got no answer and may still complete. */
  noAnswer(key: NaturalKey, sentAt: number): void {
    const k = keyText(key);
    this.unanswered.set(k, Math.min(this.unanswered.get(k) ?? sentAt, sentAt));
  }

  private async list(): Promise<ApiUserSummary[]> {
    const since = Date.now() - RECENT_MS;
    const users = new Map<string, ApiUserSummary>();
    for (let offset = 0, pages = 1; ; pages++) {
      this.listCalls += 1;
      const page = await this.client.users.list({
        limit: 500,
        offset,
        sortKey: "created_at",
        sortOrder: "desc",
      });
      let older = false;
      for (const user of page.data) {
        if (Date.parse(user.created_at) < since) older = true;
        users.set(user.id, user); // a user created meanwhile shifts the pages: counted once
      }
      const capped = pages >= LOOKUP_MAX_PAGES && older; // the window is covered: stop here
      if (capped || !page.has_more || page.data.length === 0) return [...users.values()];
      offset += page.data.length;
    }
  }
}

/** The user a create resolved, and how. */
export interface CreatedUser {
  userId: string;
  /** True when a user with the key, created in the last hour, was taken over (no POST was sent). */
  foundExisting: boolean;
  /** The POST's own answer, when this call's POST created the user and its answer arrived. */
  answer?: ApiUserSummary;
}

/** Create fields that a listed user shows under their table `read` name. */
const READ_BACK_ON_CREATE = CREATE_FIELDS.filter((f) => fieldRow(f).read !== null);

/**
 * True when the listed user has exactly the fields a POST of `fields` would have stored (§4): the
 * create fields the table reads back (absent = "", trimmed where POST trims), and the email.
 */
export function sameAsPost(user: ApiUserSummary, fields: UserCreate): boolean {
  const listed = user as unknown as Record<string, string | null | undefined>;
  const sent = fields as Record<string, unknown>;
  const stored = READ_BACK_ON_CREATE.every((name) => {
    const given = sent[name];
    const value = typeof given === "string" ? given : "";
    const row = fieldRow(name);
    return (listed[row.read ?? ""] ?? "") === (row.trimmed ? value.trim() : value);
  });
  const email = fields.emailAddress?.trim().toLowerCase() ?? null;
  return stored && (user.primary_email_address?.toLowerCase() ?? null) === email;
}

/**
 * Creates the user described by `fields`, keyed by its email, else username, else phone number;
 * warns when it took over or recovered a user, and names the key in every error.
 */
export async function createWithoutDuplicates(
  client: WachtClient,
  fields: UserCreate,
  recent: RecentCreates,
  settleMs: number = CREATE_RETRY.settleMs,
): Promise<CreatedUser> {
  const key: NaturalKey =
    fields.emailAddress !== undefined
      ? { email: fields.emailAddress }
      : fields.username !== undefined
        ? { username: fields.username }
        : { phoneNumber: fields.phoneNumber ?? "" };
  try {
    return await postOnce(client, fields, key, recent, settleMs);
  } catch (err) {
    if (!isWachtError(err)) throw err; // the others already say what was being created
    withContext(`creating a Wacht user with ${describeKey(key)} failed`, err);
  }
}

/**
 * POSTs the user `fields` with the unique natural key `key`, once in effect.
 *
 * - Before the POST: a user with the key in `recent`, created in the last hour with exactly this
 *   POST's fields, was most likely left by an earlier run that failed after its POST, and is taken
 *   over (`foundExisting`); any other, or several, is an error that points at `adopt`.
 * - After an ambiguous failure, exact lookups (repeated for `settleMs` while a timed-out POST may
 *   still run): a match is the user this call created. After a 5xx (the server's work is over) no
 *   match means the POST did not take effect: it is sent again. After no answer at all it is not
 *   sent again in this run: the next run's lookup settles it. Any other failure is thrown as is.
 */
async function postOnce(
  client: WachtClient,
  fields: UserCreate,
  key: NaturalKey,
  recent: RecentCreates,
  settleMs: number,
): Promise<CreatedUser> {
  const described = describeKey(key);
  const failed = (what: string, err: unknown) =>
    new Error(`creating a Wacht user with ${described} ${what}`, { cause: err });

  // Taken over only when it is provably that user: created within the hour with exactly the
  // fields this POST sends. Anyone else (a person who signed up with that email) never is.
  const existing = await recent.matching(key);
  const ours = existing.filter(
    (u) => Date.parse(u.created_at) >= Date.now() - RECENT_MS && sameAsPost(u, fields),
  );
  if (existing.length === 1 && ours[0] !== undefined) {
    warn(
      `a Wacht user with ${described} was created within the last hour (${ours[0].id}), probably by an earlier run that failed before recording it; managing it instead of creating a duplicate`,
    );
    return { userId: ours[0].id, foundExisting: true };
  }
  if (existing.length > 0) {
    const how =
      key.email !== undefined
        ? "adopt: { email }"
        : key.username !== undefined
          ? "adopt: { username }"
          : "userId";
    throw new Error(
      `a Wacht user with ${described} already exists (${existing.map((u) => `${u.id}, created ${u.created_at}`).join("; ")}) and was not created by this resource; not creating another one. To manage it, declare ${how}`,
    );
  }

  const failures: string[] = [];
  for (let attempt = 1, backoff = CREATE_RETRY.backoffMs; ; attempt++, backoff *= 2) {
    const startedAt = Date.now() - CLOCK_SKEW_MS;
    try {
      const answer = await client.users.create(fields);
      if (failures.length > 0) {
        warn(
          `creating the user with ${described} failed (${failures.join("; ")}) and no user with that key existed afterwards, so the POST did not take effect; it was sent again and created ${answer.id}`,
        );
      }
      return { userId: answer.id, foundExisting: false, answer };
    } catch (err) {
      const failure = classifyCreateFailure(err);
      if (failure === "not-created") throw err;
      failures.push(messageOf(err));
      const unanswered = failure === "unanswered"; // the first POST may still be running
      recent.noAnswer(key, startedAt); // a later create with this key looks for it again
      const deadline = Date.now() + (unanswered ? settleMs : 0);
      const find = () =>
        findCreatedSince(client, key, startedAt).then(
          (matches) => ({ matches }),
          (error: unknown) => ({ error }),
        );
      let found = await find();
      while (("error" in found || found.matches.length === 0) && Date.now() < deadline) {
        await sleep(Math.min(CREATE_RETRY.pollMs, Math.max(0, deadline - Date.now())));
        found = await find();
      }
      const why = failures.join("; ");
      if ("error" in found) {
        throw failed(
          `failed ambiguously (${why}) and looking it up failed too (${messageOf(found.error)}); not sending the POST again blindly. The next run finds the user if it was created`,
          err,
        );
      }
      const [match, ...more] = found.matches;
      if (match !== undefined && more.length === 0) {
        warn(
          `creating the user with ${described} failed ambiguously (${why}); found the user it created, ${match.id}, instead of creating a duplicate`,
        );
        return { userId: match.id, foundExisting: false };
      }
      if (match !== undefined) {
        throw failed(
          `failed ambiguously (${why}) and ${found.matches.length} users now match it (${found.matches.map((m) => m.id).join(", ")}); adopt the right one with adopt or userId`,
          err,
        );
      }
      if (unanswered) {
        throw failed(
          `got no answer (${why}) and no such user appeared within ${settleMs} ms; not sending the POST again while the first may still complete. Run \`pulumi up\` again: it takes the user over if it was created, or creates it`,
          err,
        );
      }
      if (attempt >= CREATE_RETRY.maxAttempts) {
        throw failed(`failed ${attempt} times and no such user exists: ${why}`, err);
      }
      await sleep(backoff);
    }
  }
}
