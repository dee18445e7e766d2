// `lookupUser({ email } | { username } | { userId })`: a plain async helper for programs (a
// dynamic resource cannot serve invokes, so there is no data source). It calls the API when the
// program runs, which is at preview too: it needs credentials there, and finds them where the
// provider does (the stack's wacht:apiKey / wacht:baseUrl, then WACHT_API_KEY / WACHT_BASE_URL),
// unless options give them.
// Exact matches only (the search index is a first try, then the list: provider/live/users-by-key.ts),
// and never private metadata.
import { readProgramConfig } from "../config/program-config";
import { resolveProviderSettings } from "../config/provider-config";
import { isNotFound } from "../provider/errors";
import { WachtClient, type WachtClientOptions } from "../client/wacht-client";
import { describeKey, findByNaturalKey } from "../provider/live/users-by-key";
import { scalarOutputs } from "../provider/live/live-user";
import type { ScalarOutputs } from "../schema/user-state";
import { isUserId } from "../schema/user-inputs";

/** Exactly one key. */
export type LookupKey = { email: string } | { username: string } | { userId: string };

/** What a lookup returns: public facts only (never private metadata), typed as User's outputs. */
export type LookedUpUser = Pick<
  ScalarOutputs,
  "username" | "firstName" | "lastName" | "disabled" | "publicMetadata"
> & {
  userId: string;
  email: string | null;
  createdAt: string;
  updatedAt: string;
};

/**
 * Options: a client to reuse, or options for a new one. What they leave unset comes from the
 * running program's stack config (`wacht:apiKey`, `wacht:baseUrl`, `wacht:maxRetries`, …), then
 * the environment (WACHT_API_KEY, WACHT_BASE_URL), exactly as the provider resolves them.
 */
export interface LookupOptions extends WachtClientOptions {
  client?: WachtClient;
}

/** A client for `options`, settings resolved by the provider's rule (src/config). */
function clientFor(options: WachtClientOptions): WachtClient {
  const stack = readProgramConfig();
  // An option given (not blank) wins over the stack config, as the client's own rule has it.
  const apiKey = options.apiKey?.trim();
  const baseUrl = options.baseUrl?.trim();
  if (apiKey) stack.apiKey = apiKey;
  if (baseUrl) stack.baseUrl = baseUrl;
  const settings = resolveProviderSettings(stack, options.env ?? process.env);
  return new WachtClient({
    ...options,
    apiKey: settings.apiKey,
    baseUrl: settings.baseUrl,
    maxRetries: options.maxRetries ?? settings.maxRetries,
    timeoutMs: options.timeoutMs ?? settings.timeoutMs,
    requestsPerMinute: options.requestsPerMinute ?? settings.requestsPerMinute,
  });
}

function keyText(key: LookupKey): string {
  return "userId" in key ? `userId "${key.userId}"` : describeKey(key);
}

/**
 * Finds exactly one user; throws when none or several match. Runs at preview as well as at up,
 * so the program needs credentials at preview: the stack's wacht:apiKey (or WACHT_API_KEY), or
 * `apiKey`; the base URL likewise (wacht:baseUrl, WACHT_BASE_URL or `baseUrl`).
 */
export async function lookupUser(
  key: LookupKey,
  options: LookupOptions = {},
): Promise<LookedUpUser> {
  const { client: given, ...clientOptions } = options;
  const client = given ?? clientFor(clientOptions);
  const keys = Object.keys(key).filter((k) => (key as Record<string, unknown>)[k] !== undefined);
  if (keys.length !== 1) {
    throw new Error(
      `lookupUser takes exactly one of { email }, { username } or { userId }, got ${JSON.stringify(keys)}`,
    );
  }
  let id: string;
  if ("userId" in key) {
    if (!isUserId(key.userId))
      throw new Error(`lookupUser: ${keyText(key)} is not a Wacht user id (a decimal int64)`);
    id = key.userId;
  } else {
    const matches = await findByNaturalKey(client, key);
    if (matches.length === 0) throw new Error(`lookupUser: no Wacht user has ${keyText(key)}`);
    if (matches.length > 1) {
      throw new Error(
        `lookupUser: ${matches.length} Wacht users have ${keyText(key)} (${matches.map((m) => m.id).join(", ")}); look one up by userId`,
      );
    }
    id = (matches[0] as { id: string }).id;
  }
  try {
    const u = await client.users.get(id);
    // The field table's one wire → output mapping (live-user.ts), then the public fields only.
    const { username, firstName, lastName, disabled, publicMetadata } = scalarOutputs(u);
    return {
      userId: u.id,
      email: u.primary_email_address,
      username,
      firstName,
      lastName,
      disabled,
      publicMetadata,
      createdAt: u.created_at,
      updatedAt: u.updated_at,
    };
  } catch (err) {
    if (isNotFound(err)) {
      throw new Error(`lookupUser: no Wacht user has ${keyText(key)}`, { cause: err });
    }
    throw err;
  }
}
