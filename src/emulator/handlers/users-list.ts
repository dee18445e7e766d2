// GET /users (docs/wacht-api.md §6): limit (default 10, no maximum), offset (negative → 500), lowercase
// sort_key/sort_order (else 400), trimmed ILIKE search over the lagging index, `limit+1` rows for
// has_more, and `{data, has_more, limit, offset}` with no total.
import type { Handler } from "../context";
import { badRequest, internalError } from "../errors";
import { parseInt64 } from "../ids";
import type { StoredUser } from "../model";
import { ilikeContains, visibleIndex } from "../search";
import { listItemView, primaryEmail } from "../views";
import { offsetPage } from "./common";

const KNOWN = ["limit", "offset", "sort_key", "sort_order", "search"] as const;
/** The column each `sort_key` orders by; `null` sorts like a Postgres NULL. */
const SORT_VALUE = new Map<string, (u: StoredUser) => string | number | null>([
  ["created_at", (u) => u.createdAt],
  ["username", (u) => u.username],
  ["email", primaryEmail],
  ["phone_number", (u) => listItemView(u).primary_phone_number],
]);
const U64_MAX = 18_446_744_073_709_551_615n;

export const listUsers: Handler = async (state, ctx) => {
  const q = readQuery(ctx.query);
  const limit = q.limit === undefined ? 10 : parseLimit(q.limit);
  const offsetText = q.offset === undefined ? "0" : parseInt64(q.offset);
  if (offsetText === undefined) throw badRequest();
  const key = SORT_VALUE.get(q.sort_key ?? "created_at");
  const sortOrder = q.sort_order ?? "desc";
  if (!key || (sortOrder !== "asc" && sortOrder !== "desc")) throw badRequest();
  const offset = Number(offsetText);
  if (offset < 0) throw internalError();

  let users = state.store.all(ctx.deploymentId);
  const term = q.search?.trim();
  if (term) {
    const match = ilikeContains(term);
    const nowMs = Date.now();
    users = users.filter((u) => {
      const text = visibleIndex(u, nowMs);
      return text !== null && match(text);
    });
  }
  users.sort(
    (a, b) => compare(key(a), key(b)) || compare(a.id.padStart(20, "0"), b.id.padStart(20, "0")),
  );
  if (sortOrder === "desc") users.reverse();
  return offsetPage(users, limit, offset, (u) => listItemView(u));
};

/** Known parameters; a duplicated known parameter is a deserialisation error (400). */
function readQuery(query: URLSearchParams): Partial<Record<(typeof KNOWN)[number], string>> {
  const out: Partial<Record<(typeof KNOWN)[number], string>> = {};
  for (const name of KNOWN) {
    const values = query.getAll(name);
    if (values.length > 1) throw badRequest();
    if (values[0] !== undefined) out[name] = values[0];
  }
  return out;
}

function parseLimit(raw: string): number {
  if (!/^\+?\d+$/.test(raw) || BigInt(raw) > U64_MAX) throw badRequest();
  return Number(raw);
}

/** Ascending order with NULLs last (Postgres default; reversed for DESC gives NULLS FIRST). */
function compare(a: string | number | null, b: string | number | null): number {
  if (a === b) return 0;
  if (a === null) return 1;
  if (b === null) return -1;
  return a < b ? -1 : 1;
}
