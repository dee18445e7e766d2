// Public entry of the emulator (`pulumi-wacht/emulator`): `startEmulator` and its types. It starts
// the local Wacht users API on 127.0.0.1 and returns a handle with the URL, `close()` and helpers
// for tests (request log, faults, stored users, reset). See docs/emulator.md.
import type { AuthSettings, AuthSettingsInput } from "./auth-settings";
import type { FaultInjector, FaultRule } from "./faults";
import type { EmulatorOptions } from "./options";
import type { RequestLogEntry } from "./request-log";
import { EmulatorRuntime, type InternalUserPatch, type UserDump } from "./runtime";
import type { SeedUser } from "./seed";
import type { SeedOrganization } from "./b2b/seed";
import type { OrganizationDump } from "./b2b/dump";
import { createEmulatorServer, listen } from "./server";

export type { AuthSettings, AuthSettingsInput } from "./auth-settings";
export type { FaultMatch, FaultRule, ProbabilityFaults } from "./faults";
export type { JsonValue } from "../schema/json";
export type { EmulatorOptions } from "./options";
export type { LoggedPart, RequestLogEntry } from "./request-log";
export type { InternalUserPatch, UserDump } from "./runtime";
export type { SeedUser } from "./seed";
export type { SeedOrganization } from "./b2b/seed";
export type { MembershipDump, OrganizationDump, ParentDump, RoleDump } from "./b2b/dump";
export type {
  SocialConnectionJson,
  UserDetailsJson,
  UserEmailAddressJson,
  UserPhoneNumberJson,
  UserWithIdentifiersJson,
} from "./views";
export { defaultAuthSettings } from "./auth-settings";
export { CONTROL_PREFIX } from "./control";
export { DEFAULT_DEPLOYMENT_ID } from "./ids";

export interface EmulatorHandle {
  /** Base URL without trailing slash, e.g. `http://127.0.0.1:8787`. */
  readonly url: string;
  readonly port: number;
  /** The deployment of `apiKey` / of any token when no keys are configured. */
  readonly deploymentId: string;
  /** Stops listening, closes open connections and flushes the state file. */
  close(): Promise<void>;
  /** Seed users only, no faults, empty request log, fresh rate-limit windows and auth settings. */
  reset(): void;
  /** The request log, oldest first. */
  requests(): RequestLogEntry[];
  clearRequests(): void;
  readonly faults: Pick<FaultInjector, "setProbability" | "clear" | "state"> & {
    enqueue(rule: FaultRule | readonly FaultRule[]): void;
  };
  readonly users: {
    list(): UserDump[];
    get(id: string): UserDump | undefined;
    seed(users: readonly SeedUser[]): UserDump[];
    patch(id: string, patch: InternalUserPatch): UserDump | undefined;
  };
  /** Organizations with their roles, workspaces and memberships (docs/wacht-memberships.md). */
  readonly organizations: {
    list(): OrganizationDump[];
    get(id: string): OrganizationDump | undefined;
    seed(orgs: readonly SeedOrganization[]): OrganizationDump[];
  };
  readonly authSettings: {
    get(): AuthSettings;
    set(input: AuthSettingsInput): AuthSettings;
  };
  /** Changes the per-deployment budget (`false`: unlimited) and starts fresh windows. */
  setRateLimit(perMinute: number | false): void;
  /** Waits until pending state-file writes are on disk. */
  flush(): Promise<void>;
}

/**
 * Starts an emulator of the Wacht users API on 127.0.0.1.
 * @example
 * const emu = await startEmulator({ apiKey: "sk_test", seed: [{ first_name: "Ada", email: "ada@example.com" }] });
 * // … use emu.url …
 * await emu.close();
 */
export async function startEmulator(options: EmulatorOptions = {}): Promise<EmulatorHandle> {
  const rt = new EmulatorRuntime(options);
  const server = createEmulatorServer(rt);
  const port = await listen(server, options.port ?? 0);
  const { state } = rt;
  let closed: Promise<void> | undefined;
  return {
    url: `http://127.0.0.1:${port}`,
    port,
    deploymentId: rt.deploymentId,
    close: () =>
      (closed ??= new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }).then(() => rt.flush())),
    reset: () => rt.reset(),
    requests: () => state.log.list(),
    clearRequests: () => state.log.clear(),
    faults: {
      enqueue: (rule) => {
        for (const r of [rule].flat()) state.faults.enqueue(r);
      },
      setProbability: (config) => state.faults.setProbability(config),
      clear: () => state.faults.clear(),
      state: () => state.faults.state(),
    },
    users: {
      list: () => rt.dumpUsers(),
      get: (id) => rt.dumpUser(id),
      seed: (users) => rt.seedUsers(users),
      patch: (id, patch) => rt.patchUser(id, patch),
    },
    organizations: {
      list: () => rt.dumpOrganizations(),
      get: (id) => rt.dumpOrganizations().find((o) => o.id === id),
      seed: (orgs) => rt.seedOrganizations(orgs),
    },
    authSettings: {
      get: () => structuredClone(state.authSettings),
      set: (input) => structuredClone(rt.setAuthSettings(input)),
    },
    setRateLimit: (perMinute) => state.rateLimiter.setLimit(perMinute),
    flush: () => rt.flush(),
  };
}
