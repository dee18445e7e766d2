// The membership wing's part of the package schema, generated from its field table
// (src/membership/fields.ts): the four resources, the invokes and their object types. The tokens
// come from the scopes (`wacht.OrganizationMembership` is `wacht:index:OrganizationMembership`).
import {
  memberRoleDescription,
  memberRoleFields,
  membershipDescription,
  membershipFields,
  OBJECT_TYPES,
  parentRolesInvoke,
  USER_MEMBERSHIPS_INVOKE,
  type FieldFact,
  type InvokeFacts,
} from "../membership/fields";
import { ORGANIZATION_SCOPE, WORKSPACE_SCOPE, type ScopeSpec } from "../membership/scope";
import type { PropertySpec } from "./schema";

/** The native token of a dynamic type name or invoke: `wacht:index:<Name>`. */
export const nativeToken = (name: string): string => `wacht:index:${name.replace(/^wacht\./, "")}`;

export const SCOPES: readonly ScopeSpec[] = [ORGANIZATION_SCOPE, WORKSPACE_SCOPE];
export const USER_MEMBERSHIPS_TOKEN = nativeToken("getUserMemberships");

type Spec = PropertySpec & { replaceOnChanges?: boolean };

function typeSpec(type: FieldFact["type"]): PropertySpec {
  if (type.endsWith("[]")) {
    const item = type.slice(0, -2);
    return {
      type: "array",
      items: item === "string" ? { type: "string" } : { $ref: `#/types/${nativeToken(item)}` },
    };
  }
  return type === "json" ? { $ref: "pulumi.json#/Any" } : { type };
}

function properties(fields: readonly FieldFact[]): Record<string, Spec> {
  return Object.fromEntries(
    fields.map((f) => [
      f.name,
      {
        ...typeSpec(f.type),
        description: f.description,
        ...(f.replaces === true && { replaceOnChanges: true }),
      },
    ]),
  );
}

const required = (fields: readonly FieldFact[]) =>
  fields.filter((f) => f.required).map((f) => f.name);

function resource(description: string, fields: readonly FieldFact[]) {
  const inputs = fields.filter((f) => f.input);
  return {
    description,
    inputProperties: properties(inputs),
    requiredInputs: required(inputs),
    properties: properties(fields),
    // Every state holds every property (src/membership/declaration.ts stateRecord).
    required: fields.map((f) => f.name),
  };
}

function invoke({ description, args, results }: InvokeFacts) {
  return {
    description,
    inputs: { properties: properties(args), required: required(args) },
    outputs: { properties: properties(results), required: required(results) },
  };
}

/** The resources, functions and types of the membership wing. */
export function membershipSchema() {
  return {
    resources: Object.fromEntries(
      SCOPES.flatMap((spec) => [
        [
          nativeToken(spec.membershipType),
          resource(membershipDescription(spec), membershipFields(spec)),
        ],
        [
          nativeToken(spec.memberRoleType),
          resource(memberRoleDescription(spec), memberRoleFields(spec)),
        ],
      ]),
    ),
    functions: {
      ...Object.fromEntries(
        SCOPES.map((spec) => [nativeToken(spec.rolesFunction), invoke(parentRolesInvoke(spec))]),
      ),
      [USER_MEMBERSHIPS_TOKEN]: invoke(USER_MEMBERSHIPS_INVOKE),
    },
    types: Object.fromEntries(
      Object.entries(OBJECT_TYPES).map(([name, { description, fields }]) => [
        nativeToken(name),
        { type: "object", description, properties: properties(fields), required: required(fields) },
      ]),
    ),
  };
}
