// Finding users by a natural key (email, username or phone) with an EXACT match. GET /users'
// `search` is a substring match over an index the server updates asynchronously (docs/wacht-api.md
// §6), so it is only a fast first try: when it finds nothing, the full list is scanned, which
// reads the users table itself and so sees a user created a moment ago.
import type { WachtClient } from "../client/wacht-client";
import type { ApiUserSummary } from "../schema/wire";

/** One natural key; exactly one property is set. */
export interface NaturalKey {
  email?: string;
  username?: string;
  phoneNumber?: string;
}

/** `email=a@b.c` style text for messages. */
export function describeKey(key: NaturalKey): string {
  if (key.email !== undefined) return `email "${key.email}"`;
  if (key.username !== undefined) return `username "${key.username}"`;
  return `phone number "${key.phoneNumber ?? ""}"`;
}

function digits(phone: string): string {
  return phone.replace(/[^0-9]/g, "");
}

/** True when `user` matches `key` exactly (emails case-insensitively, as mail systems do). */
export function matchesKey(user: ApiUserSummary, key: NaturalKey): boolean {
  if (key.email !== undefined) {
    return (user.primary_email_address ?? "").toLowerCase() === key.email.trim().toLowerCase();
  }
  if (key.username !== undefined) return (user.username ?? "") === key.username.trim();
  if (key.phoneNumber !== undefined) {
    const want = digits(key.phoneNumber);
    // List items carry country_code || phone_number (docs/wacht-api.md §5). Same digits match; a
    // number declared WITHOUT a country code (no leading +) may match the end of a listed one.
    const have = digits(user.primary_phone_number ?? "");
    if (want.length < 7 || have.length < 7) return false;
    if (have === want) return true;
    return !key.phoneNumber.trim().startsWith("+") && have.endsWith(want);
  }
  return false;
}

function searchTerm(key: NaturalKey): string {
  return (key.email ?? key.username ?? key.phoneNumber ?? "").trim();
}

/** Exact matches among `search` results only: one request in practice, but blind to users the
 * lagging index has not caught up with (docs/wacht-api.md §6). */
export async function searchExact(client: WachtClient, key: NaturalKey): Promise<ApiUserSummary[]> {
  const term = searchTerm(key);
  if (term === "") return [];
  const matches: ApiUserSummary[] = [];
  for await (const user of client.users.listAll({ search: term, pageSize: 100 })) {
    if (matchesKey(user, key)) matches.push(user);
  }
  return matches;
}

/**
 * Every user whose key matches exactly. Tries `search` first; when that finds no exact match,
 * scans all users (pages of 100) so that a lagging search index cannot hide one.
 */
export async function findByNaturalKey(
  client: WachtClient,
  key: NaturalKey,
): Promise<ApiUserSummary[]> {
  const term = searchTerm(key);
  if (term === "") return [];
  const viaSearch = await searchExact(client, key);
  if (viaSearch.length > 0) return viaSearch;
  const viaScan: ApiUserSummary[] = [];
  for await (const user of client.users.listAll({
    sortKey: "created_at",
    sortOrder: "desc",
    pageSize: 100,
  })) {
    if (matchesKey(user, key)) viaScan.push(user);
  }
  return viaScan;
}

/**
 * Users matching `key` exactly that were created at or after `sinceMs` (epoch ms): the newest
 * users are listed first (`created_at desc`, which does not depend on the search index) and the
 * scan stops at the first older one, so it costs one page in practice.
 */
export async function findCreatedSince(
  client: WachtClient,
  key: NaturalKey,
  sinceMs: number,
  maxUsers = Number.POSITIVE_INFINITY,
): Promise<ApiUserSummary[]> {
  const matches: ApiUserSummary[] = [];
  let seen = 0;
  for await (const user of client.users.listAll({
    sortKey: "created_at",
    sortOrder: "desc",
    pageSize: Math.min(100, maxUsers),
  })) {
    const created = Date.parse(user.created_at);
    if (Number.isFinite(created) && created < sinceMs) break;
    if (matchesKey(user, key)) matches.push(user);
    if (++seen >= maxUsers) break;
  }
  return matches;
}
