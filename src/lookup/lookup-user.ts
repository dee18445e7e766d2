// `lookupUser({ email } | { username } | { userId })`: a plain async helper for programs (a
// dynamic resource cannot serve invokes, so there is no data source). It calls the API when the
// program runs, which is at preview too: it needs credentials there (WACHT_API_KEY or options).
// Exact matches only (the search index is a first try, then the list; see locate-user.ts), and
// never private metadata.
import { isWachtError } from "../client/errors";
import { WachtClient, type WachtClientOptions } from "../client/wacht-client";
import { describeKey, findByNaturalKey } from "../provider/locate-user";
import { scalarOutputs } from "../provider/to-outputs";
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

/** Options: a client to reuse, or options for a new one (default: from the environment). */
export interface LookupOptions extends WachtClientOptions {
  client?: WachtClient;
}

function keyText(key: LookupKey): string {
  return "userId" in key ? `userId "${key.userId}"` : describeKey(key);
}

/**
 * Finds exactly one user; throws when none or several match. Runs at preview as well as at up,
 * so the program needs credentials at preview: WACHT_API_KEY / WACHT_BASE_URL, or `apiKey`.
 */
export async function lookupUser(
  key: LookupKey,
  options: LookupOptions = {},
): Promise<LookedUpUser> {
  const { client: given, ...clientOptions } = options;
  const client = given ?? new WachtClient(clientOptions);
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
    // The field table's one wire → output mapping (flatten), then the public fields only.
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
    if (isWachtError(err) && (err as { status?: unknown }).status === 404) {
      throw new Error(`lookupUser: no Wacht user has ${keyText(key)}`, { cause: err });
    }
    throw err;
  }
}
