// The implementation of `wacht.OrganizationMemberRole` and `wacht.WorkspaceMemberRole`: ONE role
// on one membership, additive, through the per-role routes only (docs/wacht-memberships.md §2):
// it never touches the membership's other roles, so a role someone added by hand stays. It does
// not create the membership (the per-role route cannot): declare the membership and make this
// resource depend on it. Not to be mixed with the membership resource's `roles` for the same
// member: that set is exhaustive and would remove this role again.
import type * as pulumi from "@pulumi/pulumi";
import { isNotFound, withContext } from "../provider/errors";
import { warn } from "../provider/log";
import { hasUnknown } from "../schema/user-fields";
import { isUserId } from "../schema/user-id";
import {
  checkRecord,
  keysOf,
  memberRoleSchema,
  sameKey,
  stateRecord,
  type MemberRoleDeclaration,
  type MemberRoleState,
} from "./declaration";
import type { ChangeSet } from "./membership-provider";
import { ScopedProvider } from "./runtime";

type Props = Record<string, unknown>;

export class MemberRoleProvider extends ScopedProvider {
  private declaration(props: Props): MemberRoleDeclaration {
    return {
      parentId: String(props[this.spec.parentKey]),
      userId: String(props["userId"]),
      role: String(props["role"]),
    };
  }

  /** The resource id `{parentId}/{userId}/{roleId}` and the state of `role` on the membership. */
  private stateOf(
    decl: MemberRoleDeclaration,
    membershipId: string,
    role: { id: string; permissions: readonly string[] },
  ): { id: string; props: Props } {
    const state: MemberRoleState = {
      ...decl,
      membershipId,
      roleId: role.id,
      permissions: [...role.permissions].sort(),
    };
    return {
      id: `${decl.parentId}/${decl.userId}/${role.id}`,
      props: stateRecord(this.spec, state),
    };
  }

  /** Validates the declaration and resolves the role name in the parent. */
  async check(_olds: Props, news: Props): Promise<pulumi.dynamic.CheckResult> {
    const { parentKey } = this.spec;
    const checked = checkRecord(
      memberRoleSchema(this.spec),
      news,
      { [parentKey]: "1", userId: "1", role: "Member" },
      `${this.spec.memberRoleType} takes ${parentKey}, userId and role`,
    );
    return this.checkRoles(checked, (i) => [i["role"]], "role");
  }

  /** Every input replaces (delete first, so a re-declared same role ends assigned). */
  async diff(_id: string, olds: Props, news: Props): Promise<ChangeSet> {
    const replaces = [this.spec.parentKey, "userId", "role"].filter(
      (k) => hasUnknown(news[k]) || !sameKey(olds[k], news[k]),
    );
    return {
      changes: replaces.length > 0,
      replaces,
      deleteBeforeReplace: true,
      changedProperties: replaces,
    };
  }

  /** Adds the role to the existing membership (the per-role POST, idempotent). */
  async create(inputs: Props): Promise<pulumi.dynamic.CreateResult> {
    const decl = this.declaration(inputs);
    const where = `role ${decl.role} of user ${decl.userId} in ${this.where(decl.parentId)}`;
    try {
      const client = this.client();
      // One name, one role: resolved throws for a name that means none or two.
      const role = (await this.runtime.resolved(client, this.spec, decl.parentId, [decl.role]))[0]!;
      const membership = await this.runtime.lookup(client, this.spec, decl.parentId, decl.userId);
      if (membership === undefined) {
        throw new Error(
          `user ${decl.userId} has no membership in ${this.where(decl.parentId)}: declare a ${this.spec.membershipType} for it and give this resource dependsOn on it (the per-role route cannot create a membership)`,
        );
      }
      if (membership.roles.some((r) => r.id === role.id)) {
        warn(
          `user ${decl.userId} already holds the role ${decl.role} in ${this.where(decl.parentId)}: this resource now manages it, and deleting it removes the role`,
        );
      }
      this.runtime.wrote(client, this.spec, decl.parentId, decl.userId);
      await this.spec.api(client).addMemberRole(decl.parentId, membership.id, role.id);
      const { id, props } = this.stateOf(decl, membership.id, role);
      return { id, outs: props };
    } catch (err) {
      withContext(`adding ${where} failed`, err);
    }
  }

  /**
   * Refresh: gone when the membership or the role on it is gone. Without state (an import) the
   * id `{parentId}/{userId}/{roleId}` says which role, and the inputs found are returned.
   */
  async read(id: string, props: Props): Promise<pulumi.dynamic.ReadResult> {
    const imported = props[this.spec.parentKey] === undefined;
    const keys = keysOf(this.spec, id, props);
    const roleId = imported ? id.split("/")[2] : props["roleId"];
    if (keys === undefined || typeof roleId !== "string" || !isUserId(roleId)) {
      throw new Error(
        `${this.spec.memberRoleType} id ${JSON.stringify(id)} is not {${this.spec.parentKey}}/{userId}/{roleId} (${this.spec.rolesFunction} lists the role ids)`,
      );
    }
    const { parentId, userId } = keys;
    const live = await this.member(parentId, userId);
    const role = live?.roles.find((r) => r.id === roleId);
    if (live === undefined || role === undefined) return { id: "" };
    const decl = { parentId, userId, role: imported ? role.name : String(props["role"]) };
    return {
      ...this.stateOf(decl, live.id, role),
      ...(imported && { inputs: { [this.spec.parentKey]: parentId, userId, role: role.name } }),
    };
  }

  /** Never called: every input replaces. */
  async update(_id: string, olds: Props): Promise<pulumi.dynamic.UpdateResult> {
    return { outs: olds };
  }

  /** Removes this one role (already gone is fine); other roles stay. */
  async delete(_id: string, props: Props): Promise<void> {
    const decl = this.declaration(props);
    const { membershipId, roleId } = props;
    if (typeof membershipId !== "string" || typeof roleId !== "string") return;
    try {
      const client = this.client();
      this.runtime.wrote(client, this.spec, decl.parentId, decl.userId);
      await this.spec.api(client).removeMemberRole(decl.parentId, membershipId, roleId);
    } catch (err) {
      if (isNotFound(err)) return;
      withContext(
        `removing role ${decl.role} of user ${decl.userId} in ${this.where(decl.parentId)} failed`,
        err,
      );
    }
  }
}
