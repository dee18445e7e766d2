// `wacht:index:getUser`: lookupUser (src/lookup/lookup-user.ts) as an invoke. Exactly one of
// userId, email and username; the same results, with the same names, as lookupUser's.
import { WachtClient } from "../client/wacht-client";
import type { ProviderSettings } from "../config/provider-config";
import { lookupUser, type LookedUpUser, type LookupKey } from "../lookup/lookup-user";
import type { CheckFailure } from "../schema/check-failures";
import type { Props } from "./protocol";

const KEYS = ["userId", "email", "username"] as const;

/** The lookup key in `args`, or the failures that say why there is not exactly one. */
export function lookupKeyOf(args: Props): { key?: LookupKey; failures: CheckFailure[] } {
  const failures: CheckFailure[] = Object.keys(args)
    .filter((k) => !(KEYS as readonly string[]).includes(k))
    .map((k) => ({ property: k, reason: `getUser takes userId, email or username, not ${k}` }));
  const given = KEYS.filter((k) => args[k] !== undefined && args[k] !== null);
  for (const k of given) {
    if (typeof args[k] !== "string" || args[k] === "") {
      failures.push({ property: k, reason: `getUser's ${k} must be a non-empty string` });
    }
  }
  if (given.length !== 1) {
    failures.push({
      property: "",
      reason: `getUser takes exactly one of userId, email and username; got ${given.length === 0 ? "none" : given.join(" and ")}`,
    });
  }
  const name = given[0];
  if (failures.length > 0 || name === undefined) return { failures };
  return { key: { [name]: args[name] } as LookupKey, failures };
}

/** Looks the user up with a client for `settings` (one per distinct settings, kept). */
export class GetUser {
  private readonly clients = new Map<string, WachtClient>();

  async invoke(key: LookupKey, settings: ProviderSettings): Promise<LookedUpUser> {
    const { apiKey, baseUrl, maxRetries, timeoutMs, requestsPerMinute } = settings;
    const id = JSON.stringify([apiKey, baseUrl, maxRetries, timeoutMs, requestsPerMinute]);
    let client = this.clients.get(id);
    if (client === undefined) {
      client = new WachtClient({ apiKey, baseUrl, maxRetries, timeoutMs, requestsPerMinute });
      this.clients.set(id, client);
    }
    try {
      return await lookupUser(key, { client });
    } catch (err) {
      // lookupUser names itself; here the program called getUser.
      if (err instanceof Error) err.message = err.message.replace(/^lookupUser\b/, "getUser");
      throw err;
    }
  }
}
