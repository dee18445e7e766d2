// The census by permission (issue #22 part 6, ADR 0017): `selector: { permission:
// "organization:admin" }` names every enabled user holding that permission in an organization
// (every organization of the deployment, or those the selector lists) through a membership the
// stack does not declare. Admin-ness is a membership, not a user (docs/wacht-memberships.md §1),
// so declaring the user is not enough: its membership must be declared (`declaredMemberships`,
// the roster's `memberships`).
//
// Requests: ⌈organizations/500⌉ to list the organizations (none when the selector lists them),
// Σ⌈members of each organization/500⌉ for their members — the run's member listing, shared with
// the membership resources' refresh (src/membership/runtime.ts) — and one details read per
// undeclared holder not allowlisted by id (to learn `disabled`, the email and username). A census
// where every holder is declared costs the list requests only.
import { isWachtError } from "../client/errors";
import type { WachtClient } from "../client/wacht-client";
import type { MembershipRuntime } from "../membership/runtime";
import { ORGANIZATION_SCOPE } from "../membership/scope";
import { canonicalUserId } from "../schema/user-id";
import type { ApiUserDetails } from "../schema/wire";
import type { CensusAccount, CensusInputs, PermissionSelector } from "./census-inputs";
import type { CensusResult } from "./take-census";
import { accountOf, allowlisted } from "./take-census";

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
  const allow = new Set(
    inputs.allowlist.map((e) => (/^[0-9]+$/.test(e) ? canonicalUserId(e) : e.toLowerCase())),
  );
  const before = { ...memberships.stats };
  let listRequests = 0;
  let organizations = selector.organizations?.map(canonicalUserId);
  if (organizations === undefined) {
    const { parents, requests } = await client.organizations.listAll();
    listRequests += requests;
    organizations = parents.map((p) => canonicalUserId(p.id));
  }
  // Holders of the permission through a membership nobody declared, in listing order, once each.
  const holders: string[] = [];
  for (const organizationId of new Set(organizations)) {
    const members = await memberships.members(client, ORGANIZATION_SCOPE, organizationId);
    for (const [userId, m] of members) {
      if (!m.roles.some((r) => r.permissions.includes(selector.permission))) continue;
      if (declared.has(membershipPair(organizationId, userId))) continue;
      const id = canonicalUserId(userId);
      if (!holders.includes(id) && !allow.has(id)) holders.push(id);
    }
  }
  listRequests +=
    memberships.stats.memberListRequests -
    before.memberListRequests +
    (memberships.stats.userListRequests - before.userListRequests);
  const undeclaredAccounts: CensusAccount[] = [];
  let detailRequests = 0;
  for (const id of holders) {
    let details: ApiUserDetails;
    try {
      detailRequests += 1;
      details = await client.users.get(id);
    } catch (err) {
      if (isWachtError(err) && (err as { status?: unknown }).status === 404) continue; // deleted meanwhile
      throw err;
    }
    if (details.disabled || allowlisted(details, allow)) continue;
    undeclaredAccounts.push(accountOf(details));
  }
  return { undeclaredAccounts, checked: {}, listRequests, detailRequests };
}
