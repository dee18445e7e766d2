// The JSON shapes of docs/wacht-memberships.md §2: roles, member details (org and workspace) and
// the per-user membership lists. Role order in member answers is arbitrary on the real server
// (`jsonb_agg DISTINCT`), so here it is a deterministic scramble, never the order they were added;
// the per-user lists order roles by name, as the real query does.
import { formatTimestamp } from "../clock";
import type { StoredUser } from "../model";
import { primaryEmail, primaryPhone } from "../views";
import type { B2bStore, StoredMembership, StoredParent, StoredRole } from "./b2b-store";

const ts = formatTimestamp;

/** `OrganizationRole` / `WorkspaceRole`. */
export function roleView(role: StoredRole, deploymentLevelAsFalse = false) {
  return {
    id: role.id,
    created_at: ts(role.createdAt),
    updated_at: ts(role.updatedAt),
    name: role.name,
    permissions: [...role.permissions],
    // The POST members answer says false even for Admin (§3.3).
    is_deployment_level: deploymentLevelAsFalse ? false : role.ownerId === null,
  };
}

/** A stable but meaningless order (FNV-1a of membership and role id). */
function scramble(membershipId: string, roleId: string): number {
  let h = 0x811c9dc5;
  for (const c of `${membershipId}:${roleId}`) h = Math.imul(h ^ c.charCodeAt(0), 0x01000193);
  return h >>> 0;
}

function rolesOf(store: B2bStore, deploymentId: string, m: StoredMembership): StoredRole[] {
  return m.roleIds.flatMap((id) => store.role(deploymentId, m.scope, id) ?? []);
}

/** `OrganizationMemberDetails` / `WorkspaceMemberDetails`. */
export function memberView(
  store: B2bStore,
  parent: StoredParent,
  m: StoredMembership,
  user: StoredUser | undefined,
  answer: "post" | "list",
) {
  const roles = rolesOf(store, parent.deploymentId, m).sort(
    (a, b) => scramble(m.id, a.id) - scramble(m.id, b.id),
  );
  return {
    id: m.id,
    created_at: ts(m.createdAt),
    updated_at: ts(m.updatedAt),
    ...(parent.scope === "organization"
      ? { organization_id: parent.id }
      : { workspace_id: parent.id }),
    user_id: m.userId,
    roles: roles.map((r) => roleView(r, answer === "post")),
    public_metadata: m.publicMetadata,
    first_name: user?.firstName ?? "",
    last_name: user?.lastName ?? "",
    // `null` on POST (username_or_none), raw in the list (§3.3).
    username: answer === "post" && user?.username === "" ? null : (user?.username ?? null),
    primary_email_address: user ? primaryEmail(user) : null,
    primary_phone_number: (user && primaryPhone(user)?.phoneNumber) ?? null,
    user_created_at: ts(user?.createdAt ?? m.createdAt),
  };
}

/** `Organization` / `Workspace` as embedded in the per-user lists (private metadata included). */
function parentView(store: B2bStore, p: StoredParent) {
  return {
    id: p.id,
    created_at: ts(p.createdAt),
    updated_at: ts(p.updatedAt),
    name: p.name,
    image_url: "",
    description: "",
    member_count: store.membersOf(p).length,
    public_metadata: p.publicMetadata,
    private_metadata: p.privateMetadata,
    ...(p.scope === "workspace" && { organization_id: p.organizationId }),
  };
}

/** `UserOrganizationMembership` / `UserWorkspaceMembership`, roles by name. */
export function userMembershipView(store: B2bStore, parent: StoredParent, m: StoredMembership) {
  const roles = rolesOf(store, parent.deploymentId, m).sort((a, b) =>
    a.name < b.name ? -1 : a.name > b.name ? 1 : 0,
  );
  const org = store.parent(parent.deploymentId, "organization", parent.organizationId ?? "");
  return {
    id: m.id,
    created_at: ts(m.createdAt),
    updated_at: ts(m.updatedAt),
    ...(parent.scope === "organization"
      ? { organization_id: parent.id }
      : {
          workspace_id: parent.id,
          organization_id: parent.organizationId,
          organization_membership_id: (org && store.membershipOf(org, m.userId)?.id) ?? null,
        }),
    user_id: m.userId,
    public_metadata: m.publicMetadata,
    roles: roles.map((r) => roleView(r)),
    [parent.scope]: parentView(store, parent),
  };
}
