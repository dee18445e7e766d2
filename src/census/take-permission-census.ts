// The census by permission (issue #22 part 6, ADR 0017): `selector: { permission:
// "organization:admin" }` names every enabled user holding that permission in an organization
// through a membership the stack does not declare (`declaredMemberships`): admin-ness is a
// membership, not a user (docs/wacht-memberships.md §1). Its requests, the run's member listings
// shared with the membership resources' refresh, are counted in docs/gitops.md ("Census of
// admins", Cost). A permission no role carries fails instead of reporting nobody.
import type { ApiRole } from "../client/b2b/membership-wire";
import { isNotFound } from "../provider/errors";
import type { WachtClient } from "../client/wacht-client";
import type { MembershipRuntime } from "../membership/runtime";
import { ORGANIZATION_SCOPE } from "../membership/scope";
import { canonicalUserId } from "../schema/user-id";
import type { ApiUserDetails } from "../schema/wire";
import type { CensusAccount, CensusInputs, PermissionSelector } from "./census-inputs";
import type { CensusResult } from "./take-census";
import { accountOf, allowlisted, allowlistSet } from "./take-census";

function addAll(into: Set<string>, values: readonly string[]): void {
  for (const v of values) into.add(v);
}

/** `<organizationId>/<userId>` in canonical form. */
export function membershipPair(organizationId: string, userId: string): string {
  return `${canonicalUserId(organizationId)}/${canonicalUserId(userId)}`;
}

/**
 * Takes a census by permission. `client` is the membership runtime's client for the settings, so
 * the member listings are the run's (shared with the membership resources' refresh).
 */
export async function takePermissionCensus(
  client: WachtClient,
  memberships: MembershipRuntime,
  selector: PermissionSelector,
  inputs: CensusInputs,
): Promise<CensusResult> {
  const declared = new Set(
    (inputs.declaredMemberships ?? []).map((p) => {
      const [org = "", user = ""] = p.split("/");
      return membershipPair(org, user);
    }),
  );
  const allow = allowlistSet(inputs.allowlist);
  const before = { ...memberships.stats };
  let listRequests = 0;
  // A census that cannot see anything must not pass as "no admins": the organizations it was
  // given must exist and, with the roles they offer, one must carry the permission.
  const carried = new Set<string>();
  let organizations = selector.organizations?.map(canonicalUserId);
  if (organizations === undefined) {
    const { parents, requests } = await client.organizations.listAll();
    listRequests += requests;
    organizations = parents.map((p) => canonicalUserId(p.id));
    listRequests += 1;
    for (const r of await client.organizations.deploymentRoles()) addAll(carried, r.permissions);
  } else {
    for (const organizationId of new Set(organizations)) {
      let roles: ApiRole[];
      try {
        roles = await memberships.roles(client, ORGANIZATION_SCOPE, organizationId);
      } catch (err) {
        if (isNotFound(err)) {
          throw new Error(
            `wacht.UserCensus: selector.organizations: organization ${organizationId} does not exist in this deployment (GET /organizations/${organizationId}/roles answered 404): give the id of an existing organization, or leave organizations out to look in every one`,
          );
        }
        throw err;
      }
      for (const r of roles) addAll(carried, r.permissions);
    }
  }
  // Holders of the permission through a membership nobody declared, in listing order, once each.
  const holders = new Map<string, string[]>(); // user id → the organizations it holds it in
  for (const organizationId of new Set(organizations)) {
    const members = await memberships.members(client, ORGANIZATION_SCOPE, organizationId);
    for (const [userId, m] of members) {
      for (const r of m.roles) addAll(carried, r.permissions);
      if (!m.roles.some((r) => r.permissions.includes(selector.permission))) continue;
      if (declared.has(membershipPair(organizationId, userId))) continue;
      const id = canonicalUserId(userId);
      if (allow.has(id)) continue;
      const where = holders.get(id) ?? [];
      if (!where.includes(organizationId)) where.push(organizationId);
      holders.set(id, where);
    }
  }
  if (!carried.has(selector.permission)) {
    const known = [...carried].sort().join(", ") || "none";
    throw new Error(
      `wacht.UserCensus: selector.permission: no role ${selector.organizations === undefined ? "of the deployment, and none a member holds," : "of the organizations listed"} carries ${JSON.stringify(selector.permission)}, so the census could not find a holder if there were one: check its spelling (the roles carry: ${known})${selector.organizations === undefined ? "; a custom role's permission that no member holds yet is checked once its organizations are listed in selector.organizations" : ""}`,
    );
  }
  for (const [what, n] of Object.entries(memberships.stats)) {
    listRequests += n - before[what as keyof typeof before];
  }
  const undeclaredAccounts: CensusAccount[] = [];
  let detailRequests = 0;
  for (const [id, organizationIds] of holders) {
    let details: ApiUserDetails;
    try {
      detailRequests += 1;
      details = await client.users.get(id);
    } catch (err) {
      if (isNotFound(err)) continue; // deleted meanwhile
      throw err;
    }
    if (details.disabled || allowlisted(details, allow)) continue;
    undeclaredAccounts.push({ ...accountOf(details), organizationIds });
  }
  return { undeclaredAccounts, checked: {}, listRequests, detailRequests };
}
