// The public options of `startEmulator` and the CLI, with their defaults documented in
// docs/emulator.md.
import type { AuthSettingsInput } from "./auth-settings";
import type { FaultRule, ProbabilityFaults } from "./faults";
import type { SeedOrganization } from "./b2b/seed";
import type { SeedUser } from "./seed";

/** Options of `startEmulator`. Every option is optional. */
export interface EmulatorOptions {
  /** TCP port on 127.0.0.1; `0` (the default) picks a free one. */
  port?: number;
  /** The only accepted API key (mapped to `deploymentId`). Without keys any non-empty token works. */
  apiKey?: string;
  /** More keys, each mapped to a deployment id (int64 string): separate user sets and budgets. */
  apiKeys?: Readonly<Record<string, string>>;
  /** Deployment of `apiKey` and of any token when no keys are configured. */
  deploymentId?: string;
  /** Also require the gateway's key format (≥ 46 chars ending in 43 base64url chars). */
  enforceKeyFormat?: boolean;
  /** Users created at start (when no state file exists) and again on every reset. */
  seed?: readonly SeedUser[];
  /** Organizations (roles, workspaces, members) created after the seed users, likewise. */
  organizations?: readonly SeedOrganization[];
  /** JSON file the store is loaded from at start and saved to (atomically) after mutations. */
  stateFile?: string;
  /** Requests per window per deployment (default 1000); `false` disables rate limiting. */
  rateLimitPerMinute?: number | false;
  /** Rate-limit window length in ms (default 60 000; shorten it in tests). */
  rateLimitWindowMs?: number;
  /** Overrides of the deployment auth settings (defaults: the platform's). */
  authSettings?: AuthSettingsInput;
  /** Faults active from the start. */
  faults?: { queue?: readonly FaultRule[]; probability?: ProbabilityFaults };
  /** Delay before a created/changed user is visible to `search` (default 0). */
  searchIndexLagMs?: number;
  /** Reject duplicate usernames / emails with 409 `Resource already exists` (default false). */
  uniqueUsernames?: boolean;
  uniqueEmails?: boolean;
  /** Maximum number of request-log entries kept (default 10 000). */
  requestLogLimit?: number;
}
