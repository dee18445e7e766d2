// What the control routes and the handle show of an organization: its roles, workspaces and
// memberships, role names sorted (tests compare them without caring for the API's order).
import { formatTimestamp } from "../clock";
import type { B2bStore, StoredParent } from "./b2b-store";

/** One membership as tests see it. */
export interface MembershipDump {
  id: string;
  user_id: string;
  /** Role names, sorted. */
  roles: string[];
  role_ids: string[];
  public_metadata: unknown;
  created_at: string;
  updated_at: string;
}

/** A role as tests see it. */
export interface RoleDump {
  id: string;
  name: string;
  permissions: string[];
  deployment_level: boolean;
}

/** An organization or workspace as tests see it. */
export interface ParentDump {
  id: string;
  deployment_id: string;
  name: string;
  roles: RoleDump[];
  members: MembershipDump[];
}

/** An organization with its workspaces. */
export interface OrganizationDump extends ParentDump {
  workspaces: ParentDump[];
}

function parentDump(b2b: B2bStore, p: StoredParent): ParentDump {
  return {
    id: p.id,
    deployment_id: p.deploymentId,
    name: p.name,
    roles: b2b.rolesFor(p).map((r) => ({
      id: r.id,
      name: r.name,
      permissions: [...r.permissions],
      deployment_level: r.ownerId === null,
    })),
    members: b2b.membersOf(p).map((m) => ({
      id: m.id,
      user_id: m.userId,
      roles: m.roleIds.map((id) => b2b.role(p.deploymentId, p.scope, id)?.name ?? `?${id}`).sort(),
      role_ids: [...m.roleIds],
      public_metadata: structuredClone(m.publicMetadata),
      created_at: formatTimestamp(m.createdAt),
      updated_at: formatTimestamp(m.updatedAt),
    })),
  };
}

export function organizationDump(b2b: B2bStore, org: StoredParent): OrganizationDump {
  return {
    ...parentDump(b2b, org),
    workspaces: b2b.workspacesOf(org.id).map((w) => parentDump(b2b, w)),
  };
}
