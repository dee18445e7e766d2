// The users calls of the Wacht backend API (docs/wacht-api.md §2–§7): argument checks, wire encoding,
// the response schema, and whether each call is safe to retry. Transport, pacing and retries are
// in runner.ts; this file never sees the API key.

import {
  ApiUserDetailsSchema,
  ApiUserListPageSchema,
  ApiUserSummarySchema,
  type ApiUserDetails,
  type ApiUserListPage,
  type ApiUserSummary,
} from "../schema/wire";
import { WachtResponseValidationError, WachtValidationError } from "./errors";
import { assertUserId } from "./ids";
import { buildCreateForm, buildUpdateForm } from "./multipart";
import type { Execute } from "./runner";
import type {
  ListAllUsersParams,
  ListUsersParams,
  SetPasswordOptions,
  UserCreate,
  UserUpdate,
} from "./user-params";

const SORT_KEYS = ["created_at", "username", "email", "phone_number"];

/** A single-user answer must be about the user asked for: never let another user's data through. */
function sameUser<T extends { id: string }>(method: string, path: string, id: string, user: T): T {
  let same = user.id === id;
  try {
    same ||= BigInt(user.id) === BigInt(id); // "0042" and "42" are the same int64
  } catch {
    same = false;
  }
  if (!same) {
    throw new WachtResponseValidationError({
      method,
      path,
      status: 200,
      // The server's id is echoed only when it is a decimal id: any other text could carry a secret.
      detail: `the response describes user ${/^\d{1,19}$/.test(user.id) ? user.id : "<not a decimal id>"}, not the requested user ${id}`,
    });
  }
  return user;
}
const SORT_ORDERS = ["asc", "desc"];

/** A count or offset, or a WachtValidationError naming the parameter. */
export function nonNegativeInt(field: string, v: unknown): number {
  if (typeof v !== "number" || !Number.isSafeInteger(v) || v < 0) {
    throw new WachtValidationError(field, `${field} must be a non-negative integer`);
  }
  return v;
}

function listQuery(params: ListUsersParams): string {
  const q = new URLSearchParams();
  if (params.limit !== undefined) q.set("limit", String(nonNegativeInt("limit", params.limit)));
  if (params.offset !== undefined) q.set("offset", String(nonNegativeInt("offset", params.offset)));
  if (params.sortKey !== undefined) {
    const k = String(params.sortKey).toLowerCase();
    if (!SORT_KEYS.includes(k))
      throw new WachtValidationError("sortKey", `sortKey must be one of ${SORT_KEYS.join(", ")}`);
    q.set("sort_key", k);
  }
  if (params.sortOrder !== undefined) {
    const o = String(params.sortOrder).toLowerCase();
    if (!SORT_ORDERS.includes(o))
      throw new WachtValidationError("sortOrder", "sortOrder must be asc or desc");
    q.set("sort_order", o);
  }
  if (params.search !== undefined) {
    if (typeof params.search !== "string")
      throw new WachtValidationError("search", "search must be a string");
    q.set("search", params.search);
  }
  const s = q.toString();
  return s === "" ? "" : `?${s}`;
}

/** `client.users`: typed calls on /users. Ids are decimal int64 strings. */
export class UsersApi {
  readonly #execute: Execute;

  /** @internal Built by WachtClient. */
  constructor(execute: Execute) {
    this.#execute = execute;
  }

  /** GET /users/{id}/details (the only single-user read). 404 → WachtNotFoundError. Retried. */
  async get(id: string): Promise<ApiUserDetails> {
    const seg = assertUserId(id);
    const path = `/users/${seg}/details`;
    const user = await this.#execute({
      method: "GET",
      path,
      idempotent: true,
      schema: ApiUserDetailsSchema,
    });
    return sameUser("GET", path, seg, user);
  }

  /**
   * PATCH /users/{id} (multipart) with only the given fields; returns the post-update details.
   * Retried: every field is an absolute value, so repeating it is harmless.
   */
  async update(id: string, changes: UserUpdate): Promise<ApiUserDetails> {
    const seg = assertUserId(id);
    const { body, headers } = buildUpdateForm(changes);
    const path = `/users/${seg}`;
    const user = await this.#execute({
      method: "PATCH",
      path,
      body,
      headers,
      idempotent: true,
      schema: ApiUserDetailsSchema,
    });
    return sameUser("PATCH", path, seg, user);
  }

  /**
   * POST /users (multipart). Not idempotent: retried only when the server provably did not act
   * (429, connection refused / DNS / connect timeout); see docs/decisions/0006-client-retries.md.
   */
  async create(fields: UserCreate): Promise<ApiUserSummary> {
    const { body, headers } = buildCreateForm(fields);
    const secrets = typeof fields.password === "string" ? [fields.password] : [];
    return this.#execute({
      method: "POST",
      path: "/users",
      body,
      headers,
      idempotent: false,
      schema: ApiUserSummarySchema,
      secrets,
    });
  }

  /** DELETE /users/{id} (hard delete). 404 `User not found` → WachtNotFoundError. Retried. */
  async delete(id: string): Promise<void> {
    const seg = assertUserId(id);
    await this.#execute({
      method: "DELETE",
      path: `/users/${seg}`,
      idempotent: true,
      schema: undefined,
    });
  }

  /** GET /users: one page `{data, has_more, limit, offset}` (no total). Retried. */
  async list(params: ListUsersParams = {}): Promise<ApiUserListPage> {
    return this.#execute({
      method: "GET",
      path: "/users",
      query: listQuery(params),
      idempotent: true,
      schema: ApiUserListPageSchema,
    });
  }

  /**
   * Every user, page by page (offset pagination, `pageSize` per request) until `has_more` is false.
   * Users created or deleted while iterating may be skipped or seen twice.
   */
  async *listAll(params: ListAllUsersParams = {}): AsyncGenerator<ApiUserSummary, void, undefined> {
    const { pageSize = 100, ...filters } = params;
    if (nonNegativeInt("pageSize", pageSize) === 0)
      throw new WachtValidationError("pageSize", "pageSize must be at least 1");
    let offset = 0;
    for (;;) {
      const page = await this.list({ ...filters, limit: pageSize, offset });
      yield* page.data;
      if (!page.has_more || page.data.length === 0) return;
      offset += page.data.length;
    }
  }

  /**
   * PATCH /users/{id}/password with JSON `{new_password, skip_password_check}`. The password never appears
   * in errors. Note: the server does not check that the user exists (200 for an unknown id). Retried.
   */
  async setPassword(id: string, password: string, options: SetPasswordOptions = {}): Promise<void> {
    const seg = assertUserId(id);
    if (typeof password !== "string" || password === "") {
      throw new WachtValidationError("password", "password must be a non-empty string");
    }
    const skip = options.skipPasswordCheck ?? false;
    if (typeof skip !== "boolean")
      throw new WachtValidationError("skipPasswordCheck", "skipPasswordCheck must be a boolean");
    await this.#execute({
      method: "PATCH",
      path: `/users/${seg}/password`,
      body: JSON.stringify({ new_password: password, skip_password_check: skip }),
      headers: { "content-type": "application/json" },
      idempotent: true,
      schema: undefined,
      secrets: [password],
    });
  }
}
