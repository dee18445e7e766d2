// Users that exist outside Pulumi: seeded into the emulator as if created in the dashboard or by
// another tool, and edited or deleted there while a stack holds them. `aUser` fills in a unique
// username and email for a test that does not care about them; `seedUser` / `seedUsers` put exact
// users in and hand back what was stored; `editOutOfBand` / `deleteOutOfBand` go through the
// emulator's public API, as a dashboard edit would.
import type { EmulatorHandle, SeedUser, UserDump } from "../../src/emulator";

/** Anything with the emulator's in-process user store (a handle, or a harness's `emu`). */
export type Seedable = Pick<EmulatorHandle, "users">;

let seq = 0;

/**
 * A seed user named "Old Keep" with a unique username and email (`user<n>`, `user<n>@example.com`,
 * n counting per test file), then `overrides`.
 */
export function aUser(overrides: SeedUser = {}): SeedUser {
  seq += 1;
  return {
    first_name: "Old",
    last_name: "Keep",
    username: `user${seq}`,
    email: `user${seq}@example.com`,
    ...overrides,
  };
}

/** Seeds exactly `user` and returns what the emulator stored (`.user.id` is its id). */
export function seedUser(emu: Seedable, user: SeedUser): UserDump {
  const [dump] = emu.users.seed([user]);
  if (dump === undefined) throw new Error("the emulator seeded no user");
  return dump;
}

/** Seeds `n` users, the i-th (from 0) being `each(i)`; returns what the emulator stored, in order. */
export function seedUsers(emu: Seedable, n: number, each: (i: number) => SeedUser): UserDump[] {
  return emu.users.seed(Array.from({ length: n }, (_, i) => each(i)));
}

/** The i-th of a run of int64 user ids starting at `base` (fixed ids a test can name). */
export function nthId(base: bigint, i: number): string {
  return String(base + BigInt(i));
}

/** PATCH /users/{id} through the public API (a dashboard edit); the edit must succeed. */
export async function editOutOfBand(
  url: string,
  apiKey: string,
  id: string,
  fields: Record<string, string>,
): Promise<void> {
  const form = new FormData();
  for (const [k, v] of Object.entries(fields)) form.append(k, v);
  const res = await fetch(`${url}/users/${id}`, {
    method: "PATCH",
    headers: { authorization: `Bearer ${apiKey}` },
    body: form,
  });
  expect(res.status).toBe(200);
}

/** DELETE /users/{id} through the public API (a dashboard delete); it must succeed. */
export async function deleteOutOfBand(url: string, apiKey: string, id: string): Promise<void> {
  const res = await fetch(`${url}/users/${id}`, {
    method: "DELETE",
    headers: { authorization: `Bearer ${apiKey}` },
  });
  expect(res.status).toBe(200);
}
