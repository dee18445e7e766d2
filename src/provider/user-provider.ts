// The wacht.User provider implementation. It is NOT serialized into state: the shim
// (./shim.ts) loads this module by package name inside the provider process, so credentials come
// only from `configure` or the environment at call time, and an upgraded package runs new code.
// A thin object: it holds the configuration and the per-process caches, and dispatches each
// lifecycle step to its own module (check-user, create, read, update, delete). Its methods are
// typed against the schema's types; the shim casts the engine's records to them, once.
import type * as pulumi from "@pulumi/pulumi";
import { WachtClient } from "../client/wacht-client";
import {
  readStackConfig,
  resolveLimits,
  resolveProviderSettings,
  validateForClient,
  type ProviderSettings,
  type StackConfigValues,
} from "../config/provider-config";
import { diffUser } from "../diff/user-diff";
import { withoutValues } from "../schema/check-failures";
import { REQUEST_PARTS_LIMIT_BYTES } from "../schema/user-fields";
import type { UserDeclaration, UserOutputs } from "../schema/user-state";
import type { Call } from "./call";
import { checkUser } from "./check-user";
import { createUser } from "./create";
import { deleteUser } from "./delete";
import { DeltaRefresh } from "./delta-refresh";
import { preloadImage } from "./image-file";
import { PasswordVault } from "./password-vault";
import { readUser } from "./read";
import { RecentReads } from "./recent-reads";
import { RecentUsers } from "./recent-users";
import { processListings, RunListings } from "./run-listings";
import { perProcess, type ShimmedProvider } from "./engine-facing";
import { updateUser } from "./update";

type Props = Record<string, unknown>;
/** The state as this provider wrote it (older states may lack keys). */
type State = Partial<UserOutputs>;

/** The provider object the shim delegates to. One instance per provider process and config. */
export class WachtUserProvider implements ShimmedProvider<UserDeclaration, State> {
  private stack: StackConfigValues = {};
  private readonly clients = new Map<string, WachtClient>();
  private readonly deltas = new Map<WachtClient, DeltaRefresh>();
  private readonly recents = new Map<WachtClient, RecentUsers>();
  private readonly reads = new Map<WachtClient, RecentReads>();
  private readonly vault = new PasswordVault();
  /** Users created or adopted by this process: a replacement's delete must never remove them. */
  private readonly claimed = new Set<string>();
  /** The settings last validated (see validatedSettings). */
  private validated: string | undefined;

  /**
   * @param listings the run's deployment listings, shared with the census (run-listings.ts): the
   *   shim's factory passes the process's; an instance built directly gets its own (a new run).
   */
  constructor(private readonly listings: RunListings = new RunListings()) {}

  /** Stores the stack config (the host calls this once, before any other method). */
  async configure(req: pulumi.dynamic.ConfigureRequest): Promise<void> {
    this.stack = readStackConfig((key) => req.config.get(key));
  }

  /** Settings for this call; throws when no API key is configured anywhere. */
  private settings(): ProviderSettings {
    return resolveProviderSettings(this.stack);
  }

  /** The settings, checked as the client will check them, once per distinct configuration. */
  private validatedSettings(): ProviderSettings {
    const settings = this.settings();
    const key = JSON.stringify(settings);
    if (this.validated !== key) {
      validateForClient(settings);
      this.validated = key;
    }
    return settings;
  }

  /** This call's client (one per distinct settings) and the bookkeeping a step may use. */
  private call(): Call {
    const settings = this.settings();
    const { apiKey, baseUrl, maxRetries, timeoutMs, requestsPerMinute } = settings;
    const cacheKey = JSON.stringify([baseUrl, apiKey, maxRetries, timeoutMs, requestsPerMinute]);
    let client = this.clients.get(cacheKey);
    if (client === undefined) {
      // An undefined option means "unset" to the client (its default applies).
      client = new WachtClient({ apiKey, baseUrl, maxRetries, timeoutMs, requestsPerMinute });
      this.clients.set(cacheKey, client);
    }
    const listing = this.listings.run(settings, client);
    let delta = this.deltas.get(client);
    if (delta === undefined && settings.deltaRefresh) {
      delta = new DeltaRefresh(listing, { maxPages: settings.deltaRefreshThreshold });
      this.deltas.set(client, delta);
    }
    let recent = this.recents.get(client);
    if (recent === undefined) {
      recent = new RecentUsers(client);
      this.recents.set(client, recent);
    }
    let reads = this.reads.get(client);
    if (reads === undefined) {
      reads = new RecentReads();
      this.reads.set(client, reads);
    }
    return {
      client,
      settings,
      delta: settings.deltaRefresh ? delta : undefined,
      recent,
      reads,
      password: (declaration) => this.password(declaration),
      wrote: (userId) => listing.invalidate(userId),
      claim: (userId) => {
        this.claimed.add(userId);
        listing.invalidate(userId);
        this.reads.get(client)?.forget(userId);
      },
      claimed: (userId) => this.claimed.has(userId),
    };
  }

  private password(declaration: UserDeclaration): string | undefined {
    if (declaration.passwordHandle === undefined) return undefined;
    const held = this.vault.find(declaration);
    if (held === undefined) {
      throw new Error(
        "the declared password is not available in this provider process (check did not run here); run `pulumi up` again",
      );
    }
    if ("ambiguous" in held) {
      throw new Error(
        "two resources declare this same user with different passwords, so neither password is set; declare the user once",
      );
    }
    return held.password;
  }

  /** List calls of the run's listing this provider's reads use (shared with the census). */
  refreshStats(): { listCalls: number } {
    let listCalls = 0;
    for (const d of this.deltas.values()) listCalls += d.listCalls;
    return { listCalls };
  }

  /** List calls of the creates' shared duplicate lookup in this process (tests, benchmarks). */
  createStats(): { listCalls: number } {
    let listCalls = 0;
    for (const r of this.recents.values()) listCalls += r.listCalls;
    return { listCalls };
  }

  /** Validates the declaration; no network request. The password is kept in memory only. */
  async check(_olds: Props, news: Props): Promise<pulumi.dynamic.CheckResult> {
    this.validatedSettings(); // config problems are reported at preview, not half-way through
    const { inputs, failures } = checkUser(news, resolveLimits(this.stack), {
      read: await preloadImage(news["profileImage"], REQUEST_PARTS_LIMIT_BYTES),
      stashPassword: (password, inputs) => this.vault.stash(password, inputs),
    });
    return { inputs, failures: withoutValues(failures) };
  }

  /** Pure field-level diff against the last read state; no network request. */
  async diff(_id: string, olds: State, news: UserDeclaration): Promise<pulumi.dynamic.DiffResult> {
    this.settings();
    const result = diffUser(olds, news);
    return { changes: result.changes, replaces: result.replaces, deleteBeforeReplace: false };
  }

  /** Finds, adopts or creates the user, then PATCHes the declared fields that differ (or none). */
  async create(inputs: UserDeclaration): Promise<pulumi.dynamic.CreateResult> {
    return createUser(this.call(), inputs);
  }

  /** Refresh: the live user, and inputs that match it so the next diff is right. */
  async read(id: string, state: State): Promise<pulumi.dynamic.ReadResult> {
    return readUser(this.call(), id, state);
  }

  /** One PATCH with only the changed fields, after the lost-update guard; then the password. */
  async update(
    id: string,
    olds: State,
    news: UserDeclaration,
  ): Promise<pulumi.dynamic.UpdateResult> {
    return updateUser(this.call(), id, olds, news);
  }

  /** Applies the onDelete policy: retain (no request), disable (PATCH) or delete (DELETE). */
  async delete(id: string, state: State): Promise<void> {
    return deleteUser(
      () => this.call(),
      () => this.settings(),
      id,
      state,
    );
  }
}

/**
 * Creates a provider instance. States written before the shim became a module reference
 * (pulumi-wacht <= 0.1.0) call it once per provider process: keep it.
 */
export function createUserProvider(): WachtUserProvider {
  return new WachtUserProvider(processListings());
}

/** The process's one provider as the engine sees it: what ./shim.ts delegates to. */
export const engineUserProvider = perProcess(createUserProvider);
