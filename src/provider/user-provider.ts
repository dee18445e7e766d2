// The wacht.User provider implementation, loaded by package name by the shim (./shim.ts, ADR 0003):
// never serialized, credentials only from `configure` or the environment at call time. A thin
// object: the configuration, the password vault and, per client, what the process knows of the
// deployment's users (live/live-users.ts); each lifecycle step is its own module.
import type * as pulumi from "@pulumi/pulumi";
import { DEFAULT_TIMEOUT_MS } from "../client/config";
import { WachtClient } from "../client/wacht-client";
import {
  readStackConfig,
  resolveLimits,
  resolveProviderSettings,
  type StackConfigValues,
} from "../config/provider-config";
import { diffUser } from "../diff/user-diff";
import { changedProperties } from "./diff-properties";
import { withoutValues } from "../schema/check-failures";
import { REQUEST_PARTS_LIMIT_BYTES } from "../schema/user-fields";
import type { UserDeclaration, UserOutputs } from "../schema/user-state";
import { checkUser } from "./check-user";
import { createUser } from "./create";
import { deleteUser } from "./delete";
import { watchEngineInDynamicHost } from "./engine-watch";
import { preloadImage } from "./image-file";
import { LiveUsers } from "./live/live-users";
import { processListings, RunListings } from "./live/run-listings";
import { PasswordVault } from "./password-vault";
import { readUser } from "./read";
import type { ShimmedProvider } from "./engine-facing";
import { updateUser } from "./update";

type Props = Record<string, unknown>;
/** The state as this provider wrote it (older states may lack keys). */
type State = Partial<UserOutputs>;

/** The provider object the shim delegates to. One instance per provider process and config. */
export class WachtUserProvider implements ShimmedProvider<UserDeclaration, State> {
  private stack: StackConfigValues = {};
  /** Per distinct client settings: the client and what this process knows of its users. */
  private readonly users = new Map<string, LiveUsers>();
  private readonly vault = new PasswordVault();

  /**
   * @param listings the run's deployment listings, shared with the census (run-listings.ts): the
   *   shim's factory passes the process's; an instance built directly gets its own (a new run).
   */
  constructor(private readonly listings: RunListings = new RunListings()) {}

  /** Stores the stack config (the host calls this once, before any other method). */
  async configure(req: pulumi.dynamic.ConfigureRequest): Promise<void> {
    this.stack = readStackConfig((key) => req.config.get(key));
  }

  /** The live users behind this call's client (one per distinct settings). */
  private liveUsers(): LiveUsers {
    const settings = resolveProviderSettings(this.stack);
    const { apiKey, baseUrl, maxRetries, timeoutMs, requestsPerMinute } = settings;
    const key = JSON.stringify([baseUrl, apiKey, maxRetries, timeoutMs, requestsPerMinute]);
    let users = this.users.get(key);
    if (users === undefined) {
      // An undefined option means "unset" to the client (its default applies).
      const client = new WachtClient({ apiKey, baseUrl, maxRetries, timeoutMs, requestsPerMinute });
      users = new LiveUsers(client, this.listings.run(settings, client), {
        deltaRefresh: settings.deltaRefresh,
        maxPages: settings.deltaRefreshThreshold,
        // A POST that timed out may still be running: wait up to twice the request timeout.
        settleMs: Math.min(2 * (timeoutMs ?? DEFAULT_TIMEOUT_MS), 60_000),
      });
      this.users.set(key, users);
    }
    return users;
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
    return { listCalls: this.sum((users) => users.refreshListCalls) };
  }

  /** List calls of the creates' shared duplicate lookup in this process (tests, benchmarks). */
  createStats(): { listCalls: number } {
    return { listCalls: this.sum((users) => users.createListCalls) };
  }

  private sum(count: (users: LiveUsers) => number): number {
    return [...this.users.values()].reduce((total, users) => total + count(users), 0);
  }

  /** Validates the declaration; no network request. The password is kept in memory only. */
  async check(_olds: Props, news: Props): Promise<pulumi.dynamic.CheckResult> {
    resolveProviderSettings(this.stack); // config problems are reported at preview
    const { inputs, failures } = checkUser(news, resolveLimits(this.stack), {
      read: await preloadImage(news["profileImage"], REQUEST_PARTS_LIMIT_BYTES),
      stashPassword: (password, inputs) => this.vault.stash(password, inputs),
    });
    return { inputs, failures: withoutValues(failures) };
  }

  /** Pure field-level diff against the last read state; no network request. */
  async diff(
    _id: string,
    olds: State,
    news: UserDeclaration,
  ): Promise<pulumi.dynamic.DiffResult & { changedProperties: string[] }> {
    resolveProviderSettings(this.stack);
    const result = diffUser(olds, news);
    return {
      changes: result.changes,
      replaces: result.replaces,
      deleteBeforeReplace: false,
      changedProperties: changedProperties(result, news.passwordVersion !== undefined),
    };
  }

  /** Finds, adopts or creates the user, then PATCHes the declared fields that differ (or none). */
  async create(inputs: UserDeclaration): Promise<pulumi.dynamic.CreateResult> {
    return createUser(this.liveUsers(), inputs, () => this.password(inputs));
  }

  /** Refresh: the live user, and inputs that match it so the next diff is right. */
  async read(id: string, state: State): Promise<pulumi.dynamic.ReadResult> {
    return readUser(this.liveUsers(), id, state);
  }

  /** One PATCH with only the changed fields, after the lost-update guard; then the password. */
  async update(
    id: string,
    olds: State,
    news: UserDeclaration,
  ): Promise<pulumi.dynamic.UpdateResult> {
    return updateUser(this.liveUsers(), id, olds, news, () => this.password(news));
  }

  /** Applies the onDelete policy: retain (no request), disable (PATCH) or delete (DELETE). */
  async delete(id: string, state: State): Promise<void> {
    return deleteUser(this.liveUsers(), id, state);
  }
}

/**
 * Creates a provider instance (once per provider process and config): the native front door's,
 * and the dynamic one's behind src/provider/dynamic-impl.ts.
 */
export function createUserProvider(): WachtUserProvider {
  watchEngineInDynamicHost();
  return new WachtUserProvider(processListings());
}
