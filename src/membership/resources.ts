// The dynamic resources of issue #22: `wacht.OrganizationMembership`, `wacht.WorkspaceMembership`
// (one membership, its exhaustive role set and metadata) and `wacht.OrganizationMemberRole`,
// `wacht.WorkspaceMemberRole` (one additive role). Each registers
// `pulumi-nodejs:dynamic/wacht:<Type>` with its shim as provider; outputs are declared with
// `declare` (docs/pulumi-engine.md §2) and exist because every field of the table is in the props.
import * as pulumi from "@pulumi/pulumi";
import type { JsonValue } from "../schema/json";
import type { RoleDetail } from "./declaration";
import { memberRoleFields, membershipFields } from "./fields";
import { ORGANIZATION_SCOPE, WORKSPACE_SCOPE } from "./scope";
import organizationMemberRoleShim from "./shims/organization-member-role";
import organizationMembershipShim from "./shims/organization-membership";
import workspaceMemberRoleShim from "./shims/workspace-member-role";
import workspaceMembershipShim from "./shims/workspace-membership";

export type { RoleDetail } from "./declaration";

/** Every field of the table (undefined unless declared), then the declared args. */
function props(fields: ReadonlyArray<{ name: string }>, args: object): Record<string, unknown> {
  return { ...Object.fromEntries(fields.map((f) => [f.name, undefined])), ...args };
}

/** What a membership declares besides its parent. */
interface MembershipCommonArgs {
  /** The member's user id (e.g. a `wacht.User`'s `userId`). Changing it replaces. */
  userId: pulumi.Input<string>;
  /**
   * Role NAMES (e.g. `["Admin"]`), resolved at preview; an unknown or ambiguous name fails there.
   * Exhaustive: `up` makes the membership hold exactly these roles (one PATCH). Left out: the
   * roles are not managed. Do not combine with a MemberRole resource for the same member.
   */
  roles?: pulumi.Input<pulumi.Input<string>[]>;
  /** The membership's public metadata, the whole value (`{}` clears it). Left out: not managed. */
  publicMetadata?: pulumi.Input<JsonValue>;
}

/** The declaration of an organization membership. */
export interface OrganizationMembershipArgs extends MembershipCommonArgs {
  /** The organization's id. Changing it replaces. */
  organizationId: pulumi.Input<string>;
}

/** The declaration of a workspace membership (depend on the organization membership). */
export interface WorkspaceMembershipArgs extends MembershipCommonArgs {
  /** The workspace's id. Changing it replaces. */
  workspaceId: pulumi.Input<string>;
}

/** Outputs shared by both membership resources. */
abstract class MembershipResource extends pulumi.dynamic.Resource {
  declare readonly userId: pulumi.Output<string>;
  /** Wacht's id of the membership. */
  declare readonly membershipId: pulumi.Output<string>;
  /** The live role names, sorted. */
  declare readonly roles: pulumi.Output<string[]>;
  /** The live roles as `{ id, name, permissions }`, sorted by name. */
  declare readonly roleDetails: pulumi.Output<RoleDetail[]>;
  /** The sorted union of the live roles' permissions (e.g. `organization:admin`). */
  declare readonly permissions: pulumi.Output<string[]>;
  declare readonly publicMetadata: pulumi.Output<JsonValue>;
}

/**
 * A user's membership in a Wacht organization, with its exhaustive role set. Resource id (and
 * import id) `{organizationId}/{userId}`. Creating it adopts an existing membership.
 */
export class OrganizationMembership extends MembershipResource {
  declare readonly organizationId: pulumi.Output<string>;

  constructor(name: string, args: OrganizationMembershipArgs, opts?: pulumi.CustomResourceOptions) {
    super(
      organizationMembershipShim,
      name,
      props(membershipFields(ORGANIZATION_SCOPE), args),
      opts,
      "wacht",
      "OrganizationMembership",
    );
  }
}

/**
 * A user's membership in a Wacht workspace. Give it `dependsOn` on the user's
 * `OrganizationMembership`: otherwise Wacht creates an organization membership with the default
 * `Member` role by itself, and deleting the organization membership first removes this one too.
 */
export class WorkspaceMembership extends MembershipResource {
  declare readonly workspaceId: pulumi.Output<string>;

  constructor(name: string, args: WorkspaceMembershipArgs, opts?: pulumi.CustomResourceOptions) {
    super(
      workspaceMembershipShim,
      name,
      props(membershipFields(WORKSPACE_SCOPE), args),
      opts,
      "wacht",
      "WorkspaceMembership",
    );
  }
}

/** What a member role declares besides its parent. */
interface MemberRoleCommonArgs {
  userId: pulumi.Input<string>;
  /** One role NAME, resolved at preview. Changing anything replaces. */
  role: pulumi.Input<string>;
}

/** The declaration of one additive organization role. */
export interface OrganizationMemberRoleArgs extends MemberRoleCommonArgs {
  organizationId: pulumi.Input<string>;
}

/** The declaration of one additive workspace role. */
export interface WorkspaceMemberRoleArgs extends MemberRoleCommonArgs {
  workspaceId: pulumi.Input<string>;
}

/** Outputs shared by both member-role resources. */
abstract class MemberRoleResource extends pulumi.dynamic.Resource {
  declare readonly userId: pulumi.Output<string>;
  declare readonly role: pulumi.Output<string>;
  declare readonly membershipId: pulumi.Output<string>;
  declare readonly roleId: pulumi.Output<string>;
  /** The role's permissions, sorted. */
  declare readonly permissions: pulumi.Output<string[]>;
}

/**
 * ONE role on a user's existing organization membership, additive: it never touches the
 * membership's other roles. The membership must exist (declare it and depend on it). Do not use it
 * for a member whose `OrganizationMembership` declares `roles` (that set is exhaustive).
 */
export class OrganizationMemberRole extends MemberRoleResource {
  declare readonly organizationId: pulumi.Output<string>;

  constructor(name: string, args: OrganizationMemberRoleArgs, opts?: pulumi.CustomResourceOptions) {
    super(
      organizationMemberRoleShim,
      name,
      props(memberRoleFields(ORGANIZATION_SCOPE), args),
      opts,
      "wacht",
      "OrganizationMemberRole",
    );
  }
}

/** ONE role on a user's existing workspace membership, additive (see OrganizationMemberRole). */
export class WorkspaceMemberRole extends MemberRoleResource {
  declare readonly workspaceId: pulumi.Output<string>;

  constructor(name: string, args: WorkspaceMemberRoleArgs, opts?: pulumi.CustomResourceOptions) {
    super(
      workspaceMemberRoleShim,
      name,
      props(memberRoleFields(WORKSPACE_SCOPE), args),
      opts,
      "wacht",
      "WorkspaceMemberRole",
    );
  }
}
