// Client option resolution: explicit option > environment (WACHT_API_KEY, WACHT_BASE_URL) > default.
// Validates the base URL (https, or http only for localhost and literal loopback addresses; path prefix kept) and numeric limits.
// Holds the DEFAULT_* constants; the resolved key is returned to the caller and never logged here.

import { readFileSync } from "node:fs";
import { BlockList, isIP } from "node:net";
import { join } from "node:path";
import { ENV_API_KEY, ENV_BASE_URL, readEnv } from "./env";
import { WachtConfigError } from "./errors";

/** Default API origin (docs/wacht-api.md §1). */
export const DEFAULT_BASE_URL = "https://api.wacht.dev";
/** Per-attempt timeout, like the upstream SDKs. */
export const DEFAULT_TIMEOUT_MS = 30_000;
/** Budget for a whole call including retries and waits. */
export const DEFAULT_TOTAL_TIMEOUT_MS = 120_000;
/** Retries after the first attempt (5 attempts in total). */
export const DEFAULT_MAX_RETRIES = 4;
/** The gateway's default budget per app (docs/wacht-api.md §8). */
export const DEFAULT_REQUESTS_PER_MINUTE = 1000;
/** Cap on a single wait between attempts (also caps a server's Retry-After). */
export const DEFAULT_MAX_RETRY_WAIT_MS = 60_000;

/** The package version for the User-Agent; works from src/client and dist/client alike. */
export const CLIENT_VERSION: string = readVersion();

function readVersion(): string {
  try {
    const pkg = JSON.parse(readFileSync(join(__dirname, "..", "..", "package.json"), "utf8")) as {
      name?: unknown;
      version?: unknown;
    };
    return pkg.name === "pulumi-wacht" && typeof pkg.version === "string" ? pkg.version : "0.0.0";
  } catch {
    return "0.0.0";
  }
}

/** The options that config resolution looks at (part of `WachtClientOptions`). */
export interface ConfigInput {
  /** Backend API key (`sk_…`). Falls back to `WACHT_API_KEY`. Never logged or put into errors. */
  apiKey?: string;
  /**
   * API base URL; a path prefix is kept. Must be https unless the host is loopback.
   * Falls back to `WACHT_BASE_URL`. @default "https://api.wacht.dev"
   */
  baseUrl?: string;
  /** Per-attempt timeout in ms (connect + headers + body). @default 30000 */
  timeoutMs?: number;
  /** Budget for a whole call including retries, waits and pacing, in ms. @default 120000 */
  totalTimeoutMs?: number;
  /** Retries after the first attempt. @default 4 */
  maxRetries?: number;
  /** Cap on any single wait between attempts, server hints included, in ms. @default 60000 */
  maxRetryWaitMs?: number;
  /**
   * Client-side pacing per (base URL, API key), shared by every client in the process: at most this many
   * requests start in any rolling minute. `Infinity` disables pacing. @default 1000 (the gateway's default)
   */
  requestsPerMinute?: number;
}

/** Fully resolved settings (`baseUrl` normalized; `requestsPerMinute` Infinity disables pacing). */
export type ResolvedConfig = ReturnType<typeof resolveConfig>;

function pick(explicit: string | undefined, fromEnv: string | undefined): string | undefined {
  const e = explicit?.trim();
  return e === undefined || e === "" ? fromEnv : e;
}

/** Literal loopback addresses: 127.0.0.0/8 and ::1 (IPv4-mapped forms included). */
const LOOPBACK = new BlockList();
LOOPBACK.addSubnet("127.0.0.0", 8, "ipv4");
LOOPBACK.addAddress("::1", "ipv6");

/**
 * True only for `localhost` itself and literal loopback addresses (127.0.0.0/8, ::1). A name such as
 * `api.localhost` is refused: the system resolver may send it anywhere, and the key with it.
 */
export function isLoopbackHost(hostname: string): boolean {
  const h = hostname.toLowerCase().replace(/^\[|\]$/g, "");
  if (h === "localhost") return true;
  const family = isIP(h);
  return family !== 0 && LOOPBACK.check(h, family === 6 ? "ipv6" : "ipv4");
}

/** Validates and normalizes a base URL; throws WachtConfigError. */
export function normalizeBaseUrl(raw: string) {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new WachtConfigError(`Wacht base URL is not a valid URL: ${JSON.stringify(raw)}`);
  }
  if (url.username !== "" || url.password !== "") {
    throw new WachtConfigError("Wacht base URL must not contain credentials; pass apiKey instead");
  }
  if (url.search !== "" || url.hash !== "") {
    throw new WachtConfigError(
      `Wacht base URL must not have a query or fragment: ${url.origin}${url.pathname}`,
    );
  }
  if (url.protocol !== "https:") {
    if (url.protocol !== "http:") {
      throw new WachtConfigError(`Wacht base URL must use https: ${url.protocol}//${url.host}`);
    }
    if (!isLoopbackHost(url.hostname)) {
      throw new WachtConfigError(
        `Wacht base URL must use https (plain http is only allowed for localhost and literal loopback addresses such as 127.0.0.1 and [::1]): ${url.origin}`,
      );
    }
  }
  const basePath = url.pathname.replace(/\/+$/, "");
  return { baseUrl: `${url.origin}${basePath}`, origin: url.origin, basePath };
}

function positive(
  name: string,
  value: number | undefined,
  fallback: number,
  allowZero = false,
): number {
  if (value === undefined) return fallback;
  const ok = Number.isFinite(value) && (allowZero ? value >= 0 : value > 0);
  if (!ok)
    throw new WachtConfigError(
      `Wacht client option ${name} must be a ${allowZero ? "non-negative" : "positive"} finite number`,
    );
  return value;
}

/** Resolves options against the environment and defaults. Throws WachtConfigError. */
export function resolveConfig(input: ConfigInput, env: NodeJS.ProcessEnv = process.env) {
  const apiKey = pick(input.apiKey, readEnv(env, ENV_API_KEY));
  if (apiKey === undefined) {
    throw new WachtConfigError(`Wacht API key missing: pass apiKey or set ${ENV_API_KEY}`);
  }
  if (/[\r\n\0]/.test(apiKey)) {
    // Never echo the value: it is a credential.
    throw new WachtConfigError("Wacht API key contains a line break or NUL character");
  }
  const { baseUrl, origin, basePath } = normalizeBaseUrl(
    pick(input.baseUrl, readEnv(env, ENV_BASE_URL)) ?? DEFAULT_BASE_URL,
  );
  const maxRetries = positive("maxRetries", input.maxRetries, DEFAULT_MAX_RETRIES, true);
  if (!Number.isInteger(maxRetries))
    throw new WachtConfigError("Wacht client option maxRetries must be an integer");
  const rpm = input.requestsPerMinute;
  const requestsPerMinute =
    rpm === Infinity ? Infinity : positive("requestsPerMinute", rpm, DEFAULT_REQUESTS_PER_MINUTE);
  return {
    apiKey,
    baseUrl,
    origin,
    basePath,
    timeoutMs: positive("timeoutMs", input.timeoutMs, DEFAULT_TIMEOUT_MS),
    totalTimeoutMs: positive("totalTimeoutMs", input.totalTimeoutMs, DEFAULT_TOTAL_TIMEOUT_MS),
    maxRetries,
    maxRetryWaitMs: positive(
      "maxRetryWaitMs",
      input.maxRetryWaitMs,
      DEFAULT_MAX_RETRY_WAIT_MS,
      true,
    ),
    requestsPerMinute,
  };
}
