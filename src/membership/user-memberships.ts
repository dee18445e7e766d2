// A user's memberships as people read them, from the user's own lists (two requests): what the
// User provider's delete warning names (docs/wacht-memberships.md §1: memberships, never
// segments), and what the `getUserMemberships` invoke is meant to return (ADR 0017).
import type { WachtClient } from "../client/wacht-client";
import type { ApiUserMembership } from "../client/b2b/membership-wire";

function describe(kind: string, name: string | undefined, id: string, m: ApiUserMembership) {
  const roles = m.roles.map((r) => r.name).sort();
  return `${kind} ${name ?? id} (${roles.length === 0 ? "no roles" : roles.join(", ")})`;
}

/**
 * `organization Acme (Admin)`, `workspace Acme Prod (Member)`, …; `undefined` when they could
 * not be listed (the caller says so in general terms instead).
 */
export async function describeUserMemberships(
  client: WachtClient,
  userId: string,
): Promise<string[] | undefined> {
  try {
    const [orgs, workspaces] = await Promise.all([
      client.organizations.membershipsOf(userId),
      client.workspaces.membershipsOf(userId),
    ]);
    return [
      ...orgs.map((m) => describe("organization", m.organization?.name, m.organization_id, m)),
      ...workspaces.map((m) =>
        describe("workspace", m.workspace?.name, m.workspace_id ?? m.organization_id, m),
      ),
    ];
  } catch {
    return undefined;
  }
}
