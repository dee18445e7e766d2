// Where the `pulumi-wacht` command finds the API key and base URL, and the messages that name
// them. It runs outside any Pulumi program, so it does not read the stack config: the key comes
// from WACHT_API_KEY only (never a flag: a flag's value lands in shell history and `ps`), the base
// URL from --base-url, else WACHT_BASE_URL, else the client's default. A message names these,
// never a client option or a stack config key the command does not read.
import { normalizeBaseUrl } from "../client/config";
import { ENV_API_KEY, ENV_BASE_URL, readEnv } from "../client/env";
import { isWachtError, WachtConnectionError } from "../client/errors";
import type { WachtClientOptions } from "../client/wacht-client";

/** A key or base URL the command cannot use; the message says what to set. */
export class CliCredentialsError extends Error {
  override name = "CliCredentialsError";
}

/** The message when WACHT_API_KEY is unset (with the way to take it from a stack). */
export const CLI_MISSING_API_KEY_MESSAGE =
  `Wacht API key missing: set the ${ENV_API_KEY} environment variable ` +
  `(from a stack: ${ENV_API_KEY}=$(pulumi config get wacht:apiKey) npx pulumi-wacht export …)`;

/** The client options of one run: the key from the environment, the base URL as resolved. */
export function cliClientOptions(
  flags: { baseUrl?: string | undefined },
  env: NodeJS.ProcessEnv,
): WachtClientOptions & { apiKey: string } {
  const apiKey = readEnv(env, ENV_API_KEY);
  if (apiKey === undefined) throw new CliCredentialsError(CLI_MISSING_API_KEY_MESSAGE);
  const flag = flags.baseUrl?.trim();
  const [source, raw] =
    flag !== undefined && flag !== ""
      ? ["--base-url", flag]
      : [ENV_BASE_URL, readEnv(env, ENV_BASE_URL)];
  if (raw === undefined) return { apiKey, env };
  // An unparsable URL is normalizeBaseUrl's to report, below.
  const url = URL.canParse(raw) ? new URL(raw) : undefined;
  if (url !== undefined && (url.username !== "" || url.password !== "")) {
    throw new CliCredentialsError(
      `${source} must not contain credentials: set the key in ${ENV_API_KEY}`,
    );
  }
  try {
    normalizeBaseUrl(raw);
  } catch (err) {
    throw new CliCredentialsError(`${source}: ${err instanceof Error ? err.message : String(err)}`);
  }
  return { apiKey, baseUrl: raw, env };
}

/**
 * What the command prints for a failure: the client's message, except that its hint (a 401's, or
 * a refused connection's) names the settings of the command (WACHT_API_KEY; --base-url or
 * WACHT_BASE_URL) instead of the client's option names and stack config keys. The hint may sit
 * before a retry note such as "(gave up after 5 attempts)", so it is found, not assumed last.
 */
export function cliFailureMessage(err: unknown, baseUrl: string | undefined): string {
  const message = err instanceof Error ? err.message : String(err);
  const hint = isWachtError(err) ? (err as { hint?: unknown }).hint : undefined;
  if (typeof hint !== "string" || hint === "") return message;
  const at = message.lastIndexOf(hint);
  if (at < 0) return message;
  const where = baseUrl ?? "the default base URL";
  const ours =
    err instanceof WachtConnectionError
      ? `Is the Wacht server (or the emulator) running at ${where}? Check --base-url or ${ENV_BASE_URL}`
      : `Check ${ENV_API_KEY} and that the key belongs to the deployment at ${where} ` +
        `(--base-url or ${ENV_BASE_URL})`;
  return message.slice(0, at) + ours + message.slice(at + hint.length);
}
