// The membership wing's field table (src/membership/fields.ts) agrees with the code: a resource's
// inputs are exactly what its `check` accepts, its outputs exactly what a state holds, and the
// invokes' results and object types exactly the keys their functions return (compile-time
// checks below). The native schema's membership part is generated from it; the committed
// sdk/schema.json is checked against the generator by test/unit/schema/native-schema.test.ts.
import {
  memberRoleFields,
  membershipFields,
  OBJECT_TYPES,
  parentRolesInvoke,
  USER_MEMBERSHIPS_INVOKE,
  type FieldFact,
} from "../../../src/membership/fields";
import {
  memberRoleSchema,
  membershipSchema,
  stateRecord,
  type MemberRoleState,
  type MembershipState,
  type RoleDetail,
} from "../../../src/membership/declaration";
import type { ParentRole } from "../../../src/membership/invokes";
import { ORGANIZATION_SCOPE, WORKSPACE_SCOPE } from "../../../src/membership/scope";
import type {
  UserMemberships,
  UserOrganizationMembership,
  UserWorkspaceMembership,
} from "../../../src/membership/user-memberships";
import { packageSchema, type PropertySpec } from "../../../src/native/schema";

type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
/** Compile-time: each object type of the table is one TypeScript type's keys. */
const keys = {
  RoleDetail: ["id", "name", "permissions"] satisfies (keyof RoleDetail)[],
  Role: ["id", "name", "permissions", "isDeploymentLevel"] satisfies (keyof ParentRole)[],
  UserOrganizationMembership: [
    "organizationId",
    "organizationName",
    "membershipId",
    "roles",
    "roleDetails",
    "permissions",
    "publicMetadata",
  ] satisfies (keyof UserOrganizationMembership)[],
  UserWorkspaceMembership: [
    "workspaceId",
    "workspaceName",
    "organizationId",
    "membershipId",
    "roles",
    "roleDetails",
    "permissions",
    "publicMetadata",
  ] satisfies (keyof UserWorkspaceMembership)[],
};
const complete: [
  Same<(typeof keys.RoleDetail)[number], keyof RoleDetail>,
  Same<(typeof keys.Role)[number], keyof ParentRole>,
  Same<(typeof keys.UserOrganizationMembership)[number], keyof UserOrganizationMembership>,
  Same<(typeof keys.UserWorkspaceMembership)[number], keyof UserWorkspaceMembership>,
  Same<"userId" | "organizations" | "workspaces", keyof UserMemberships>,
] = [true, true, true, true, true];

const names = (fields: readonly FieldFact[]) => fields.map((f) => f.name).sort();
const inputs = (fields: readonly FieldFact[]) => names(fields.filter((f) => f.input));

describe.each([ORGANIZATION_SCOPE, WORKSPACE_SCOPE])("the $label resources", (spec) => {
  test("a membership's inputs are what check accepts, its outputs what a state holds", () => {
    const fields = membershipFields(spec);
    expect(inputs(fields)).toEqual(Object.keys(membershipSchema(spec).shape).sort());
    const state: Record<keyof MembershipState, unknown> = {
      parentId: "1",
      userId: "2",
      membershipId: "3",
      roles: [],
      roleDetails: [],
      permissions: [],
      publicMetadata: {},
    };
    expect(names(fields)).toEqual(Object.keys(stateRecord(spec, state as MembershipState)).sort());
  });

  test("a member role's inputs are what check accepts, its outputs what a state holds", () => {
    const fields = memberRoleFields(spec);
    expect(inputs(fields)).toEqual(Object.keys(memberRoleSchema(spec).shape).sort());
    const state: Record<keyof MemberRoleState, unknown> = {
      parentId: "1",
      userId: "2",
      role: "Admin",
      membershipId: "3",
      roleId: "4",
      permissions: [],
    };
    expect(names(fields)).toEqual(Object.keys(stateRecord(spec, state as MemberRoleState)).sort());
  });

  test("the roles invoke takes the parent's id and returns it with the roles", () => {
    const invoke = parentRolesInvoke(spec);
    expect(names(invoke.args)).toEqual([spec.parentKey]);
    expect(names(invoke.results)).toEqual([spec.parentKey, "roles"].sort());
  });
});

test("the object types and getUserMemberships's results are the functions' keys", () => {
  expect(complete).toEqual([true, true, true, true, true]);
  for (const [name, type] of Object.entries(OBJECT_TYPES)) {
    expect([name, names(type.fields)]).toEqual([name, [...keys[name as keyof typeof keys]].sort()]);
  }
  expect(names(USER_MEMBERSHIPS_INVOKE.results)).toEqual(["organizations", "userId", "workspaces"]);
});

test("the schema's membership part: four resources, three functions, every property described", () => {
  const schema = packageSchema("0.0.0");
  const tokens = Object.keys(schema.resources).filter((t) => /Member/.test(t));
  expect(tokens.sort()).toEqual([
    "wacht:index:OrganizationMemberRole",
    "wacht:index:OrganizationMembership",
    "wacht:index:WorkspaceMemberRole",
    "wacht:index:WorkspaceMembership",
  ]);
  const resources = schema.resources as Record<string, unknown>;
  const org = resources["wacht:index:OrganizationMembership"] as {
    inputProperties: Record<string, PropertySpec & { replaceOnChanges?: boolean }>;
    requiredInputs: string[];
    properties: Record<string, PropertySpec>;
  };
  expect(org.requiredInputs).toEqual(["organizationId", "userId"]);
  expect(org.inputProperties["organizationId"]?.replaceOnChanges).toBe(true);
  expect(org.inputProperties["roles"]).toMatchObject({ type: "array", items: { type: "string" } });
  expect(org.properties["roleDetails"]).toMatchObject({
    items: { $ref: "#/types/wacht:index:RoleDetail" },
  });
  const functions = schema.functions as Record<
    string,
    {
      inputs: { properties: Record<string, PropertySpec> };
      outputs: { properties: Record<string, PropertySpec> };
    }
  >;
  for (const fn of ["getOrganizationRoles", "getWorkspaceRoles", "getUserMemberships"]) {
    expect(functions).toHaveProperty([`wacht:index:${fn}`]);
  }
  const described = (props: Record<string, PropertySpec>) =>
    Object.entries(props).filter(([, p]) => (p.description ?? "").length < 10);
  for (const token of tokens) {
    const r = resources[token] as {
      properties: Record<string, PropertySpec>;
      inputProperties: Record<string, PropertySpec>;
    };
    expect(described(r.properties)).toEqual([]);
    expect(described(r.inputProperties)).toEqual([]);
  }
  for (const fn of Object.values(functions)) {
    expect(described(fn.inputs.properties)).toEqual([]);
    expect(described(fn.outputs.properties)).toEqual([]);
  }
});
