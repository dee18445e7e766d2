// Role names ↔ roles (src/membership/roles.ts): resolution per organization, outputs sorted
// whatever the wire's order (docs/wacht-memberships.md §3.7), and the adoption warning's text.
import {
  describeRoleChange,
  resolveRoleNames,
  roleOutputs,
  sameSet,
} from "../../../src/membership/roles";

const role = (id: string, name: string, permissions: string[], deploymentLevel = true) => ({
  id,
  name,
  permissions,
  is_deployment_level: deploymentLevel,
});
const ROLES = [
  role("1", "Admin", ["organization:admin"]),
  role("2", "Member", ["organization:member"]),
  role("3", "Billing", ["billing:manage", "organization:member"], false),
];

describe("resolveRoleNames", () => {
  it("resolves each name to its one role", () => {
    expect(resolveRoleNames(ROLES, ["Billing", "Admin"], "organization 9")).toEqual({
      roles: [
        { id: "3", name: "Billing", permissions: ["billing:manage", "organization:member"] },
        { id: "1", name: "Admin", permissions: ["organization:admin"] },
      ],
      problems: [],
    });
  });

  it("names an unknown role with the roles that exist, and an ambiguous one with both ids", () => {
    const withTwin = [...ROLES, role("4", "Admin", ["x"], false)];
    expect(resolveRoleNames(withTwin, ["admin", "Admin"], "organization 9").problems).toEqual([
      'no role named "admin" in organization 9 (its roles: Admin, Billing, Member)',
      'the role name "Admin" is ambiguous in organization 9: 2 roles have it (ids 1 deployment-level, 4); rename the custom one in Wacht so that each name means one role',
    ]);
  });
});

describe("roleOutputs", () => {
  it("sorts names, details and the permission union whatever the order given", () => {
    const a = roleOutputs([ROLES[2]!, ROLES[0]!]);
    const b = roleOutputs([ROLES[0]!, ROLES[2]!]);
    expect(a).toEqual(b);
    expect(a).toEqual({
      roles: ["Admin", "Billing"],
      roleDetails: [
        { id: "1", name: "Admin", permissions: ["organization:admin"] },
        { id: "3", name: "Billing", permissions: ["billing:manage", "organization:member"] },
      ],
      permissions: ["billing:manage", "organization:admin", "organization:member"],
    });
    expect(roleOutputs([])).toEqual({ roles: [], roleDetails: [], permissions: [] });
  });
});

describe("describeRoleChange and sameSet", () => {
  it("says what is added and removed, and compares as sets", () => {
    expect(describeRoleChange(["Member"], ["Admin"])).toBe("+ Admin, - Member");
    expect(describeRoleChange(["Admin"], ["Admin"])).toBe("");
    expect(sameSet(["1", "2"], ["2", "1"])).toBe(true);
    expect(sameSet(["1"], ["1", "2"])).toBe(false);
  });
});
