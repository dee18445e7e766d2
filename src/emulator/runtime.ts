// One running emulator's state and the operations on it shared by the HTTP control routes and the
// in-process handle: reset, dumps of stored users, out-of-band edits of internal user facts,
// seeding, auth-settings changes, and persistence wiring.
import { z } from "zod";
import {
  defaultAuthSettings,
  mergeAuthSettings,
  type AuthSettings,
  type AuthSettingsInput,
} from "./auth-settings";
import type { KeyConfig } from "./auth";
import type { EmulatorState } from "./context";
import { FaultInjector } from "./faults";
import { DEFAULT_DEPLOYMENT_ID, parseInt64 } from "./ids";
import type { StoredImage, StoredUser } from "./model";
import type { EmulatorOptions } from "./options";
import { loadStateFile, StateFileWriter } from "./persistence";
import { RateLimiter } from "./rate-limit";
import { RequestLog } from "./request-log";
import { applyFacts, applySeed, userFactFields, type SeedUser } from "./seed";
import { applyOrganizationSeed, type SeedOrganization } from "./b2b/seed";
import { organizationDump, type OrganizationDump } from "./b2b/dump";
import { UserStore, type StoreSnapshot } from "./store";
import { detailsView, type UserDetailsJson } from "./views";

/** A stored user as the control routes show it: the details plus internal facts. */
export interface UserDump {
  user: UserDetailsJson;
  sign_ins: number;
  authenticators: number;
  profile_image: StoredImage | null;
  /** The search-index text currently visible to `search` (`null`: not indexed yet). */
  search_index: string | null;
}

/** Out-of-band edits of a stored user (like a dashboard edit), the control route's body. */
export const userPatchSchema = z.strictObject({
  ...userFactFields,
  /** Appends social connections (their tokens are returned by the details route). */
  add_social_connections: z
    .array(
      z.strictObject({
        provider: z.string(),
        email_address: z.string(),
        access_token: z.string().optional(),
        refresh_token: z.string().optional(),
      }),
    )
    .optional(),
});
export type InternalUserPatch = z.infer<typeof userPatchSchema>;

/** The emulator's state plus what `reset` needs to rebuild it. */
export class EmulatorRuntime {
  readonly state: EmulatorState;
  readonly keys: KeyConfig;
  private readonly initialSettings: AuthSettings;
  private readonly seedSnapshot: StoreSnapshot;
  private readonly writer: StateFileWriter | undefined;

  constructor(options: EmulatorOptions) {
    const deploymentId = options.deploymentId ?? DEFAULT_DEPLOYMENT_ID;
    if (parseInt64(deploymentId) !== deploymentId) {
      throw new Error(`deploymentId must be an int64 decimal string, got ${deploymentId}`);
    }
    const keys = new Map(Object.entries(options.apiKeys ?? {}));
    if (options.apiKey !== undefined) keys.set(options.apiKey, deploymentId);
    this.keys = {
      keys,
      defaultDeploymentId: deploymentId,
      enforceKeyFormat: options.enforceKeyFormat ?? false,
    };
    this.initialSettings = mergeAuthSettings(defaultAuthSettings(), options.authSettings);
    const store = new UserStore(options.searchIndexLagMs ?? 0);
    this.state = {
      store,
      authSettings: structuredClone(this.initialSettings),
      faults: new FaultInjector(),
      log: new RequestLog(options.requestLogLimit),
      rateLimiter: new RateLimiter(options.rateLimitPerMinute ?? 1000, options.rateLimitWindowMs),
      uniqueUsernames: options.uniqueUsernames ?? false,
      uniqueEmails: options.uniqueEmails ?? false,
    };
    applySeed(store, options.seed ?? [], deploymentId);
    applyOrganizationSeed(store, options.organizations ?? [], deploymentId);
    this.seedSnapshot = store.snapshot();
    const saved = options.stateFile ? loadStateFile(options.stateFile) : undefined;
    if (saved) store.load(saved);
    for (const rule of options.faults?.queue ?? []) this.state.faults.enqueue(rule);
    if (options.faults?.probability) this.state.faults.setProbability(options.faults.probability);
    if (options.stateFile) {
      const writer = new StateFileWriter(options.stateFile, () => store.snapshot());
      store.onChange(() => writer.schedule());
      this.writer = writer;
      if (!saved) writer.schedule();
    }
  }

  /** The deployment used when no key mapping says otherwise. */
  get deploymentId(): string {
    return this.keys.defaultDeploymentId;
  }

  /** Back to the start: seed users only, no faults, empty log, fresh rate windows and settings. */
  reset(): void {
    this.state.store.load(this.seedSnapshot);
    this.state.store.changed();
    this.state.faults.clear();
    this.state.log.clear();
    this.state.rateLimiter.reset();
    this.state.authSettings = structuredClone(this.initialSettings);
  }

  /** Stored users (every deployment), newest first. */
  dumpUsers(): UserDump[] {
    return this.state.store
      .all()
      .sort((a, b) => b.createdAt - a.createdAt)
      .map((u) => this.dump(u));
  }

  /** One stored user, whatever its deployment. */
  dumpUser(id: string): UserDump | undefined {
    const user = this.state.store.getAny(id);
    return user && this.dump(user);
  }

  /** Creates users as the seed option does (in the default deployment unless they say otherwise). */
  seedUsers(users: readonly SeedUser[]): UserDump[] {
    return applySeed(this.state.store, users, this.deploymentId).map((u) => this.dump(u));
  }

  /** Creates organizations as the `organizations` option does. */
  seedOrganizations(orgs: readonly SeedOrganization[]): OrganizationDump[] {
    const { store } = this.state;
    return applyOrganizationSeed(store, orgs, this.deploymentId).map((o) =>
      organizationDump(store.b2b, o),
    );
  }

  /** Every organization (every deployment) with its roles, workspaces and memberships. */
  dumpOrganizations(): OrganizationDump[] {
    const { b2b } = this.state.store;
    return b2b.organizations().map((o) => organizationDump(b2b, o));
  }

  /** Applies an out-of-band edit; bumps `updated_at` like any write. `undefined` if no such user. */
  patchUser(id: string, patch: InternalUserPatch): UserDump | undefined {
    const { store } = this.state;
    const user = store.getAny(id);
    if (!user) return undefined;
    applyFacts(user, patch);
    for (const c of patch.add_social_connections ?? []) {
      const now = store.now();
      user.socialConnections.push({
        id: store.nextId(),
        createdAt: now,
        updatedAt: now,
        userEmailAddressId: user.emails.find((e) => e.email === c.email_address)?.id ?? null,
        provider: c.provider,
        emailAddress: c.email_address,
        accessToken: c.access_token ?? "",
        refreshToken: c.refresh_token ?? "",
      });
    }
    store.touch(user);
    store.changed();
    return this.dump(user);
  }

  /** Replaces sections of the auth settings; returns the result. */
  setAuthSettings(input: AuthSettingsInput): AuthSettings {
    this.state.authSettings = mergeAuthSettings(this.state.authSettings, input);
    return this.state.authSettings;
  }

  /** Waits for pending state-file writes. */
  async flush(): Promise<void> {
    await this.writer?.flush();
  }

  private dump(user: StoredUser): UserDump {
    return {
      user: detailsView(user, this.state.store.now()),
      sign_ins: user.signIns,
      authenticators: user.authenticators,
      profile_image: user.image,
      search_index: user.searchText,
    };
  }
}
