// Organizations, workspaces, roles and memberships (docs/wacht-memberships.md), kept beside the
// users in the UserStore (ids, clock, snapshot). Everything is scoped to a deployment: an
// organization, workspace or role of another deployment is "not found", unlike the backend's
// tenant-scoping holes (§3.10). Each deployment gets its four deployment-level roles on first use.
import type { EpochMicros } from "../clock";
import type { JsonValue } from "../../schema/json";

/** `organization` or `workspace`: the two kinds of membership, role and parent. */
export type Scope = "organization" | "workspace";

/** A row of the organization or workspace roles table. */
export interface StoredRole {
  id: string;
  deploymentId: string;
  scope: Scope;
  /** The organization or workspace of a custom role; `null` for a deployment-level role. */
  ownerId: string | null;
  name: string;
  permissions: string[];
  createdAt: EpochMicros;
  updatedAt: EpochMicros;
}

/** An organization or a workspace (a workspace has `organizationId`). */
export interface StoredParent {
  id: string;
  deploymentId: string;
  scope: Scope;
  organizationId: string | null;
  name: string;
  publicMetadata: JsonValue;
  privateMetadata: JsonValue;
  createdAt: EpochMicros;
  updatedAt: EpochMicros;
}

/** An organization or workspace membership with its role ids. */
export interface StoredMembership {
  id: string;
  scope: Scope;
  /** The organization or workspace. */
  parentId: string;
  userId: string;
  roleIds: string[];
  publicMetadata: JsonValue;
  createdAt: EpochMicros;
  updatedAt: EpochMicros;
}

/** The serialisable part of the store (in the state file beside the users). */
export interface B2bSnapshot {
  parents: StoredParent[];
  roles: StoredRole[];
  memberships: StoredMembership[];
}

/** The deployment-level roles every deployment is bootstrapped with (§1). */
const DEPLOYMENT_ROLES: ReadonlyArray<{ scope: Scope; name: string; permissions: string[] }> = [
  { scope: "organization", name: "Admin", permissions: ["organization:admin"] },
  { scope: "organization", name: "Member", permissions: ["organization:member"] },
  { scope: "workspace", name: "Admin", permissions: ["workspace:admin"] },
  { scope: "workspace", name: "Member", permissions: ["workspace:member"] },
];

/** What a caller gives for a new row: the rest is stamped (`id` only when it is not given). */
type NewRow<T> = Omit<T, "id" | "deploymentId" | "createdAt" | "updatedAt"> & {
  id?: string | undefined;
};

/** Ids and time from the user store. */
export interface Sequence {
  nextId(): string;
  now(): EpochMicros;
}

/** The B2B tables of every deployment. */
export class B2bStore {
  private parents = new Map<string, StoredParent>();
  private roles = new Map<string, StoredRole>();
  private memberships = new Map<string, StoredMembership>();

  constructor(private readonly seq: Sequence) {}

  /** The organization or workspace `id` of this scope in `deploymentId`. */
  parent(deploymentId: string, scope: Scope, id: string): StoredParent | undefined {
    const p = this.parents.get(id);
    return p && p.deploymentId === deploymentId && p.scope === scope ? p : undefined;
  }

  /** Every organization of a deployment (or of all deployments). */
  organizations(deploymentId?: string): StoredParent[] {
    return [...this.parents.values()].filter(
      (p) =>
        p.scope === "organization" &&
        (deploymentId === undefined || p.deploymentId === deploymentId),
    );
  }

  /** Creates an organization, or a workspace of `organizationId`. */
  addParent(deploymentId: string, { id, ...fields }: NewRow<StoredParent>): StoredParent {
    this.deploymentRoles(deploymentId);
    const p = this.row(id, { deploymentId, ...fields });
    this.parents.set(p.id, p);
    return p;
  }

  workspacesOf(organizationId: string): StoredParent[] {
    return [...this.parents.values()].filter(
      (p) => p.scope === "workspace" && p.organizationId === organizationId,
    );
  }

  /** The deployment-level roles of a deployment, created on first use. */
  deploymentRoles(deploymentId: string, scope?: Scope): StoredRole[] {
    let found = [...this.roles.values()].filter(
      (r) => r.deploymentId === deploymentId && r.ownerId === null,
    );
    if (found.length === 0) {
      found = DEPLOYMENT_ROLES.map((r) => this.addRole(deploymentId, { ...r, ownerId: null }));
    }
    return scope === undefined ? found : found.filter((r) => r.scope === scope);
  }

  /** The role `id` of this scope in `deploymentId`, whatever its owner. */
  role(deploymentId: string, scope: Scope, id: string): StoredRole | undefined {
    const r = this.roles.get(id);
    return r && r.deploymentId === deploymentId && r.scope === scope ? r : undefined;
  }

  /** The deployment-level roles plus the parent's own, by creation time. */
  rolesFor(parent: StoredParent): StoredRole[] {
    this.deploymentRoles(parent.deploymentId);
    return [...this.roles.values()]
      .filter(
        (r) =>
          r.deploymentId === parent.deploymentId &&
          r.scope === parent.scope &&
          (r.ownerId === null || r.ownerId === parent.id),
      )
      .sort((a, b) => a.createdAt - b.createdAt);
  }

  /** Creates a role (a custom one when `ownerId` is set). */
  addRole(deploymentId: string, { id, permissions, ...fields }: NewRow<StoredRole>): StoredRole {
    const role = this.row(id, { deploymentId, ...fields, permissions: [...permissions] });
    this.roles.set(role.id, role);
    return role;
  }

  /** Deletes a role and takes it off every membership (the foreign key cascades). */
  deleteRole(id: string): void {
    this.roles.delete(id);
    for (const m of this.memberships.values()) m.roleIds = m.roleIds.filter((r) => r !== id);
  }

  membership(parent: StoredParent, id: string): StoredMembership | undefined {
    const m = this.memberships.get(id);
    return m && m.scope === parent.scope && m.parentId === parent.id ? m : undefined;
  }

  membershipOf(parent: StoredParent, userId: string): StoredMembership | undefined {
    return this.membersOf(parent).find((m) => m.userId === userId);
  }

  membersOf(parent: StoredParent): StoredMembership[] {
    return [...this.memberships.values()].filter(
      (m) => m.scope === parent.scope && m.parentId === parent.id,
    );
  }

  /** Every membership of this scope held by `userId`. */
  membershipsOfUser(scope: Scope, userId: string): StoredMembership[] {
    return [...this.memberships.values()].filter((m) => m.scope === scope && m.userId === userId);
  }

  addMembership(parent: StoredParent, userId: string, roleIds: string[]): StoredMembership {
    const { scope, id: parentId } = parent;
    const m = this.row(undefined, {
      scope,
      parentId,
      userId,
      roleIds: [...roleIds],
      publicMetadata: {},
    });
    this.memberships.set(m.id, m);
    return m;
  }

  /** A new row: its id (given, else the next one) and both timestamps at now. */
  private row<T extends object>(id: string | undefined, fields: T) {
    const now = this.seq.now();
    return { id: id ?? this.seq.nextId(), ...fields, createdAt: now, updatedAt: now };
  }

  /**
   * Deletes a membership; an organization membership takes the user's workspace memberships in
   * that organization with it (§3.4).
   */
  deleteMembership(m: StoredMembership): void {
    this.memberships.delete(m.id);
    if (m.scope !== "organization") return;
    for (const ws of this.workspacesOf(m.parentId)) {
      const inner = this.membershipOf(ws, m.userId);
      if (inner) this.memberships.delete(inner.id);
    }
  }

  /** Drops every membership of a deleted user. */
  removeUser(userId: string): void {
    for (const m of [...this.memberships.values()]) {
      if (m.userId === userId) this.memberships.delete(m.id);
    }
  }

  snapshot(): B2bSnapshot {
    return structuredClone({
      parents: [...this.parents.values()],
      roles: [...this.roles.values()],
      memberships: [...this.memberships.values()],
    });
  }

  load(snapshot: B2bSnapshot | undefined): void {
    const s = structuredClone(snapshot ?? { parents: [], roles: [], memberships: [] });
    this.parents = new Map(s.parents.map((p) => [p.id, p]));
    this.roles = new Map(s.roles.map((r) => [r.id, r]));
    this.memberships = new Map(s.memberships.map((m) => [m.id, m]));
  }
}
