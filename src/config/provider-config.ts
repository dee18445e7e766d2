// Provider settings: stack config read by `configure` (wacht:apiKey is a secret, wacht:baseUrl …)
// with the environment (WACHT_API_KEY, WACHT_BASE_URL) as the fallback, read at CALL time so a
// key set only in CI's environment is picked up. Nothing here is serialized. Every problem is a
// ProviderConfigError naming the key (./config-error.ts).
import { resolveConfig } from "../client/config";
import { CONFIG_API_KEY, CONFIG_BASE_URL, ENV_API_KEY, ENV_BASE_URL, readEnv } from "../client/env";
import { DEFAULT_USERNAME_MAX_LENGTH, DEFAULT_USERNAME_MIN_LENGTH } from "../schema/user-fields";
import { ProviderConfigError } from "./config-error";

/** Stack config keys, in the `wacht` namespace. */
export const CONFIG_KEYS = {
  apiKey: CONFIG_API_KEY,
  baseUrl: CONFIG_BASE_URL,
  usernameMinLength: "wacht:usernameMinLength",
  usernameMaxLength: "wacht:usernameMaxLength",
  maxRetries: "wacht:maxRetries",
  timeoutMs: "wacht:timeoutMs",
  requestsPerMinute: "wacht:requestsPerMinute",
  deltaRefresh: "wacht:deltaRefresh",
  deltaRefreshThreshold: "wacht:deltaRefreshThreshold",
} as const;

/** Environment variables used when the stack config has no value. */
export const ENV_KEYS = { apiKey: ENV_API_KEY, baseUrl: ENV_BASE_URL } as const;

/** Raw values from the stack config (strings, as Pulumi config stores them). */
export type StackConfigValues = Partial<Record<keyof typeof CONFIG_KEYS, string>>;

/** Settings the provider uses for one call. */
export type ProviderSettings = ReturnType<typeof resolveProviderSettings>;

/** Reads every known key through `get` (the host's `req.config.get`). */
export function readStackConfig(get: (key: string) => unknown): StackConfigValues {
  const values: StackConfigValues = {};
  for (const [name, key] of Object.entries(CONFIG_KEYS) as [keyof typeof CONFIG_KEYS, string][]) {
    let raw: unknown;
    try {
      raw = get(key);
    } catch {
      // The host's Config throws when the engine sent no Configure (docs/pulumi-engine.md §5): the
      // environment fallback still applies, and a missing key is reported by name at call time.
      raw = undefined;
    }
    if (typeof raw === "string" && raw.trim() !== "") values[name] = raw.trim();
    else if (typeof raw === "number" || typeof raw === "boolean") values[name] = String(raw);
  }
  return values;
}

function positiveInt(key: string, raw: string | undefined): number | undefined {
  if (raw === undefined) return undefined;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 0) {
    throw new ProviderConfigError(
      key,
      `${key} must be a non-negative integer, got "${raw}": run \`pulumi config set ${key} <n>\``,
    );
  }
  return n;
}

function flag(key: string, raw: string | undefined): boolean | undefined {
  if (raw === undefined) return undefined;
  if (raw === "true" || raw === "false") return raw === "true";
  throw new ProviderConfigError(
    key,
    `${key} must be true or false, got "${raw}": run \`pulumi config set ${key} true\` (or false)`,
  );
}

/** The message used whenever no API key can be found. */
export const MISSING_API_KEY_MESSAGE =
  `Wacht API key is not configured: run \`pulumi config set --secret ${CONFIG_KEYS.apiKey} <key>\`` +
  ` or set the ${ENV_KEYS.apiKey} environment variable`;

/** Validation limits only (no key needed): used by `check`, which makes no request. */
export function resolveLimits(stack: StackConfigValues): {
  usernameMinLength: number;
  usernameMaxLength: number;
} {
  return {
    usernameMinLength:
      positiveInt(CONFIG_KEYS.usernameMinLength, stack.usernameMinLength) ??
      DEFAULT_USERNAME_MIN_LENGTH,
    usernameMaxLength:
      positiveInt(CONFIG_KEYS.usernameMaxLength, stack.usernameMaxLength) ??
      DEFAULT_USERNAME_MAX_LENGTH,
  };
}

/**
 * Resolves the settings for one call: stack config first, then the environment, checked as the
 * client will check them (validateForClient), so every step — check, refresh, destroy — reports a
 * problem by its key. Throws a ProviderConfigError; with no key anywhere it names both
 * `wacht:apiKey` and `WACHT_API_KEY`.
 */
export function resolveProviderSettings(
  stack: StackConfigValues,
  env: NodeJS.ProcessEnv = process.env,
) {
  const apiKey = stack.apiKey ?? readEnv(env, ENV_KEYS.apiKey);
  if (apiKey === undefined) {
    throw new ProviderConfigError(
      `${CONFIG_KEYS.apiKey} (or ${ENV_KEYS.apiKey})`,
      MISSING_API_KEY_MESSAGE,
    );
  }
  const settings = {
    apiKey,
    // `undefined` lets the client apply its own default (https://api.wacht.dev).
    baseUrl: stack.baseUrl ?? readEnv(env, ENV_KEYS.baseUrl),
    ...resolveLimits(stack),
    maxRetries: positiveInt(CONFIG_KEYS.maxRetries, stack.maxRetries),
    timeoutMs: positiveInt(CONFIG_KEYS.timeoutMs, stack.timeoutMs),
    requestsPerMinute: positiveInt(CONFIG_KEYS.requestsPerMinute, stack.requestsPerMinute),
    deltaRefresh: flag(CONFIG_KEYS.deltaRefresh, stack.deltaRefresh) ?? true,
    // Reads in one run before delta refresh lists the users; `undefined`: its default.
    deltaRefreshThreshold: positiveInt(
      CONFIG_KEYS.deltaRefreshThreshold,
      stack.deltaRefreshThreshold,
    ),
  };
  validateForClient(settings);
  return settings;
}

/**
 * Checks the settings as the client will when it is built, so a problem is reported with the
 * config key that holds it, not by the client. Throws ProviderConfigError. The client checks each
 * option on its own, so settings it accepts together pass at once; only a refusal is taken apart
 * one key at a time to name the key. (Every check, diff and read resolves the settings: checking
 * each key apart on every call was 3.9 % of a provider's CPU in a 300-user `up --refresh`.)
 */
function validateForClient(settings: ProviderSettings): void {
  const { apiKey, baseUrl, maxRetries, timeoutMs, requestsPerMinute } = settings;
  const options = { apiKey, baseUrl, maxRetries, timeoutMs, requestsPerMinute };
  try {
    resolveConfig(options, {});
    return;
  } catch {
    // Name the key below.
  }
  for (const name of Object.keys(options) as (keyof typeof options)[]) {
    try {
      resolveConfig({ apiKey, [name]: options[name] }, {});
    } catch (err) {
      const env = (ENV_KEYS as Record<string, string>)[name];
      const key = env === undefined ? CONFIG_KEYS[name] : `${CONFIG_KEYS[name]} (or ${env})`;
      const message = err instanceof Error ? err.message : String(err);
      throw new ProviderConfigError(key, `${key}: ${message}`);
    }
  }
}
