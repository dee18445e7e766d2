// The names the API key and base URL can be set under, and the one environment reader (for the
// client's fallback and the provider's): an explicit value wins, then the environment variable.

/** Environment variable holding the API key. */
export const ENV_API_KEY = "WACHT_API_KEY";
/** Environment variable holding the base URL. */
export const ENV_BASE_URL = "WACHT_BASE_URL";
/** The Pulumi stack config key of the API key (named in messages; read by the provider). */
export const CONFIG_API_KEY = "wacht:apiKey";
/** The Pulumi stack config key of the base URL. */
export const CONFIG_BASE_URL = "wacht:baseUrl";

/** Reads an env var, trimming; blank counts as unset (openai readEnv style). */
export function readEnv(env: NodeJS.ProcessEnv, name: string): string | undefined {
  const v = env[name]?.trim();
  return v === undefined || v === "" ? undefined : v;
}
