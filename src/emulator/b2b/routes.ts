// The B2B rows of the route table and their handlers (docs/wacht-memberships.md §2), written once
// for both scopes (organizations and their workspace twins), with the real messages;
// src/emulator/routes.ts appends them to the users API. Bodies are JSON (axum `Json`: 415 without a
// JSON content type, 400 for bad JSON, 422 for a missing or ill-typed field); ids in bodies are a
// number or a decimal string. Traps kept on purpose: only the per-role POST checks that a role
// belongs to the organization, member POST applies no default role, PATCH `role_ids` replaces the
// set and only metadata moves `updated_at`. Scoping holes are not copied: every lookup is limited
// to the caller's deployment (docs/wacht-memberships.md §3.10).
import { z } from "zod";
import type { EmulatorState, Handler, HandlerResult, RequestContext } from "../context";
import { ApiError, badRequest } from "../errors";
import { parseInt64 } from "../ids";
import { formatTimestamp } from "../clock";
import { JsonValueSchema } from "../../schema/json";
import { offsetPage, ok, pathId, readJson, unit } from "../handlers/common";
import type { Scope, StoredMembership, StoredParent } from "./b2b-store";
import type { Route } from "../routes";
import type { StoredUser } from "../model";
import { primaryEmail } from "../views";
import { memberView, roleView, userMembershipView } from "./views";

/** What differs between the organization and workspace routes: the scope and its messages. */
function scopeRules(scope: Scope) {
  const Name = scope === "organization" ? "Organization" : "Workspace";
  return {
    scope,
    param: `${scope}_id`,
    notFound: `${Name} not found`,
    alreadyMember: `User is already a member of this ${scope}`,
    membershipNotFound: `${Name} membership not found`,
    /** The per-role POST's own spelling. */
    membershipNotFoundLower: `${scope} membership not found`,
    roleNotInParent: `role not found in this ${scope}`,
    customRoleNotFound: `${Name} role not found`,
  };
}
type ScopeRules = ReturnType<typeof scopeRules>;
type ScopeHandler = (
  r: ScopeRules,
  state: EmulatorState,
  ctx: RequestContext,
) => Promise<HandlerResult>;

/** An id in a body: a number or a decimal string (`deserialize_i64_lenient`). */
const lenientId = z.union([
  z.number().int().transform(String),
  z.string().transform((s, ctx) => parseInt64(s.trim()) ?? (ctx.addIssue("not an id"), z.NEVER)),
]);
const addMemberBody = z.object({ user_id: lenientId, role_ids: z.array(lenientId) });
const patchMemberBody = z.object({
  role_ids: z.array(lenientId).nullish(),
  public_metadata: JsonValueSchema.optional(),
});
const createRoleBody = z.object({ name: z.string(), permissions: z.array(z.string()) });
const patchRoleBody = z.object({
  name: z.string().nullish(),
  permissions: z.array(z.string()).nullish(),
});

function requireParent(state: EmulatorState, ctx: RequestContext, r: ScopeRules): StoredParent {
  const parent = state.store.b2b.parent(ctx.deploymentId, r.scope, pathId(ctx, r.param));
  if (!parent) throw new ApiError(404, r.notFound);
  return parent;
}

function findMembership(
  state: EmulatorState,
  ctx: RequestContext,
  r: ScopeRules,
  message: string,
): { parent: StoredParent; m: StoredMembership } {
  const parentId = pathId(ctx, r.param);
  const membershipId = pathId(ctx, "membership_id");
  const parent = state.store.b2b.parent(ctx.deploymentId, r.scope, parentId);
  const m = parent && state.store.b2b.membership(parent, membershipId);
  if (!parent || !m) throw new ApiError(404, message);
  return { parent, m };
}

/** Role ids a member write may insert: any role of this scope in the deployment (the FK). */
function insertableRoles(state: EmulatorState, deploymentId: string, r: ScopeRules, ids: string[]) {
  if (ids.some((id) => !state.store.b2b.role(deploymentId, r.scope, id))) {
    throw new ApiError(404, "Related resource not found");
  }
}

/** POST /{scope}s/{id}/members. */
const addMember: ScopeHandler = async (r, state, ctx) => {
  pathId(ctx, r.param);
  const body = readJson(ctx, addMemberBody);
  const { b2b } = state.store;
  const user = state.store.get(ctx.deploymentId, body.user_id);
  // The organization route checks the user first; the workspace route has no user check and
  // fails on the foreign key instead (§3.5).
  if (!user && r.scope === "organization") throw new ApiError(404, "User not found");
  const parent = requireParent(state, ctx, r);
  if (!user) throw new ApiError(404, "Related resource not found");
  if (b2b.membershipOf(parent, user.id)) throw new ApiError(400, r.alreadyMember);
  if (new Set(body.role_ids).size !== body.role_ids.length) {
    throw new ApiError(409, "Resource already exists");
  }
  insertableRoles(state, ctx.deploymentId, r, body.role_ids);
  if (parent.scope === "workspace") {
    const org = b2b.parent(ctx.deploymentId, "organization", parent.organizationId ?? "");
    if (org && !b2b.membershipOf(org, user.id)) {
      const member = b2b
        .deploymentRoles(ctx.deploymentId, "organization")
        .find((role) => role.name === "Member");
      b2b.addMembership(org, user.id, member ? [member.id] : []);
    }
  }
  const m = b2b.addMembership(parent, user.id, body.role_ids);
  state.store.changed();
  return ok(memberView(b2b, parent, m, user, "post"));
};

/** PATCH /{scope}s/{id}/members/{membership_id}: `{}`. */
const updateMember: ScopeHandler = async (r, state, ctx) => {
  pathId(ctx, r.param);
  pathId(ctx, "membership_id");
  const body = readJson(ctx, patchMemberBody);
  const { m } = findMembership(state, ctx, r, r.membershipNotFound);
  if (body.role_ids != null) {
    insertableRoles(state, ctx.deploymentId, r, body.role_ids);
    m.roleIds = [...new Set(body.role_ids)];
  }
  // JSON null counts as absent; only a metadata write moves updated_at (§3.1).
  if (body.public_metadata !== undefined && body.public_metadata !== null) {
    m.publicMetadata = body.public_metadata;
    m.updatedAt = state.store.now();
  }
  state.store.changed();
  return unit();
};

/** DELETE /{scope}s/{id}/members/{membership_id} (an organization's cascades to workspaces). */
const removeMember: ScopeHandler = async (r, state, ctx) => {
  const { m } = findMembership(state, ctx, r, r.membershipNotFound);
  state.store.b2b.deleteMembership(m);
  state.store.changed();
  return unit();
};

/** POST /{scope}s/{id}/members/{membership_id}/roles/{role_id}: idempotent. */
const addMemberRole: ScopeHandler = async (r, state, ctx) => {
  const roleId = pathId(ctx, "role_id");
  const { parent, m } = findMembership(state, ctx, r, r.membershipNotFoundLower);
  const role = state.store.b2b.role(ctx.deploymentId, r.scope, roleId);
  if (!role || (role.ownerId !== null && role.ownerId !== parent.id)) {
    throw new ApiError(404, r.roleNotInParent);
  }
  if (!m.roleIds.includes(role.id)) {
    m.roleIds.push(role.id);
    state.store.changed();
  }
  return unit();
};

/** DELETE /{scope}s/{id}/members/{membership_id}/roles/{role_id}. */
const removeMemberRole: ScopeHandler = async (r, state, ctx) => {
  const roleId = pathId(ctx, "role_id");
  const notAssigned = "role not assigned to this membership";
  const { m } = findMembership(state, ctx, r, notAssigned);
  if (!m.roleIds.includes(roleId)) throw new ApiError(404, notAssigned);
  m.roleIds = m.roleIds.filter((id) => id !== roleId);
  state.store.changed();
  return unit();
};

/** A non-negative integer query value, or the default; 400 when it does not parse. */
function queryInt(ctx: RequestContext, name: string, fallback: number): number {
  const raw = ctx.query.get(name);
  if (raw === null) return fallback;
  if (!/^\d+$/.test(raw)) throw badRequest();
  return Number(raw);
}

type MemberRow = { m: StoredMembership; user: StoredUser | undefined };
const byCreatedAt = ({ m }: MemberRow): string => String(m.createdAt).padStart(20, "0");
/** The member list's sort keys; any other `sort_key` sorts by `created_at`. */
const MEMBER_SORT = new Map<string, (row: MemberRow) => string>([
  ["first_name", ({ user }) => user?.firstName ?? ""],
  ["last_name", ({ user }) => user?.lastName ?? ""],
  ["username", ({ user }) => user?.username ?? ""],
  ["email", ({ user }) => (user && primaryEmail(user)) ?? ""],
]);

/** GET /{scope}s/{id}/members: `{data, has_more, limit, offset}`; an unknown parent is `[]`. */
const listMembers: ScopeHandler = async (r, state, ctx) => {
  const limit = queryInt(ctx, "limit", 20);
  const offset = queryInt(ctx, "offset", 0);
  const { b2b } = state.store;
  const parent = b2b.parent(ctx.deploymentId, r.scope, pathId(ctx, r.param));
  const value = MEMBER_SORT.get(ctx.query.get("sort_key") ?? "") ?? byCreatedAt;
  const asc = ctx.query.get("sort_order") === "asc";
  const term = ctx.query.get("search")?.trim().toLowerCase();
  const rows = (parent ? b2b.membersOf(parent) : []).map((m) => ({
    m,
    user: state.store.get(ctx.deploymentId, m.userId),
  }));
  const matching = rows.filter(
    ({ user }) =>
      !term ||
      [
        user?.firstName,
        user?.lastName,
        user?.username,
        ...(user?.emails.map((e) => e.email) ?? []),
      ].some((v) => v?.toLowerCase().includes(term)),
  );
  matching.sort((a, b) =>
    value(a) < value(b) ? -1 : value(a) > value(b) ? 1 : a.m.id < b.m.id ? -1 : 1,
  );
  if (!asc) matching.reverse();
  return offsetPage(matching, limit, offset, ({ m, user }) =>
    memberView(b2b, parent as StoredParent, m, user, "list"),
  );
};

/** GET /users/{user_id}/{scope}-memberships: `{data, has_more: false}`; an unknown user is `[]`. */
const listUserMemberships: ScopeHandler = async (r, state, ctx) => {
  const userId = pathId(ctx, "user_id");
  const { b2b } = state.store;
  const data = state.store.get(ctx.deploymentId, userId)
    ? b2b.membershipsOfUser(r.scope, userId).flatMap((m) => {
        const parent = b2b.parent(ctx.deploymentId, r.scope, m.parentId);
        return parent ? [userMembershipView(b2b, parent, m)] : [];
      })
    : [];
  return ok({ data, has_more: false });
};

/** GET /{scope}s/{id}/roles: deployment-level roles plus the parent's own, by creation time. */
const listRoles: ScopeHandler = async (r, state, ctx) => {
  const parent = requireParent(state, ctx, r);
  return ok({ data: state.store.b2b.rolesFor(parent).map((x) => roleView(x)), has_more: false });
};

/**
 * GET /settings/b2b/{scope}-roles: the deployment-level roles only, in the settings' own shape
 * (`deployment_id` and null owner ids instead of `is_deployment_level`, §4).
 */
const listDeploymentRoles: ScopeHandler = async (r, state, ctx) => {
  const roles = state.store.b2b.deploymentRoles(ctx.deploymentId, r.scope);
  const data = roles.map((role) => ({
    id: role.id,
    created_at: formatTimestamp(role.createdAt),
    updated_at: formatTimestamp(role.updatedAt),
    name: role.name,
    permissions: [...role.permissions],
    deployment_id: role.deploymentId,
    organization_id: null,
    ...(r.scope === "workspace" && { workspace_id: null }),
  }));
  return ok({ data });
};

/** POST /{scope}s/{id}/roles: a custom role (names unique among the parent's own roles). */
const createRole: ScopeHandler = async (r, state, ctx) => {
  pathId(ctx, r.param);
  const body = readJson(ctx, createRoleBody);
  const parent = requireParent(state, ctx, r);
  const { b2b } = state.store;
  if (b2b.rolesFor(parent).some((x) => x.ownerId === parent.id && x.name === body.name)) {
    throw new ApiError(400, "Role with this name already exists");
  }
  const role = b2b.addRole(ctx.deploymentId, { scope: r.scope, ownerId: parent.id, ...body });
  state.store.changed();
  return ok(roleView(role));
};

function customRole(state: EmulatorState, ctx: RequestContext, r: ScopeRules) {
  const parent = requireParent(state, ctx, r);
  const role = state.store.b2b.role(ctx.deploymentId, r.scope, pathId(ctx, "role_id"));
  // Deployment-level roles cannot be edited or deleted here.
  if (!role || role.ownerId !== parent.id) throw new ApiError(404, r.customRoleNotFound);
  return role;
}

/** PATCH /{scope}s/{id}/roles/{role_id}. */
const updateRole: ScopeHandler = async (r, state, ctx) => {
  pathId(ctx, r.param);
  const body = readJson(ctx, patchRoleBody);
  const role = customRole(state, ctx, r);
  if (body.name == null && body.permissions == null) throw new ApiError(400, "No fields to update");
  if (body.name != null) role.name = body.name;
  if (body.permissions != null) role.permissions = [...body.permissions];
  role.updatedAt = state.store.now();
  state.store.changed();
  return ok(roleView(role));
};

/** DELETE /{scope}s/{id}/roles/{role_id}: `{}`; memberships lose the role. */
const deleteRole: ScopeHandler = async (r, state, ctx) => {
  state.store.b2b.deleteRole(customRole(state, ctx, r).id);
  state.store.changed();
  return unit();
};

/**
 * GET /organizations: the deployment's organizations, `{data, has_more, limit, offset}`, newest
 * first unless `sort_order=asc` (`sort_key` `created_at` or `name`); `limit` defaults to 10 with no
 * maximum (docs/wacht-memberships.md §2). The census by permission lists them.
 */
const listOrganizations: Handler = async (state, ctx) => {
  const limit = queryInt(ctx, "limit", 10);
  const offset = queryInt(ctx, "offset", 0);
  const byName = ctx.query.get("sort_key") === "name";
  const rows = state.store.b2b.organizations(ctx.deploymentId).sort((a, b) => {
    const [x, y] = byName ? [a.name, b.name] : [a.createdAt, b.createdAt];
    return x < y ? -1 : x > y ? 1 : a.id < b.id ? -1 : 1;
  });
  if (ctx.query.get("sort_order") !== "asc") rows.reverse();
  return offsetPage(rows, limit, offset, (p) => ({
    id: p.id,
    created_at: formatTimestamp(p.createdAt),
    updated_at: formatTimestamp(p.updatedAt),
    name: p.name,
    public_metadata: p.publicMetadata,
    private_metadata: p.privateMetadata,
  }));
};

function scopeRoutes(scope: Scope): Route[] {
  const r = scopeRules(scope);
  const base = `/${scope}s/{${r.param}}`;
  const member = `${base}/members/{membership_id}`;
  const rows: Array<[string, string, ScopeHandler]> = [
    ["GET", `${base}/members`, listMembers],
    ["POST", `${base}/members`, addMember],
    ["PATCH", member, updateMember],
    ["DELETE", member, removeMember],
    ["POST", `${member}/roles/{role_id}`, addMemberRole],
    ["DELETE", `${member}/roles/{role_id}`, removeMemberRole],
    ["GET", `${base}/roles`, listRoles],
    ["POST", `${base}/roles`, createRole],
    ["PATCH", `${base}/roles/{role_id}`, updateRole],
    ["DELETE", `${base}/roles/{role_id}`, deleteRole],
    ["GET", `/users/{user_id}/${scope}-memberships`, listUserMemberships],
    ["GET", `/settings/b2b/${scope}-roles`, listDeploymentRoles],
  ];
  return rows.map(([method, pattern, handler]) => ({
    method,
    pattern,
    handler: (state, ctx) => handler(r, state, ctx),
  }));
}

export const B2B_ROUTES: readonly Route[] = [
  { method: "GET", pattern: "/organizations", handler: listOrganizations },
  ...scopeRoutes("organization"),
  ...scopeRoutes("workspace"),
];
