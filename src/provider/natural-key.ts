// Users by a natural key (email, username or phone), matched EXACTLY. GET /users' `search` is a
// substring match over an index the server updates asynchronously (docs/wacht-api.md §6), so it is
// only a fast first try: when it finds nothing, the list itself is scanned.
import type { WachtClient } from "../client/wacht-client";
import type { ApiUserSummary } from "../schema/wire";

/** One natural key; exactly one property is set. */
export interface NaturalKey {
  email?: string;
  username?: string;
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
export function keyText(key: NaturalKey): string {
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
  for (const params of [
    { search: term, pageSize: 100 },
    { sortKey: "created_at", sortOrder: "desc", pageSize: 100 } as const,
  ]) {
    const matches: ApiUserSummary[] = [];
    for await (const user of client.users.listAll(params)) {
      if (matchesKey(user, key)) matches.push(user);
    }
    if (matches.length > 0) return matches;
  }
  return [];
}
