// Role names ↔ roles. Ids differ per deployment, so declarations name roles and `check` resolves
// each name among the roles of the organization (or workspace): the deployment-level ones plus
// its own (docs/wacht-memberships.md §1). A name matching no role, or two (a custom `Admin`
// beside the deployment-level one), fails at preview. Role order on the wire is arbitrary
// (§3.7): outputs are sorted, comparisons are by set.
import type { ApiRole } from "../client/b2b/membership-wire";
import type { RoleDetail } from "./declaration";

/** The live role facts a membership's outputs show. */
export interface RoleOutputs {
  roles: string[];
  roleDetails: RoleDetail[];
  permissions: string[];
}

/** Roles in output order: by name, then id. */
export const byName = (a: RoleDetail, b: RoleDetail): number =>
  a.name < b.name ? -1 : a.name > b.name ? 1 : a.id < b.id ? -1 : a.id > b.id ? 1 : 0;

/** A role as outputs show it (permissions sorted). */
export const roleDetail = (r: ApiRole | RoleDetail): RoleDetail => ({
  id: r.id,
  name: r.name,
  permissions: [...r.permissions].sort(),
});

/** Outputs of a role set: names sorted, details sorted by name, the sorted permission union. */
export function roleOutputs(roles: readonly (ApiRole | RoleDetail)[]): RoleOutputs {
  const roleDetails = roles.map(roleDetail).sort(byName);
  return {
    roles: roleDetails.map((r) => r.name),
    roleDetails,
    permissions: [...new Set(roleDetails.flatMap((r) => r.permissions))].sort(),
  };
}

/** Each name resolved to exactly one role, or the problems (one per bad name). */
export function resolveRoleNames(
  available: readonly ApiRole[],
  names: readonly string[],
  where: string,
): { roles: RoleDetail[]; problems: string[] } {
  const roles: RoleDetail[] = [];
  const problems: string[] = [];
  for (const name of names) {
    const found = available.filter((r) => r.name === name);
    if (found.length === 1) {
      roles.push({ id: found[0]!.id, name, permissions: found[0]!.permissions });
    } else if (found.length === 0) {
      const known = [...new Set(available.map((r) => r.name))].sort().join(", ");
      problems.push(`no role named "${name}" in ${where} (its roles: ${known || "none"})`);
    } else {
      problems.push(
        `the role name "${name}" is ambiguous in ${where}: ${found.length} roles have it (ids ${found.map((r) => `${r.id}${r.is_deployment_level ? " deployment-level" : ""}`).join(", ")}); rename the custom one in Wacht so that each name means one role`,
      );
    }
  }
  return { roles, problems };
}

/** `+ Admin, - Member`: how a role set changes (empty when it does not). */
export function describeRoleChange(from: readonly string[], to: readonly string[]): string {
  const added = to.filter((n) => !from.includes(n)).map((n) => `+ ${n}`);
  const removed = from.filter((n) => !to.includes(n)).map((n) => `- ${n}`);
  return [...added, ...removed].join(", ");
}

export function sameSet(a: readonly string[], b: readonly string[]): boolean {
  const set = new Set(a);
  return set.size === new Set(b).size && b.every((x) => set.has(x));
}
