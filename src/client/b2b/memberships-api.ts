// `client.organizations` and `client.workspaces`: the membership and role calls of
// docs/wacht-memberships.md §2, one class for both scopes. Bodies are JSON. Retries follow the
// client's one rule (retry.ts): the member POST is not idempotent (a 500 can come after the
// write, §3.6: the caller looks the membership up), every other call is (PATCH sends absolute
// values, the per-role POST is `ON CONFLICT DO NOTHING`, GET and DELETE are safe).
import { isUserId } from "../../schema/user-id";
import type { z } from "zod";
import type { JsonValue } from "../../schema/json";
import { WachtValidationError } from "../errors";
import type { Execute } from "../runner";
import { nonNegativeInt } from "../users-api";
import type { HttpMethod } from "../transport";
import {
  ApiMemberPageSchema,
  ApiParentPageSchema,
  ApiMemberSchema,
  ApiRoleListSchema,
  ApiUserMembershipListSchema,
  type ApiMember,
  type ApiMemberPage,
  type ApiParent,
  type ApiParentPage,
  type ApiRole,
  type ApiUserMembership,
} from "./membership-wire";

/** `organization` or `workspace`. */
export type MembershipScope = "organization" | "workspace";

/** What a PATCH of a membership changes; a field left out is not sent. */
export interface MemberUpdate {
  /** The WHOLE role set (ids): Wacht replaces the membership's roles with it. */
  roleIds?: readonly string[];
  /** Replaces the membership's public metadata (`null` is ignored by Wacht: send `{}` to clear). */
  publicMetadata?: JsonValue;
}

/** Paging and order of the member list. */
export interface ListMembersParams {
  limit?: number;
  offset?: number;
  /** `created_at` (Wacht's default), `first_name`, `last_name`, `email` or `username`. */
  sortKey?: "created_at" | "first_name" | "last_name" | "email" | "username";
  /** Wacht's default is `desc`. */
  sortOrder?: "asc" | "desc";
}

/** The page size `listAllMembers` uses unless told otherwise (the API has no maximum). */
export const MEMBER_PAGE_SIZE = 500;

const JSON_HEADERS = { "content-type": "application/json" };

/** The path segment of an int64 id, or a WachtValidationError naming the parameter. */
function idSegment(field: string, id: unknown): string {
  if (typeof id !== "string" || !isUserId(id)) {
    throw new WachtValidationError(
      field,
      `${field} must be a positive decimal int64 string, got ${typeof id === "string" ? JSON.stringify(id.slice(0, 40)) : typeof id}`,
    );
  }
  return encodeURIComponent(id);
}

/**
 * Every item of an offset-paged list, page by page until `has_more` is false, with the request
 * count. Read oldest first, an item added meanwhile lands on the last page; one removed meanwhile
 * can shift a later item onto a page already read, and an item seen twice is kept once.
 */
async function pageAll<T extends { id: string }>(
  page: (offset: number) => Promise<{ data: T[]; has_more: boolean }>,
): Promise<{ items: T[]; requests: number }> {
  const seen = new Map<string, T>();
  let requests = 0;
  for (let offset = 0; ;) {
    const { data, has_more } = await page(offset);
    requests += 1;
    for (const item of data) seen.set(item.id, item);
    if (!has_more || data.length === 0) return { items: [...seen.values()], requests };
    offset += data.length;
  }
}

/** Membership and role calls of one scope. Ids are decimal int64 strings. */
export class MembershipsApi {
  readonly #execute: Execute;
  readonly #scope: MembershipScope;

  /** @internal Built by WachtClient. */
  constructor(execute: Execute, scope: MembershipScope) {
    this.#execute = execute;
    this.#scope = scope;
  }

  #base(parentId: string): string {
    return `/${this.#scope}s/${idSegment(`${this.#scope}Id`, parentId)}`;
  }

  #member(parentId: string, membershipId: string): string {
    return `${this.#base(parentId)}/members/${idSegment("membershipId", membershipId)}`;
  }

  #role(parentId: string, membershipId: string, roleId: string): string {
    return `${this.#member(parentId, membershipId)}/roles/${idSegment("roleId", roleId)}`;
  }

  /** GET of a `{data: […]}` list. */
  async #list<T>(path: string, schema: z.ZodType<{ data: T[] }>): Promise<T[]> {
    return (await this.#execute({ method: "GET", path, idempotent: true, schema })).data;
  }

  /** An idempotent call whose answer is ignored, with a JSON body when one is given. */
  async #send(method: HttpMethod, path: string, body?: Record<string, unknown>): Promise<void> {
    const json = body === undefined ? {} : { body: JSON.stringify(body), headers: JSON_HEADERS };
    await this.#execute({ method, path, ...json, idempotent: true, schema: undefined });
  }

  /** GET /{scope}s/{id}/roles: the deployment-level roles plus the parent's own. 404 when unknown. */
  async roles(parentId: string): Promise<ApiRole[]> {
    return this.#list(`${this.#base(parentId)}/roles`, ApiRoleListSchema);
  }

  /** GET /settings/b2b/{scope}-roles: the deployment-level roles only. */
  async deploymentRoles(): Promise<ApiRole[]> {
    return this.#list(`/settings/b2b/${this.#scope}-roles`, ApiRoleListSchema);
  }

  /** GET /{scope}s/{id}/members: one page (an unknown parent is an empty page). */
  async listMembers(parentId: string, params: ListMembersParams = {}): Promise<ApiMemberPage> {
    const q = new URLSearchParams();
    for (const key of ["limit", "offset"] as const) {
      if (params[key] !== undefined) q.set(key, String(nonNegativeInt(key, params[key])));
    }
    if (params.sortKey !== undefined) q.set("sort_key", params.sortKey);
    if (params.sortOrder !== undefined) q.set("sort_order", params.sortOrder);
    return this.#execute({
      method: "GET",
      path: `${this.#base(parentId)}/members`,
      query: q.size === 0 ? "" : `?${q.toString()}`,
      idempotent: true,
      schema: ApiMemberPageSchema,
    });
  }

  /** Every member, oldest first, with the request count (§3.8; paging as {@link pageAll}). */
  async listAllMembers(
    parentId: string,
    pageSize = MEMBER_PAGE_SIZE,
  ): Promise<{ members: ApiMember[]; requests: number }> {
    const { items, requests } = await pageAll((offset) =>
      this.listMembers(parentId, {
        limit: pageSize,
        offset,
        sortKey: "created_at",
        sortOrder: "asc",
      }),
    );
    return { members: items, requests };
  }

  /**
   * GET /organizations: every organization of the deployment (id and name), oldest first, with
   * the request count (docs/wacht-memberships.md §2; paging as {@link pageAll}). Only the
   * organization scope has this list in the contract.
   */
  async listAll(pageSize = MEMBER_PAGE_SIZE): Promise<{ parents: ApiParent[]; requests: number }> {
    const { items, requests } = await pageAll((offset) => this.listPage(offset, pageSize));
    return { parents: items, requests };
  }

  /** GET /organizations: one page, oldest first (see {@link listAll}). */
  async listPage(offset: number, limit: number): Promise<ApiParentPage> {
    if (this.#scope !== "organization") {
      throw new WachtValidationError("scope", "only organizations can be listed");
    }
    const q = new URLSearchParams({
      limit: String(limit),
      offset: String(offset),
      sort_key: "created_at",
      sort_order: "asc",
    });
    return this.#execute({
      method: "GET",
      path: "/organizations",
      query: `?${q.toString()}`,
      idempotent: true,
      schema: ApiParentPageSchema,
    });
  }

  /**
   * POST /{scope}s/{id}/members. Not idempotent: retried only when the server provably did not
   * act. Wacht applies no default role (`roleIds: []` makes a membership without roles).
   */
  async addMember(
    parentId: string,
    userId: string,
    roleIds: readonly string[],
  ): Promise<ApiMember> {
    const path = `${this.#base(parentId)}/members`;
    idSegment("userId", userId);
    roleIds.forEach((id) => idSegment("roleIds", id));
    return this.#execute({
      method: "POST",
      path,
      body: JSON.stringify({ user_id: userId, role_ids: roleIds }),
      headers: JSON_HEADERS,
      idempotent: false,
      schema: ApiMemberSchema,
    });
  }

  /** PATCH /{scope}s/{id}/members/{mid}: `roleIds` replaces the whole set. */
  async updateMember(parentId: string, membershipId: string, changes: MemberUpdate): Promise<void> {
    const body: Record<string, unknown> = {};
    if (changes.roleIds !== undefined) {
      changes.roleIds.forEach((id) => idSegment("roleIds", id));
      body["role_ids"] = changes.roleIds;
    }
    if (changes.publicMetadata !== undefined) body["public_metadata"] = changes.publicMetadata;
    await this.#send("PATCH", this.#member(parentId, membershipId), body);
  }

  /** DELETE /{scope}s/{id}/members/{mid} (an organization's cascades to its workspaces, §3.4). */
  async removeMember(parentId: string, membershipId: string): Promise<void> {
    await this.#send("DELETE", this.#member(parentId, membershipId));
  }

  /** POST …/members/{mid}/roles/{rid}: adds one role (idempotent; checks the role's scope). */
  async addMemberRole(parentId: string, membershipId: string, roleId: string): Promise<void> {
    await this.#send("POST", this.#role(parentId, membershipId, roleId));
  }

  /** DELETE …/members/{mid}/roles/{rid}: removes one role (404 when it is not assigned). */
  async removeMemberRole(parentId: string, membershipId: string, roleId: string): Promise<void> {
    await this.#send("DELETE", this.#role(parentId, membershipId, roleId));
  }

  /** GET /users/{uid}/{scope}-memberships: every membership of this scope the user holds. */
  async membershipsOf(userId: string): Promise<ApiUserMembership[]> {
    const path = `/users/${idSegment("userId", userId)}/${this.#scope}-memberships`;
    return this.#list(path, ApiUserMembershipListSchema);
  }
}
