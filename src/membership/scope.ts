// The two scopes a membership lives in, and every fact that differs between the organization
// resources and their workspace twins: the parent's property name, the resource type names and
// the client's calls. Everything else in src/membership is written once for both.
import type { WachtClient } from "../client/wacht-client";
import type { MembershipsApi, MembershipScope } from "../client/b2b/memberships-api";

/** What one scope's resources need to know. */
export interface ScopeSpec {
  scope: MembershipScope;
  /** The parent's input and output name: `organizationId` or `workspaceId`. */
  parentKey: "organizationId" | "workspaceId";
  /** `organization` / `workspace`, for messages. */
  label: string;
  /** `wacht.OrganizationMembership` / `wacht.WorkspaceMembership`. */
  membershipType: string;
  /** `wacht.OrganizationMemberRole` / `wacht.WorkspaceMemberRole`. */
  memberRoleType: string;
  /** The invoke listing a parent's roles: `getOrganizationRoles` / `getWorkspaceRoles`. */
  rolesFunction: string;
  /** The client's calls for this scope. */
  api(client: WachtClient): MembershipsApi;
}

export const ORGANIZATION_SCOPE: ScopeSpec = {
  scope: "organization",
  parentKey: "organizationId",
  label: "organization",
  membershipType: "wacht.OrganizationMembership",
  memberRoleType: "wacht.OrganizationMemberRole",
  rolesFunction: "getOrganizationRoles",
  api: (client) => client.organizations,
};

export const WORKSPACE_SCOPE: ScopeSpec = {
  scope: "workspace",
  parentKey: "workspaceId",
  label: "workspace",
  membershipType: "wacht.WorkspaceMembership",
  memberRoleType: "wacht.WorkspaceMemberRole",
  rolesFunction: "getWorkspaceRoles",
  api: (client) => client.workspaces,
};
