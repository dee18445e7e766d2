// The declarative route table of the users API (docs/wacht-api.md §2; the B2B rows of
// docs/wacht-memberships.md come from b2b/routes.ts, with their handlers) and its matcher: a path that no pattern
// matches is 404 `Not found` (a trailing slash included), a known path with another method is 405
// `Method not allowed` (so GET /users/{id} is a 405, §2).
import { B2B_ROUTES } from "./b2b/routes";
import type { Handler } from "./context";
import { listUsers } from "./handlers/users-list";
import { createUser } from "./handlers/users-create";
import { deleteUser, getUserDetails } from "./handlers/users-read-delete";
import { updateUser } from "./handlers/users-update";
import { removePassword, setPassword } from "./handlers/users-password";
import { addEmail, deleteEmail, makeEmailPrimary, updateEmail } from "./handlers/users-emails";
import { addPhone, deletePhone, makePhonePrimary, updatePhone } from "./handlers/users-phones";
import {
  deleteSocialConnection,
  emptyList,
  listSessions,
  listSocialConnections,
  revokeAllSessions,
  revokeSession,
} from "./handlers/users-related";

/** One row of the table: `{name}` segments capture a non-empty path segment. */
export interface Route<H = Handler> {
  method: string;
  pattern: string;
  handler: H;
}

/** The rows of `"METHOD /pattern": handler` entries, in order. */
export function routeRows<H>(entries: Record<string, H>): Route<H>[] {
  return Object.entries(entries).map(([row, handler]) => {
    const [method = "", pattern = ""] = row.split(" ");
    return { method, pattern, handler };
  });
}

export const ROUTES: readonly Route[] = [
  ...routeRows<Handler>({
    "GET /users": listUsers,
    "POST /users": createUser,
    "GET /users/{user_id}/details": getUserDetails,
    "PATCH /users/{user_id}": updateUser,
    "DELETE /users/{user_id}": deleteUser,
    "PATCH /users/{user_id}/password": setPassword,
    "DELETE /users/{user_id}/password": removePassword,
    "POST /users/{user_id}/emails": addEmail,
    "PATCH /users/{user_id}/emails/{email_id}": updateEmail,
    "DELETE /users/{user_id}/emails/{email_id}": deleteEmail,
    "POST /users/{user_id}/emails/{email_id}/make-primary": makeEmailPrimary,
    "POST /users/{user_id}/phones": addPhone,
    "PATCH /users/{user_id}/phones/{phone_id}": updatePhone,
    "DELETE /users/{user_id}/phones/{phone_id}": deletePhone,
    "POST /users/{user_id}/phones/{phone_id}/make-primary": makePhonePrimary,
    "GET /users/{user_id}/social-connections": listSocialConnections,
    "DELETE /users/{user_id}/social-connections/{connection_id}": deleteSocialConnection,
    "GET /users/{user_id}/passkeys": emptyList,
    "GET /users/{user_id}/sessions": listSessions,
    "POST /users/{user_id}/sessions/revoke-all": revokeAllSessions,
    "POST /users/{user_id}/sessions/{signin_id}/revoke": revokeSession,
  }),
  ...B2B_ROUTES,
];

type RouteMatch<H> =
  | { kind: "found"; handler: H; params: Record<string, string> }
  | { kind: "not-found" }
  | { kind: "method-not-allowed" };

export function compileRoutes<H>(
  routes: ReadonlyArray<Route<H>>,
): (method: string, path: string) => RouteMatch<H> {
  const compiled = routes.map((r) => {
    const names: string[] = [];
    const source = r.pattern
      .split("/")
      .map((seg) => {
        const m = /^\{(\w+)\}$/.exec(seg);
        if (!m?.[1]) return seg.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
        names.push(m[1]);
        return "([^/]+)";
      })
      .join("/");
    return { method: r.method, regex: new RegExp(`^${source}$`), names, handler: r.handler };
  });
  return (method, path) => {
    let pathKnown = false;
    for (const c of compiled) {
      const m = c.regex.exec(path);
      if (!m) continue;
      pathKnown = true;
      // axum's get() answers HEAD too (without a body, which node:http drops for HEAD).
      if (c.method !== method && !(method === "HEAD" && c.method === "GET")) continue;
      const params: Record<string, string> = {};
      c.names.forEach((name, i) => {
        params[name] = safeDecode(m[i + 1] ?? "");
      });
      return { kind: "found", handler: c.handler, params };
    }
    return pathKnown ? { kind: "method-not-allowed" } : { kind: "not-found" };
  };
}

function safeDecode(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}

export const matchApiRoute = compileRoutes(ROUTES);
