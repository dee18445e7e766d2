// The field table of the membership resources: every input and output, its type, whether a
// change replaces the resource, and what it means. The resource classes take their output keys
// from it, `check` its known inputs, and the native provider's schema is meant to be generated
// from it (docs/decisions/0017-memberships.md).
import type { ScopeSpec } from "./scope";

/** One property of a membership resource. */
export interface FieldFact {
  name: string;
  /** Declared by the program (else an output only). */
  input: boolean;
  /** Required input. */
  required?: boolean;
  /** A change replaces the resource. */
  replaces?: boolean;
  type: "string" | "string[]" | "json" | "roleDetails[]";
  description: string;
}

/** The fields of `wacht.OrganizationMembership` / `wacht.WorkspaceMembership`. */
export function membershipFields(spec: ScopeSpec): readonly FieldFact[] {
  return [
    {
      name: spec.parentKey,
      input: true,
      required: true,
      replaces: true,
      type: "string",
      description: `The ${spec.label}'s id.`,
    },
    {
      name: "userId",
      input: true,
      required: true,
      replaces: true,
      type: "string",
      description: "The member's user id.",
    },
    {
      name: "roles",
      input: true,
      type: "string[]",
      description: `Role NAMES, resolved in the ${spec.label} at preview (an unknown or ambiguous name fails there). The set is exhaustive: up makes the membership hold exactly these. Left out: roles are not managed. As an output: the live role names, sorted.`,
    },
    {
      name: "publicMetadata",
      input: true,
      type: "json",
      description:
        "The membership's public metadata (the whole value; {} clears it). Left out: not managed. As an output: the live value.",
    },
    {
      name: "membershipId",
      input: false,
      type: "string",
      description: "Wacht's id of the membership.",
    },
    {
      name: "roleDetails",
      input: false,
      type: "roleDetails[]",
      description: "The live roles as { id, name, permissions }, sorted by name.",
    },
    {
      name: "permissions",
      input: false,
      type: "string[]",
      description: "The sorted union of the live roles' permissions.",
    },
  ];
}

/** The fields of `wacht.OrganizationMemberRole` / `wacht.WorkspaceMemberRole`. */
export function memberRoleFields(spec: ScopeSpec): readonly FieldFact[] {
  return [
    ...membershipFields(spec).filter((f) => f.name === spec.parentKey || f.name === "userId"),
    {
      name: "role",
      input: true,
      required: true,
      replaces: true,
      type: "string",
      description: `One role NAME, resolved in the ${spec.label} at preview. Only this role is added and, on delete, removed; other roles are never touched.`,
    },
    {
      name: "membershipId",
      input: false,
      type: "string",
      description: "Wacht's id of the membership.",
    },
    { name: "roleId", input: false, type: "string", description: "The role's id." },
    {
      name: "permissions",
      input: false,
      type: "string[]",
      description: "The role's permissions, sorted.",
    },
  ];
}
