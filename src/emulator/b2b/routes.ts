// The B2B rows of the route table (docs/wacht-memberships.md §2): members, per-role routes, roles
// and the per-user lists, once per scope. src/emulator/routes.ts appends them to the users API.
import type { Route } from "../routes";
import {
  addMember,
  addMemberRole,
  createRole,
  deleteRole,
  listDeploymentRoles,
  listMembers,
  listOrganizations,
  listRoles,
  listUserMemberships,
  ORGANIZATION,
  removeMember,
  removeMemberRole,
  updateMember,
  updateRole,
  WORKSPACE,
} from "./handlers";

function scopeRoutes(r: typeof ORGANIZATION): Route[] {
  const base = `/${r.scope}s/{${r.param}}`;
  const member = `${base}/members/{membership_id}`;
  return [
    { method: "GET", pattern: `${base}/members`, handler: listMembers(r) },
    { method: "POST", pattern: `${base}/members`, handler: addMember(r) },
    { method: "PATCH", pattern: member, handler: updateMember(r) },
    { method: "DELETE", pattern: member, handler: removeMember(r) },
    { method: "POST", pattern: `${member}/roles/{role_id}`, handler: addMemberRole(r) },
    { method: "DELETE", pattern: `${member}/roles/{role_id}`, handler: removeMemberRole(r) },
    { method: "GET", pattern: `${base}/roles`, handler: listRoles(r) },
    { method: "POST", pattern: `${base}/roles`, handler: createRole(r) },
    { method: "PATCH", pattern: `${base}/roles/{role_id}`, handler: updateRole(r) },
    { method: "DELETE", pattern: `${base}/roles/{role_id}`, handler: deleteRole(r) },
    {
      method: "GET",
      pattern: `/users/{user_id}/${r.scope}-memberships`,
      handler: listUserMemberships(r),
    },
    { method: "GET", pattern: `/settings/b2b/${r.scope}-roles`, handler: listDeploymentRoles(r) },
  ];
}

export const B2B_ROUTES: readonly Route[] = [
  { method: "GET", pattern: "/organizations", handler: listOrganizations },
  ...scopeRoutes(ORGANIZATION),
  ...scopeRoutes(WORKSPACE),
];
