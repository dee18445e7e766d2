// What the membership providers of one process share: a client per configuration, and per run
// (a provider process serves one run) at most one role listing per organization or workspace and
// one member listing each, walked to the end in pages of 500. A refresh of every membership
// therefore costs Σ⌈members/500⌉ list requests (docs/decisions/0017-memberships.md). A membership
// this process wrote after its listing started, or one the listing did not show, is looked up in
// the user's own list (one request).
import type * as pulumi from "@pulumi/pulumi";
import { WachtClient } from "../client/wacht-client";
import type { ApiRole } from "../client/b2b/membership-wire";
import {
  readStackConfig,
  resolveProviderSettings,
  type ProviderSettings,
  type StackConfigValues,
} from "../config/provider-config";
import { isNotFound, withContext } from "../provider/errors";
import { withoutValues, type CheckFailure } from "../schema/check-failures";
import { hasUnknown } from "../schema/user-fields";
import type { Checked, RoleDetail } from "./declaration";
import { resolveRoleNames } from "./roles";
import type { JsonValue } from "../schema/json";
import type { ScopeSpec } from "./scope";

/** A membership as read live: from the member list or the user's own list. */
export interface LiveMembership {
  id: string;
  roles: ApiRole[];
  /** Absent when the answer did not carry it. */
  public_metadata?: JsonValue;
}

interface Listing {
  members: Promise<Map<string, LiveMembership>>;
  /** Users whose membership this process wrote: the listing no longer vouches for them. */
  written: Set<string>;
}

interface PerClient {
  roles: Map<string, Promise<ApiRole[]>>;
  listings: Map<string, Listing>;
}

/** `map`'s value for `key`, made by `make` the first time. */
function memo<K, V>(map: Map<K, V>, key: K, make: () => V): V {
  let value = map.get(key);
  if (value === undefined) map.set(key, (value = make()));
  return value;
}

/** Why a 404 on an organization's (workspace's) roles fails a declaration. */
export function missingParent(spec: ScopeSpec, parentId: string): string {
  return `${spec.label} ${parentId} does not exist in this deployment (check the id, and that wacht:baseUrl and wacht:apiKey name the right deployment)`;
}

/** The process-wide caches of the membership providers. */
export class MembershipRuntime {
  private readonly clients = new Map<string, WachtClient>();
  private readonly caches = new Map<WachtClient, PerClient>();
  /** Request counts of this process (tests and benchmarks). */
  readonly stats = { memberListRequests: 0, roleListRequests: 0, userListRequests: 0 };

  /** The client of a configuration (one per distinct settings). */
  client(s: ProviderSettings): WachtClient {
    const { apiKey, baseUrl, maxRetries, timeoutMs, requestsPerMinute } = s;
    const options = { apiKey, baseUrl, maxRetries, timeoutMs, requestsPerMinute };
    return memo(this.clients, JSON.stringify(options), () => new WachtClient(options));
  }

  private of(client: WachtClient): PerClient {
    return memo(this.caches, client, () => ({ roles: new Map(), listings: new Map() }));
  }

  /** The roles of an organization or workspace, listed once per run (a failure is not kept). */
  roles(client: WachtClient, spec: ScopeSpec, parentId: string): Promise<ApiRole[]> {
    const cache = this.of(client).roles;
    const key = `${spec.scope}/${parentId}`;
    return memo(cache, key, () => {
      this.stats.roleListRequests += 1;
      const roles = spec.api(client).roles(parentId);
      roles.catch(() => cache.delete(key));
      return roles;
    });
  }

  /**
   * Role names resolved in the parent (docs/wacht-memberships.md §1): a name matching no role or
   * two, and a parent that does not exist, are failures of `property` and of the parent's key.
   */
  async resolve(
    client: WachtClient,
    spec: ScopeSpec,
    parentId: string,
    names: readonly string[],
    property: string,
  ): Promise<{ roles: RoleDetail[]; failures: CheckFailure[] }> {
    const where = `${spec.label} ${parentId}`;
    try {
      const { roles, problems } = resolveRoleNames(
        await this.roles(client, spec, parentId),
        names,
        where,
      );
      return { roles, failures: problems.map((reason) => ({ property, reason })) };
    } catch (err) {
      if (!isNotFound(err)) throw err;
      return {
        roles: [],
        failures: [{ property: spec.parentKey, reason: missingParent(spec, parentId) }],
      };
    }
  }

  /** {@link resolve} for a write: every failure in one error. */
  async resolved(
    client: WachtClient,
    spec: ScopeSpec,
    parentId: string,
    names: readonly string[],
  ): Promise<RoleDetail[]> {
    const { roles, failures } = await this.resolve(client, spec, parentId, names, "");
    if (failures.length > 0) throw new Error(failures.map((f) => f.reason).join("; "));
    return roles;
  }

  /** The user's membership in the parent, from the run's member listing (or afresh). */
  async member(
    client: WachtClient,
    spec: ScopeSpec,
    parentId: string,
    userId: string,
  ): Promise<LiveMembership | undefined> {
    const listing = this.listing(client, spec, parentId);
    if (listing.written.has(userId)) return this.lookup(client, spec, parentId, userId);
    // Not listed: gone, or shifted past by a delete during the listing (offset paging). The
    // user's own list says which (one request, only for a membership that seems gone).
    return (await listing.members).get(userId) ?? this.lookup(client, spec, parentId, userId);
  }

  /**
   * Every member of the parent, by user id: the run's listing (the one a refresh reads), with the
   * memberships this process wrote since it started read afresh from their users' lists.
   */
  async members(
    client: WachtClient,
    spec: ScopeSpec,
    parentId: string,
  ): Promise<Map<string, LiveMembership>> {
    const listing = this.listing(client, spec, parentId);
    const members = new Map(await listing.members);
    for (const userId of listing.written) {
      const live = await this.lookup(client, spec, parentId, userId);
      if (live === undefined) members.delete(userId);
      else members.set(userId, live);
    }
    return members;
  }

  /** The user's membership in the parent, read now from the user's own list (one request). */
  async lookup(
    client: WachtClient,
    spec: ScopeSpec,
    parentId: string,
    userId: string,
  ): Promise<LiveMembership | undefined> {
    this.stats.userListRequests += 1;
    const all = await spec.api(client).membershipsOf(userId);
    return all.find(
      (m) => (spec.scope === "organization" ? m.organization_id : m.workspace_id) === parentId,
    );
  }

  /** Records that this process is about to write the user's membership in the parent. */
  wrote(client: WachtClient, spec: ScopeSpec, parentId: string, userId: string): void {
    this.of(client).listings.get(`${spec.scope}/${parentId}`)?.written.add(userId);
  }

  private listing(client: WachtClient, spec: ScopeSpec, parentId: string): Listing {
    const cache = this.of(client).listings;
    const key = `${spec.scope}/${parentId}`;
    return memo(cache, key, () => {
      const members = spec
        .api(client)
        .listAllMembers(parentId)
        .then(({ members, requests }) => {
          this.stats.memberListRequests += requests;
          return new Map(members.map((m) => [m.user_id, m]));
        });
      members.catch(() => cache.delete(key));
      return { members, written: new Set<string>() };
    });
  }
}

let shared: MembershipRuntime | undefined;

/** The process's runtime, shared by the four membership providers the shims load. */
export function processMemberships(): MembershipRuntime {
  return (shared ??= new MembershipRuntime());
}

/** What the membership and member-role providers of one scope share: the stack and its client. */
export abstract class ScopedProvider {
  private stack: StackConfigValues = {};

  constructor(
    readonly spec: ScopeSpec,
    readonly runtime: MembershipRuntime = new MembershipRuntime(),
  ) {}

  async configure(req: pulumi.dynamic.ConfigureRequest): Promise<void> {
    this.stack = readStackConfig((key) => req.config.get(key));
  }

  /** The client for this call's settings (throws the config error naming the key). */
  protected client(): WachtClient {
    return this.runtime.client(resolveProviderSettings(this.stack));
  }

  /** `organization 123`, for messages. */
  protected where(parentId: string): string {
    return `${this.spec.label} ${parentId}`;
  }

  /** `user 456's membership in organization 123`, for messages. */
  protected membershipText(parentId: string, userId: string): string {
    return `user ${userId}'s membership in ${this.where(parentId)}`;
  }

  /**
   * `check`: validates the declaration (a configuration problem too is reported at preview) and
   * resolves the role names `names` picks from its inputs in the parent, unless a preview unknown
   * leaves them open: a name that means no role or two fails `property`.
   */
  protected async checkRoles(
    checked: Checked,
    names: (inputs: Record<string, unknown>) => unknown,
    property: string,
  ): Promise<pulumi.dynamic.CheckResult> {
    this.client();
    if (checked.failures) return checked;
    const { inputs, unknown } = checked;
    const named = names(inputs);
    const { parentKey } = this.spec;
    if (unknown.includes(parentKey) || !Array.isArray(named) || hasUnknown(named)) {
      return { inputs };
    }
    const parentId = inputs[parentKey] as string;
    const { failures } = await this.runtime.resolve(
      this.client(),
      this.spec,
      parentId,
      named as string[],
      property,
    );
    return failures.length > 0 ? { inputs, failures: withoutValues(failures) } : { inputs };
  }

  /** Refresh: the user's membership in the parent from the run's listing (undefined: gone). */
  protected async member(parentId: string, userId: string): Promise<LiveMembership | undefined> {
    try {
      return await this.runtime.member(this.client(), this.spec, parentId, userId);
    } catch (err) {
      withContext(`reading ${this.membershipText(parentId, userId)} failed`, err);
    }
  }
}
