// The list route's search (docs/wacht-api.md §6): the denormalised, lowercased index text of a user,
// the asynchronous index update (a configurable lag), and Postgres `ILIKE '%term%'` matching with
// `%`, `_` and `\` keeping their LIKE meaning because the server does not escape them.
import type { StoredUser } from "./model";
import { primaryEmail } from "./views";

/** first_name, last_name, username, primary email, all emails, every phone as cc+phone and phone. */
export function indexText(user: StoredUser): string {
  const parts = [user.firstName, user.lastName, user.username, primaryEmail(user) ?? ""];
  for (const e of user.emails) parts.push(e.email);
  for (const p of user.phones) parts.push(`${p.countryCode ?? ""}${p.phoneNumber}`, p.phoneNumber);
  return parts.join(" ").toLowerCase();
}

/** Re-indexes a user now (lag 0) or at `nowMs + lagMs`. */
export function scheduleReindex(user: StoredUser, nowMs: number, lagMs: number): void {
  const text = indexText(user);
  if (lagMs <= 0) {
    user.searchText = text;
    user.pendingSearch = null;
  } else {
    user.pendingSearch = { text, visibleAtMs: nowMs + lagMs };
  }
}

/** Applies a pending index update whose time has come; returns the visible index text. */
export function visibleIndex(user: StoredUser, nowMs: number): string | null {
  if (user.pendingSearch && user.pendingSearch.visibleAtMs <= nowMs) {
    user.searchText = user.pendingSearch.text;
    user.pendingSearch = null;
  }
  return user.searchText;
}

/** Compiles `ILIKE '%term%'` into a matcher (`%` any run, `_` one char, `\` escapes). */
export function ilikeContains(term: string): (text: string) => boolean {
  let source = "";
  const chars = Array.from(term.toLowerCase());
  for (let i = 0; i < chars.length; i++) {
    const c = chars[i] ?? "";
    if (c === "\\" && i + 1 < chars.length) {
      source += escapeRegExp(chars[++i] ?? "");
    } else if (c === "%") {
      source += "[\\s\\S]*";
    } else if (c === "_") {
      source += "[\\s\\S]";
    } else {
      source += escapeRegExp(c);
    }
  }
  const re = new RegExp(source, "u");
  return (text) => re.test(text.toLowerCase());
}

function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\/]/g, "\\$&");
}
