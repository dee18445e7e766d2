// Realistic users for every section: the seed the emulator stores and the declaration a program
// would write for it (every profile field managed, both metadata objects, onDelete retain).
import type { SeedUser } from "../../src/emulator";
import { asEngineSees, type TestProvider } from "../../test/helpers/provider";

export const API_KEY = "sk_bench_" + "0123456789abcdefghijklmnopqrstuvwxyzABCDEFG";

/** The seed of user `i` (`tag` keeps usernames and emails unique across sections). */
export function seedUser(i: number, tag = "u"): SeedUser {
  return {
    first_name: `First${i}`,
    last_name: `Last${i}`,
    username: `${tag}${i}`,
    email: `${tag}${i}@bench.example`,
    public_metadata: { team: `team-${i % 10}`, tier: "gold", flags: ["a", "b"] },
    private_metadata: { vault: `kv/users/${i}`, cost_center: 4200 + (i % 7) },
    disabled: false,
    second_factor_policy: "optional",
    has_backup_codes: true,
  };
}

/** The declaration (resource args) that matches `seedUser(i)` exactly for the user `id`. */
export function declarationFor(id: string, i: number, tag = "u"): Record<string, unknown> {
  const s = seedUser(i, tag);
  return {
    userId: id,
    firstName: s.first_name,
    lastName: s.last_name,
    username: s.username,
    disabled: false,
    secondFactorPolicy: "optional",
    publicMetadata: s.public_metadata,
    privateMetadata: s.private_metadata,
    onDelete: "retain",
  };
}

/**
 * A provider configured as the host configures it. Client pacing is lifted
 * (`wacht:requestsPerMinute` 100 000 000) and the emulator's rate limit is off, so request
 * accounting is not stretched by the 1000/min gateway budget.
 */
export async function benchProvider(
  url: string,
  extra: Record<string, string> = {},
): Promise<TestProvider> {
  const provider = asEngineSees();
  const values: Record<string, string> = {
    "wacht:apiKey": API_KEY,
    "wacht:baseUrl": url,
    "wacht:requestsPerMinute": "100000000",
    ...extra,
  };
  await provider.configure({
    config: { get: (k: string) => values[k], require: (k: string) => values[k] ?? "" },
  });
  return provider;
}

/** JSON with sorted keys, for order-insensitive comparison of states. */
export function canonical(value: unknown): string {
  return JSON.stringify(value, (_k, v: unknown) =>
    v !== null && typeof v === "object" && !Array.isArray(v)
      ? Object.fromEntries(
          Object.entries(v as Record<string, unknown>).sort(([a], [b]) =>
            a < b ? -1 : a > b ? 1 : 0,
          ),
        )
      : v,
  );
}
