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

/** A field that names an account: its kind of key, value, path, and comparable form. */
type KeyField = [kind: string, value: unknown, path: string[], canonical: (v: string) => string];

/** The keys of one declaration (plain values only; anything else is not compared). */
export function accountClaims(decl: AccountKeyFields): AccountClaim[] {
  const adopt = (typeof decl.adopt === "object" && decl.adopt) || {};
  const { email, username } = adopt as Record<string, unknown>;
  const lower = (v: string) => v.toLowerCase();
  const exact = (v: string) => v;
  const fields: KeyField[] = [
    ["id", decl.userId, ["userId"], canonicalUserId],
    ["email", email, ["adopt", "email"], lower],
    ["username", username, ["adopt", "username"], exact],
    ["email", decl.emailAddress, ["emailAddress"], lower],
    ["username", decl.username, ["username"], exact],
    ["phone", decl.phoneNumber, ["phoneNumber"], (v) => v.replace(/[^0-9]/g, "")],
  ];
  return fields.flatMap(([kind, value, path, canonical]) => {
    const text = typeof value === "string" ? value.trim() : "";
    const key = text === "" ? "" : canonical(text);
    return key === "" ? [] : [{ key: `${kind}:${key}`, path, label: `${path.join(".")} ${key}` }];
  });
}
