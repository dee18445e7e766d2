// The implementation of `wacht.OrganizationMembership` and `wacht.WorkspaceMembership` (one
// class, two scopes), behind the shim (ADR 0003) and the native front door (ADR 0017). One
// membership per (parent, user), resource id `{parentId}/{userId}` (its import id); each method
// says what it sends, and docs/decisions/0017-memberships.md why.
import { setTimeout as sleep } from "node:timers/promises";
import type * as pulumi from "@pulumi/pulumi";
import { classifyCreateFailure, CREATE_RETRY } from "../client/retry";
import { jsonEqual } from "../diff/json-equal";
import { isNotFound, messageOf, withContext } from "../provider/errors";
import { info, warn } from "../provider/log";
import { hasUnknown } from "../schema/user-fields";
import type { JsonValue } from "../schema/json";
import {
  checkRecord,
  keysOf,
  membershipDeclaration,
  membershipResourceId,
  membershipSchema,
  sameKey,
  stateRecord,
  type MembershipDeclaration,
  type MembershipState,
  type RoleDetail,
} from "./declaration";
import { describeRoleChange, roleOutputs, sameSet } from "./roles";
import { ScopedProvider, type LiveMembership } from "./runtime";

type Props = Record<string, unknown>;

/** A diff with the names of the properties that change. */
export type ChangeSet = pulumi.dynamic.DiffResult & { changedProperties: string[] };

/** True for Wacht's 400 `User is already a member of this …`. */
function alreadyMember(err: unknown): boolean {
  const e = err as { status?: unknown; serverMessage?: unknown };
  return (
    e.status === 400 &&
    typeof e.serverMessage === "string" &&
    /already a member/.test(e.serverMessage)
  );
}

export class MembershipProvider extends ScopedProvider {
  private resolve(parentId: string, names: readonly string[]): Promise<RoleDetail[]> {
    return this.runtime.resolved(this.client(), this.spec, parentId, names);
  }

  /** Validates the declaration and resolves its role names in the parent. */
  async check(_olds: Props, news: Props): Promise<pulumi.dynamic.CheckResult> {
    const { parentKey } = this.spec;
    const checked = checkRecord(
      membershipSchema(this.spec),
      news,
      { [parentKey]: "1", userId: "1", roles: [], publicMetadata: {} },
      `${this.spec.membershipType} takes ${parentKey}, userId, roles and publicMetadata`,
    );
    const { inputs } = checked;
    if (!checked.failures && Array.isArray(inputs["roles"])) {
      inputs["roles"] = [...(inputs["roles"] as string[])].sort();
    }
    return this.checkRoles(checked, (i) => i["roles"], "roles");
  }

  /**
   * The declared roles and metadata against the last read; the parent or user replaces.
   * `changedProperties` names what changes (the native front door's detailed diff).
   */
  async diff(_id: string, olds: Props, news: Props): Promise<ChangeSet> {
    const replaces = [this.spec.parentKey, "userId"].filter(
      (k) => olds[k] !== undefined && (hasUnknown(news[k]) || !sameKey(olds[k], news[k])),
    );
    const roles = news["roles"];
    const rolesChange =
      roles !== undefined &&
      (hasUnknown(roles) ||
        !sameSet(
          Array.isArray(olds["roles"]) ? (olds["roles"] as string[]) : [],
          roles as string[],
        ));
    const metadata = news["publicMetadata"];
    const metadataChanges =
      metadata !== undefined &&
      (hasUnknown(metadata) || !jsonEqual(olds["publicMetadata"], metadata));
    const changedProperties = [
      ...replaces,
      ...(rolesChange ? ["roles"] : []),
      ...(metadataChanges ? ["publicMetadata"] : []),
    ];
    return {
      changes: changedProperties.length > 0,
      replaces,
      deleteBeforeReplace: false,
      changedProperties,
    };
  }

  /** The state of a live membership (metadata from the answer, or `fallback` when it had none). */
  private stateOf(
    parentId: string,
    userId: string,
    live: LiveMembership,
    fallback: JsonValue = {},
  ): Props {
    const state: MembershipState = {
      parentId,
      userId,
      membershipId: live.id,
      ...roleOutputs(live.roles),
      publicMetadata: live.public_metadata ?? fallback,
    };
    return stateRecord(this.spec, state);
  }

  /**
   * Makes the live membership match the declaration with one PATCH (or none); returns the
   * membership as it now is. `say` describes a role change before it is sent.
   */
  private async reconcile(
    decl: MembershipDeclaration,
    live: LiveMembership,
    say?: (change: string) => void,
  ): Promise<LiveMembership> {
    const wanted =
      decl.roles === undefined ? undefined : await this.resolve(decl.parentId, decl.roles);
    const roleIds = wanted?.map((r) => r.id);
    const rolesChange =
      roleIds !== undefined &&
      !sameSet(
        live.roles.map((r) => r.id),
        roleIds,
      );
    const metadata =
      decl.publicMetadata !== undefined && !jsonEqual(live.public_metadata, decl.publicMetadata)
        ? decl.publicMetadata
        : undefined;
    if (rolesChange) {
      say?.(describeRoleChange(live.roles.map((r) => r.name).sort(), decl.roles ?? []));
    }
    if (!rolesChange && metadata === undefined) return live;
    const client = this.client();
    this.runtime.wrote(client, this.spec, decl.parentId, decl.userId);
    await this.spec.api(client).updateMember(decl.parentId, live.id, {
      ...(rolesChange && { roleIds }),
      ...(metadata !== undefined && { publicMetadata: metadata }),
    });
    const publicMetadata = metadata ?? live.public_metadata;
    return {
      id: live.id,
      roles: wanted ?? live.roles,
      ...(publicMetadata !== undefined && { public_metadata: publicMetadata }),
    };
  }

  /** Adopts the user's membership in the parent (warning what changes), or creates it. */
  async create(inputs: Props): Promise<pulumi.dynamic.CreateResult> {
    const decl = membershipDeclaration(this.spec, inputs);
    const { parentId, userId } = decl;
    const where = this.membershipText(parentId, userId);
    try {
      const existing = await this.runtime.lookup(this.client(), this.spec, parentId, userId);
      let done: LiveMembership;
      if (existing === undefined) {
        done = await this.reconcile(decl, await this.post(decl));
        if (done.roles.length === 0 && decl.roles === undefined) {
          warn(
            `created ${where} without roles (Wacht applies no default role): declare roles, e.g. ["Member"], to give it some`,
          );
        }
      } else {
        const adopting = `adopting the existing ${where} (${existing.id})`;
        let said = false;
        done = await this.reconcile(decl, existing, (change) => {
          said = true;
          warn(`${adopting}: its roles change: ${change}`);
        });
        if (!said) info(`${adopting}: its roles stay as they are`);
      }
      return {
        id: membershipResourceId(parentId, userId),
        outs: this.stateOf(parentId, userId, done, decl.publicMetadata),
      };
    } catch (err) {
      withContext(`creating ${where} failed`, err);
    }
  }

  /**
   * POSTs the membership with the declared roles. When Wacht answers a 500 after it may have
   * written it, or says it already exists (an earlier such 500), the membership is looked up and
   * adopted (§3.6); the POST is sent again only after an answered failure that left nothing.
   */
  private async post(decl: MembershipDeclaration): Promise<LiveMembership> {
    const { parentId, userId } = decl;
    const roleIds =
      decl.roles === undefined ? [] : (await this.resolve(parentId, decl.roles)).map((r) => r.id);
    const client = this.client();
    for (let attempt = 1; ; attempt++) {
      this.runtime.wrote(client, this.spec, parentId, userId);
      try {
        return await this.spec.api(client).addMember(parentId, userId, roleIds);
      } catch (err) {
        const kind = alreadyMember(err) ? "answered" : classifyCreateFailure(err);
        if (kind === "not-created") throw err;
        const deadline = Date.now() + (kind === "unanswered" ? CREATE_RETRY.settleMs : 0);
        for (;;) {
          const found = await this.runtime.lookup(client, this.spec, parentId, userId);
          if (found !== undefined) {
            warn(
              `Wacht answered the create with "${messageOf(err)}" but the membership was written: adopted it (${found.id})`,
            );
            return found;
          }
          if (Date.now() >= deadline) break;
          await sleep(CREATE_RETRY.pollMs);
        }
        if (kind === "unanswered" || attempt >= CREATE_RETRY.maxAttempts) throw err;
        await sleep(CREATE_RETRY.backoffMs * 2 ** (attempt - 1));
      }
    }
  }

  /** Refresh: the membership from the run's listing of its parent; gone when it is not there. */
  async read(id: string, props: Props): Promise<pulumi.dynamic.ReadResult> {
    const keys = keysOf(this.spec, id, props);
    if (keys === undefined) {
      throw new Error(
        `${this.spec.membershipType} id ${JSON.stringify(id)} is not {${this.spec.parentKey}}/{userId}`,
      );
    }
    const { parentId, userId } = keys;
    const live = await this.member(parentId, userId);
    if (live === undefined) return { id: "" };
    const recorded = props["publicMetadata"] as JsonValue | undefined;
    const outs = this.stateOf(parentId, userId, live, recorded);
    const imported = props[this.spec.parentKey] === undefined;
    return {
      id: membershipResourceId(parentId, userId),
      props: outs,
      // An import (no state yet) records inputs that match what it found: the next plan is empty.
      ...(imported && {
        inputs: { [this.spec.parentKey]: parentId, userId, roles: outs["roles"] },
      }),
    };
  }

  /** One PATCH: the whole declared role set and/or the metadata. */
  async update(_id: string, olds: Props, news: Props): Promise<pulumi.dynamic.UpdateResult> {
    const decl = membershipDeclaration(this.spec, news);
    const where = this.membershipText(decl.parentId, decl.userId);
    const live: LiveMembership = {
      id: String(olds["membershipId"]),
      roles: (olds["roleDetails"] as RoleDetail[] | undefined) ?? [],
      ...(olds["publicMetadata"] !== undefined && {
        public_metadata: olds["publicMetadata"] as JsonValue,
      }),
    };
    try {
      const done = await this.reconcile(decl, live);
      return { outs: this.stateOf(decl.parentId, decl.userId, done, decl.publicMetadata) };
    } catch (err) {
      if (isNotFound(err)) {
        warn(`${where} no longer exists (removed outside this stack): creating it again`);
        return { outs: (await this.create(news)).outs as Props };
      }
      withContext(`updating ${where} failed`, err);
    }
  }

  /** Removes the membership (already gone is fine). */
  async delete(id: string, props: Props): Promise<void> {
    const keys = keysOf(this.spec, id, props);
    const membershipId = props["membershipId"];
    if (keys === undefined || typeof membershipId !== "string") return;
    const { parentId, userId } = keys;
    const where = this.membershipText(parentId, userId);
    const client = this.client();
    try {
      if (this.spec.scope === "organization") {
        this.runtime.stats.userListRequests += 1;
        const inner = (await client.workspaces.membershipsOf(userId)).filter(
          (w) => w.organization_id === parentId,
        );
        if (inner.length > 0) {
          warn(
            `removing ${where} also removes the user's workspace memberships in it (Wacht cascades): ${inner.map((w) => `${w.workspace?.name ?? "workspace"} (${w.workspace_id})`).join(", ")}`,
          );
        }
      }
      this.runtime.wrote(client, this.spec, parentId, userId);
      await this.spec.api(client).removeMember(parentId, membershipId);
    } catch (err) {
      if (isNotFound(err)) return;
      withContext(`removing ${where} failed`, err);
    }
  }
}
