// Which Wacht account a declaration creates or claims, as comparable keys: the one rule that both
// the roster loader (two files for one account) and `wacht.User` (two resources for one account in
// a program) apply. Wacht itself refuses neither a second account with the same email nor two
// users with the same username (docs/wacht-api.md §4), so a copied declaration would silently make
// a second account or fight over one.
//
// Keys are compared as the provider's create lookup compares them (src/provider/live/users-by-key.ts):
// an email case-insensitively, a username exactly (both trimmed), a phone by its digits, an id as
// an int64. `adopt.email` and `emailAddress` share one key space, as do `adopt.username` and
// `username`: adopting an account and creating one with its email are the same account.

import { canonicalUserId } from "./user-id";

/** The declaration fields that name an account. */
export interface AccountKeyFields {
  userId?: unknown;
  adopt?: unknown;
  emailAddress?: unknown;
  username?: unknown;
  phoneNumber?: unknown;
}

/** One key a declaration claims. */
export interface AccountClaim {
  /** Comparable form: `id:…`, `email:…`, `username:…`, `phone:…`. */
  key: string;
  /** The field that gives it, as a path (`["adopt", "email"]`). */
  path: readonly string[];
  /** How messages show it: `emailAddress ada@example.com`. */
  label: string;
}

function text(value: unknown): string | undefined {
  return typeof value === "string" && value.trim() !== "" ? value.trim() : undefined;
}

/** The keys of one declaration (plain values only; anything else is not compared). */
export function accountClaims(decl: AccountKeyFields): AccountClaim[] {
  const claims: AccountClaim[] = [];
  const add = (kind: string, value: string, path: string[]): void => {
    claims.push({ key: `${kind}:${value}`, path, label: `${path.join(".")} ${value}` });
  };
  const userId = text(decl.userId);
  if (userId !== undefined) add("id", canonicalUserId(userId), ["userId"]);
  const adopt =
    decl.adopt !== null && typeof decl.adopt === "object"
      ? (decl.adopt as Record<string, unknown>)
      : {};
  const adoptEmail = text(adopt["email"]);
  if (adoptEmail !== undefined) add("email", adoptEmail.toLowerCase(), ["adopt", "email"]);
  const adoptUsername = text(adopt["username"]);
  if (adoptUsername !== undefined) add("username", adoptUsername, ["adopt", "username"]);
  const email = text(decl.emailAddress);
  if (email !== undefined) add("email", email.toLowerCase(), ["emailAddress"]);
  const username = text(decl.username);
  if (username !== undefined) add("username", username, ["username"]);
  const phone = text(decl.phoneNumber)?.replace(/[^0-9]/g, "");
  if (phone !== undefined && phone !== "") add("phone", phone, ["phoneNumber"]);
  return claims;
}
