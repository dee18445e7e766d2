// The field table of the membership wing: every input and output of the four resources, the
// arguments and results of the invokes, and the object types they use: each one's type, whether
// a change replaces the resource, and what it means. The dynamic resources take their property
// keys from it, and the native provider's schema is generated from it (src/native/
// membership-schema.ts); test/unit/membership/fields.test.ts checks it against what `check`
// accepts and what a state, an invoke or a type holds (docs/decisions/0017-memberships.md).
import type { ScopeSpec } from "./scope";

/** The object types of the wing (`wacht:index:<name>` in the native schema). */
export type ObjectTypeName =
  "RoleDetail" | "Role" | "UserOrganizationMembership" | "UserWorkspaceMembership";

/** One property of a membership resource, invoke or object type. */
export interface FieldFact {
  name: string;
  /** Declared by the program (else an output only). */
  input: boolean;
  /** Required input (for an output-only field: always present). */
  required?: boolean;
  /** A change replaces the resource. */
  replaces?: boolean;
  type: "string" | "string[]" | "boolean" | "json" | `${ObjectTypeName}[]`;
  description: string;
}

/** What `wacht.OrganizationMembership` / `wacht.WorkspaceMembership` is. */
export function membershipDescription(spec: ScopeSpec): string {
  const extra =
    spec.scope === "workspace"
      ? " Depend on the user's organization membership: otherwise Wacht creates one with the default Member role, and removing that one first removes this one too."
      : " Removing it also removes the user's workspace memberships in the organization (Wacht cascades).";
  return `One user's membership in a Wacht ${spec.label}, and (when roles is declared) its exhaustive role set. Resource and import id {${spec.parentKey}}/{userId}; creating it adopts an existing membership.${extra}`;
}

/** What `wacht.OrganizationMemberRole` / `wacht.WorkspaceMemberRole` is. */
export function memberRoleDescription(spec: ScopeSpec): string {
  return `ONE role on a user's existing ${spec.label} membership, additive: it never touches the membership's other roles. The membership must exist (declare it and depend on it). Not for a member whose ${spec.membershipType.replace(/^wacht\./, "")} declares roles (that set is exhaustive). Resource and import id {${spec.parentKey}}/{userId}/{roleId}.`;
}

/** A field maker: inputs or outputs, with the facts in `more`. */
const field =
  (input: boolean, more: Partial<FieldFact> = {}) =>
  (name: string, type: FieldFact["type"], description: string): FieldFact => ({
    name,
    input,
    type,
    description,
    ...more,
  });
const optional = field(true);
const output = field(false);
/** An output that is always present. */
const out = field(false, { required: true });
/** An input that identifies the resource: required, and a change replaces it. */
const key = (name: string, description: string) =>
  field(true, { required: true, replaces: true })(name, "string", description);

/** The fields of `wacht.OrganizationMembership` / `wacht.WorkspaceMembership`. */
export function membershipFields(spec: ScopeSpec): readonly FieldFact[] {
  return [
    key(spec.parentKey, `The ${spec.label}'s id.`),
    key("userId", "The member's user id."),
    optional(
      "roles",
      "string[]",
      `Role NAMES, resolved in the ${spec.label} at preview (an unknown or ambiguous name fails there). The set is exhaustive: up makes the membership hold exactly these. Left out: roles are not managed. As an output: the live role names, sorted.`,
    ),
    optional(
      "publicMetadata",
      "json",
      "The membership's public metadata (the whole value; {} clears it). Left out: not managed. As an output: the live value.",
    ),
    output("membershipId", "string", "Wacht's id of the membership."),
    output(
      "roleDetails",
      "RoleDetail[]",
      "The live roles as { id, name, permissions }, sorted by name.",
    ),
    output("permissions", "string[]", "The sorted union of the live roles' permissions."),
  ];
}

/** The fields of `wacht.OrganizationMemberRole` / `wacht.WorkspaceMemberRole`. */
export function memberRoleFields(spec: ScopeSpec): readonly FieldFact[] {
  const [parent, user, , , membershipId] = membershipFields(spec);
  return [
    parent!,
    user!,
    key(
      "role",
      `One role NAME, resolved in the ${spec.label} at preview. Only this role is added and, on delete, removed; other roles are never touched.`,
    ),
    membershipId!,
    output("roleId", "string", "The role's id."),
    output("permissions", "string[]", "The role's permissions, sorted."),
  ];
}

const ROLE_ID = out("id", "string", "The role's id (ids differ per deployment).");
const ROLE_NAME = out("name", "string", "The role's name.");
const ROLE_PERMISSIONS = out("permissions", "string[]", "The role's permissions, sorted.");

/** The fields of the live membership facts both kinds of per-user membership show. */
const liveMembershipFields = (label: string): FieldFact[] => [
  out("membershipId", "string", `Wacht's id of the ${label} membership.`),
  out("roles", "string[]", "The role names, sorted."),
  out("roleDetails", "RoleDetail[]", "The roles as { id, name, permissions }, sorted by name."),
  out("permissions", "string[]", "The sorted union of the roles' permissions."),
  out("publicMetadata", "json", "The membership's public metadata."),
];

/** The object types the resources and invokes use. */
export const OBJECT_TYPES: Record<
  ObjectTypeName,
  { description: string; fields: readonly FieldFact[] }
> = {
  RoleDetail: {
    description: "A role a membership holds.",
    fields: [ROLE_ID, ROLE_NAME, ROLE_PERMISSIONS],
  },
  Role: {
    description: "A role of an organization or workspace.",
    fields: [
      ROLE_ID,
      ROLE_NAME,
      ROLE_PERMISSIONS,
      out(
        "isDeploymentLevel",
        "boolean",
        "True for the deployment's own roles (Admin and Member), false for the organization's or workspace's custom roles.",
      ),
    ],
  },
  UserOrganizationMembership: {
    description: "One of a user's organization memberships.",
    fields: [
      out("organizationId", "string", "The organization's id."),
      { ...out("organizationName", "string", "The organization's name."), required: false },
      ...liveMembershipFields("organization"),
    ],
  },
  UserWorkspaceMembership: {
    description: "One of a user's workspace memberships.",
    fields: [
      out("workspaceId", "string", "The workspace's id."),
      { ...out("workspaceName", "string", "The workspace's name."), required: false },
      out("organizationId", "string", "The id of the workspace's organization."),
      ...liveMembershipFields("workspace"),
    ],
  },
};

/** An invoke: what it does, its arguments and its results. */
export interface InvokeFacts {
  description: string;
  args: readonly FieldFact[];
  results: readonly FieldFact[];
}

/** `getOrganizationRoles` / `getWorkspaceRoles`: the roles a declaration can name. */
export function parentRolesInvoke(spec: ScopeSpec): InvokeFacts {
  const parent = membershipFields(spec)[0]!;
  return {
    description: `The roles of a ${spec.label}: the deployment-level ones and its own, sorted by name. These are the names a ${spec.membershipType.replace(/^wacht\./, "")}'s roles can use. A ${spec.label} that does not exist fails, naming it.`,
    args: [{ ...parent, replaces: false }],
    results: [
      out(parent.name, "string", parent.description),
      out("roles", "Role[]", `The ${spec.label}'s roles, sorted by name.`),
    ],
  };
}

/** `getUserMemberships`: a user's memberships, from the user's own lists. */
export const USER_MEMBERSHIPS_INVOKE: InvokeFacts = {
  description:
    "A user's organization and workspace memberships with their roles and permissions (from the user's own lists: two requests; no organization private metadata). A user that does not exist fails, naming it.",
  args: [{ ...key("userId", "The user's id."), replaces: false }],
  results: [
    out("userId", "string", "The user's id."),
    out("organizations", "UserOrganizationMembership[]", "The user's organization memberships."),
    out("workspaces", "UserWorkspaceMembership[]", "The user's workspace memberships."),
  ],
};
