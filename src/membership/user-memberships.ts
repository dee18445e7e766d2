// A user's memberships as people read them, from the user's own lists (two requests): what the
// User provider's delete warning names (docs/wacht-memberships.md §1: memberships, never
// segments), and what the `getUserMemberships` invoke returns (fields.ts's
// USER_MEMBERSHIPS_INVOKE; no organization private metadata: the client drops it at parse time).
import type { WachtClient } from "../client/wacht-client";
import type { ApiUserMembership } from "../client/b2b/membership-wire";
import { isNotFound } from "../provider/errors";
import { roleOutputs } from "./roles";

/** Both per-user lists (two requests, in parallel). */
function readBoth(client: WachtClient, userId: string) {
  return Promise.all([
    client.organizations.membershipsOf(userId),
    client.workspaces.membershipsOf(userId),
  ]);
}

const live = (m: ApiUserMembership) => ({
  membershipId: m.id,
  ...roleOutputs(m.roles),
  publicMetadata: m.public_metadata,
});

const byKey =
  <T>(key: (x: T) => string) =>
  (a: T, b: T): number =>
    key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0;

/**
 * The user's memberships, sorted by organization (workspace) id. When both lists are empty the
 * user is read (one more request): Wacht lists nothing for a user that does not exist, and a
 * mistyped id must not read as "no memberships".
 */
export async function userMemberships(client: WachtClient, userId: string) {
  const [orgs, workspaces] = await readBoth(client, userId);
  if (orgs.length === 0 && workspaces.length === 0) {
    try {
      await client.users.get(userId);
    } catch (err) {
      if (isNotFound(err)) throw new Error(`Wacht user ${userId} does not exist`);
      throw err;
    }
  }
  return {
    userId,
    organizations: orgs
      .map((m) => ({
        organizationId: m.organization_id,
        ...(m.organization !== undefined && { organizationName: m.organization.name }),
        ...live(m),
      }))
      .sort(byKey((m) => m.organizationId.padStart(20, "0"))),
    workspaces: workspaces
      .map((m) => ({
        workspaceId: m.workspace_id ?? "",
        ...(m.workspace !== undefined && { workspaceName: m.workspace.name }),
        organizationId: m.organization_id,
        ...live(m),
      }))
      .sort(byKey((m) => m.workspaceId.padStart(20, "0"))),
  };
}

/** `getUserMemberships`'s result (its fields: fields.ts's USER_MEMBERSHIPS_INVOKE). */
export type UserMemberships = Awaited<ReturnType<typeof userMemberships>>;
/** One of the user's organization memberships. */
export type UserOrganizationMembership = UserMemberships["organizations"][number];
/** One of the user's workspace memberships. */
export type UserWorkspaceMembership = UserMemberships["workspaces"][number];

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
    const [orgs, workspaces] = await readBoth(client, userId);
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
