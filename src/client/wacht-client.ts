// WachtClient: resolves options (explicit > env > default), wires the shared keep-alive dispatcher and the
// process-wide pacing bucket, and exposes `users`. The API key lives only inside a closure: it is not a
// property of the client, so inspecting or serializing the client cannot reveal it.

import { setTimeout as sleep } from "node:timers/promises";
import type { Dispatcher } from "undici";
import { CLIENT_VERSION, resolveConfig, type ConfigInput } from "./config";
import { sharedDispatcher } from "./dispatchers";
import { sharedBucket } from "./pacing";
import { runCall, type CallSpec, type RetryInfo, type Runtime } from "./runner";
import { UsersApi } from "./users-api";
import { MembershipsApi } from "./b2b/memberships-api";

/** Options of {@link WachtClient}. Every one is optional. */
export interface WachtClientOptions extends ConfigInput {
  /** undici dispatcher (e.g. a MockAgent). @default one shared keep-alive Agent */
  dispatcher?: Dispatcher;
  /** Prepended to the `User-Agent` header (`<userAgent> pulumi-wacht/<version>`). */
  userAgent?: string;
  /** Called before each wait between attempts (for logging / metrics; contains no secrets). */
  onRetry?: (info: RetryInfo) => void;
  /** Testing seam: replaces the wait between attempts and pacing waits. */
  sleep?: (ms: number) => Promise<void>;
  /** Testing seam: clock in ms (budget, pacing, HTTP-date Retry-After). @default Date.now */
  now?: () => number;
  /** Testing seam: uniform [0, 1) for backoff jitter. @default Math.random */
  random?: () => number;
  /** Testing seam: environment to read instead of process.env. */
  env?: NodeJS.ProcessEnv;
}

/** A typed Wacht backend API client (users), usable with or without Pulumi. */
export class WachtClient {
  /** The resolved base URL (no trailing slash, path prefix kept). */
  readonly baseUrl: string;
  /** Calls on /users. */
  readonly users: UsersApi;
  /** Organization members and roles (docs/wacht-memberships.md). */
  readonly organizations: MembershipsApi;
  /** Workspace members and roles. */
  readonly workspaces: MembershipsApi;

  /** Throws WachtConfigError when the key is missing or an option is invalid. */
  constructor(options: WachtClientOptions = {}) {
    const cfg = resolveConfig(options, options.env ?? process.env);
    const prefix = options.userAgent?.replace(/[\r\n]/g, " ").trim();
    const runtime: Runtime = {
      ...cfg,
      userAgent: `${prefix ? `${prefix} ` : ""}pulumi-wacht/${CLIENT_VERSION}`,
      dispatcher: options.dispatcher ?? sharedDispatcher(),
      now: options.now ?? Date.now,
      bucket: sharedBucket(cfg.baseUrl, cfg.apiKey, cfg.requestsPerMinute),
      sleep: options.sleep ?? sleep,
      random: options.random ?? Math.random,
      onRetry: options.onRetry,
    };
    this.baseUrl = cfg.baseUrl;
    const execute = <T>(spec: CallSpec<T>) => runCall(runtime, spec);
    this.users = new UsersApi(execute);
    this.organizations = new MembershipsApi(execute, "organization");
    this.workspaces = new MembershipsApi(execute, "workspace");
  }
}
