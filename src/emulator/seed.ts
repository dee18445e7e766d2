// Seed users: the `seed` option and the CLI's `--seed users.json` describe users in the API's
// snake_case vocabulary plus a few internal facts (sign-ins, second factors) that the public API
// cannot set. Validated with zod, then created in the store with their emails and phones.
import { z } from "zod";
import { JsonValueSchema as jsonSchema } from "../schema/json";
import { SECOND_FACTOR_POLICIES } from "../schema/user-field-table";
import type { StoredUser } from "./model";
import type { UserStore } from "./store";
import { DEFAULT_DEPLOYMENT_ID } from "./ids";
import { scheduleReindex } from "./search";

/** An id in a seed file: an int64 as a decimal string. */
export const int64 = z.string().regex(/^\d{1,19}$/, "an int64 id as a decimal string");

/**
 * Fields a seed user and a control-route edit share: the profile values, plus the internal
 * facts (sign-ins, second factors) the public API cannot set.
 */
export const userFactFields = {
  first_name: z.string().optional(),
  last_name: z.string().optional(),
  username: z.string().optional(),
  public_metadata: jsonSchema.optional(),
  private_metadata: jsonSchema.optional(),
  disabled: z.boolean().optional(),
  second_factor_policy: z.enum(SECOND_FACTOR_POLICIES).optional(),
  availability: z.string().optional(),
  profile_picture_url: z.string().optional(),
  has_password: z.boolean().optional(),
  has_backup_codes: z.boolean().optional(),
  authenticators: z.number().int().nonnegative().optional(),
  sign_ins: z.number().int().nonnegative().optional(),
};

/** The stored field each of `userFactFields` sets. */
const STORED_FIELD = {
  first_name: "firstName",
  last_name: "lastName",
  username: "username",
  public_metadata: "publicMetadata",
  private_metadata: "privateMetadata",
  disabled: "disabled",
  second_factor_policy: "secondFactorPolicy",
  availability: "availability",
  profile_picture_url: "profilePictureUrl",
  has_password: "hasPassword",
  has_backup_codes: "hasBackupCodes",
  authenticators: "authenticators",
  sign_ins: "signIns",
} as const satisfies Record<keyof typeof userFactFields, keyof StoredUser>;

/** Sets the stored fields of the facts given (a key left out or `undefined` keeps its value). */
export function applyFacts(
  user: StoredUser,
  facts: z.infer<z.ZodObject<typeof userFactFields>>,
): void {
  for (const [key, field] of Object.entries(STORED_FIELD)) {
    const value = facts[key as keyof typeof STORED_FIELD];
    if (value !== undefined) Object.assign(user, { [field]: value });
  }
}

export const seedUserSchema = z.strictObject({
  id: int64.optional(),
  deployment_id: int64.optional(),
  email: z.string().optional(),
  /** Alias of `email`, in the API's own field name (POST /users). */
  email_address: z.string().optional(),
  /** Extra, non-primary verified emails. */
  extra_emails: z.array(z.string()).optional(),
  phone_number: z.string().optional(),
  /** `null` stores a NULL country code (list items then show a null phone). */
  country_code: z.string().nullable().optional(),
  ...userFactFields,
});

/** A user to create at start (or on reset). Every field is optional. */
export type SeedUser = z.infer<typeof seedUserSchema>;

export const seedFileSchema = z.array(seedUserSchema);

/** Creates the seed users in the store (indexed for search at once) and returns them. */
export function applySeed(
  store: UserStore,
  seed: readonly SeedUser[],
  deploymentId = DEFAULT_DEPLOYMENT_ID,
): StoredUser[] {
  return seedFileSchema.parse(seed).map((s) => {
    const user = store.create(s.deployment_id ?? deploymentId, {
      ...(s.id !== undefined && { id: s.id }),
      email: s.email ?? s.email_address ?? null,
      phoneNumber: s.phone_number ?? null,
      ...(s.country_code !== undefined && { countryCode: s.country_code }),
    });
    applyFacts(user, s);
    for (const email of s.extra_emails ?? []) user.emails.push(store.newEmail(email, false));
    scheduleReindex(user, Date.now(), 0); // seed users are searchable at once
    return user;
  });
}
