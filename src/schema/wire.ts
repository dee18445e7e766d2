// Zod schemas of the Wacht user wire shapes, exactly as the Rust handlers send them (docs/wacht-api.md §5, §6, §8).
// Unknown keys are stripped (never rejected), ids and timestamps stay strings, enums tolerate new values,
// and social-connection access/refresh tokens are dropped at parse time so they cannot reach state or logs.

import { z } from "zod";
import { JsonValueSchema } from "./json";
import type { SecondFactorPolicy } from "./user-field-table";

/** Known values plus any future string the server may add (docs/wacht-api.md §9: treat unknowns as plain strings). */
export type OpenEnum<Known extends string> = Known | (string & {});

// `second_factor_policy` values (docs/wacht-api.md §3, §9): one list, in the field table.
export type { SecondFactorPolicy };

const openEnum = <Known extends string>() => z.string() as unknown as z.ZodType<OpenEnum<Known>>;

/** int64 ids, always JSON strings on the wire (docs/wacht-api.md §1). */
const IdSchema = z.string();
/** RFC 3339 timestamps with 0/3/6/9 fractional digits; compared by the caller, never parsed here. */
const TimestampSchema = z.string();

/** `UserEmailAddress` as embedded in `UserDetails`. */
export const ApiUserEmailAddressSchema = z.object({
  id: IdSchema,
  created_at: TimestampSchema,
  updated_at: TimestampSchema,
  deployment_id: IdSchema,
  user_id: IdSchema,
  email: z.string(),
  is_primary: z.boolean(),
  verified: z.boolean(),
  verified_at: TimestampSchema,
  verification_strategy: openEnum<
    | "otp"
    | "oauth_google"
    | "oauth_github"
    | "oauth_microsoft"
    | "oauth_facebook"
    | "oauth_linkedin"
    | "oauth_discord"
    | "oauth_apple"
  >(),
});
/** A user's email address (wire shape). */
export type ApiUserEmailAddress = z.infer<typeof ApiUserEmailAddressSchema>;

/** `UserPhoneNumber` as embedded in `UserDetails`. */
export const ApiUserPhoneNumberSchema = z.object({
  id: IdSchema,
  created_at: TimestampSchema,
  updated_at: TimestampSchema,
  user_id: IdSchema,
  phone_number: z.string(),
  country_code: z.string().nullable(),
  verified: z.boolean(),
  verified_at: TimestampSchema,
});
/** A user's phone number (wire shape). */
export type ApiUserPhoneNumber = z.infer<typeof ApiUserPhoneNumberSchema>;

/**
 * A social connection WITHOUT `access_token` / `refresh_token`: the server returns them decrypted
 * (docs/wacht-api.md §5); z.object strips them, so the inferred type has no token fields at all.
 */
export const ApiSocialConnectionSchema = z.object({
  id: IdSchema,
  created_at: TimestampSchema,
  updated_at: TimestampSchema,
  user_id: IdSchema,
  user_email_address_id: IdSchema.nullable(),
  provider: openEnum<
    | "x_oauth"
    | "github_oauth"
    | "gitlab_oauth"
    | "google_oauth"
    | "facebook_oauth"
    | "microsoft_oauth"
    | "linkedin_oauth"
    | "discord_oauth"
    | "apple_oauth"
  >(),
  email_address: z.string().nullable(),
});
/** A social connection, tokens removed (wire shape). */
export type ApiSocialConnection = z.infer<typeof ApiSocialConnectionSchema>;

/** A segment membership (`deleted_at` key omitted when null). */
export const ApiSegmentSchema = z.object({
  id: IdSchema,
  created_at: TimestampSchema.nullable(),
  updated_at: TimestampSchema.nullable(),
  deleted_at: TimestampSchema.nullable().optional(),
  deployment_id: IdSchema,
  name: z.string(),
  type: openEnum<"organization" | "workspace" | "user">(),
});
/** A segment (wire shape). */
export type ApiSegment = z.infer<typeof ApiSegmentSchema>;

/**
 * The fields every user shape starts with (details, list items, the POST answer). `username` is
 * null when the stored username is "" (details, create answer) and "" in lists;
 * `profile_picture_url` is "" when there is none.
 */
const userCoreFields = {
  id: IdSchema,
  created_at: TimestampSchema,
  updated_at: TimestampSchema,
  first_name: z.string(),
  last_name: z.string(),
  username: z.string().nullable(),
  profile_picture_url: z.string(),
};

/** `UserDetails`: GET /users/{id}/details and PATCH /users/{id} (docs/wacht-api.md §5). */
export const ApiUserDetailsSchema = z.object({
  ...userCoreFields,
  schema_version: openEnum<"v1" | "v2">(),
  disabled: z.boolean(),
  second_factor_policy: openEnum<SecondFactorPolicy>(),
  availability: openEnum<"available" | "busy" | "away">(),
  last_password_reset_at: TimestampSchema.nullable(),
  active_organization_membership_id: IdSchema.nullable(),
  active_workspace_membership_id: IdSchema.nullable(),
  deployment_id: IdSchema,
  public_metadata: JsonValueSchema,
  private_metadata: JsonValueSchema,
  primary_email_address_id: IdSchema.nullable(),
  primary_email_address: z.string().nullable(),
  primary_phone_number_id: IdSchema.nullable(),
  /** phone_number only, without the country code. */
  primary_phone_number: z.string().nullable(),
  email_addresses: z.array(ApiUserEmailAddressSchema),
  phone_numbers: z.array(ApiUserPhoneNumberSchema),
  social_connections: z.array(ApiSocialConnectionSchema),
  segments: z.array(ApiSegmentSchema),
  has_password: z.boolean(),
  has_backup_codes: z.boolean(),
});
/** The full user snapshot (wire shape, tokens removed). */
export type ApiUserDetails = z.infer<typeof ApiUserDetailsSchema>;

/**
 * `UserWithIdentifiers`: list items and the POST /users response (docs/wacht-api.md §4, §5).
 * In lists `username` is "" when unset, in the create response null.
 */
export const ApiUserSummarySchema = z.object({
  ...userCoreFields,
  primary_email_address: z.string().nullable().optional(),
  /** In lists: country_code || phone_number (null when country_code is null). */
  primary_phone_number: z.string().nullable().optional(),
});
/** A user summary (wire shape). */
export type ApiUserSummary = z.infer<typeof ApiUserSummarySchema>;

/** GET /users page: `{data, has_more, limit, offset}` — there is no `total` (docs/wacht-api.md §6). */
export const ApiUserListPageSchema = z.object({
  data: z.array(ApiUserSummarySchema),
  has_more: z.boolean(),
  limit: z.number().int(),
  offset: z.number().int(),
});
/** One page of users (wire shape). */
export type ApiUserListPage = z.infer<typeof ApiUserListPageSchema>;

/** The error envelope `{"errors":[{"message","code"}]}` with code = HTTP status (docs/wacht-api.md §8). */
export const ApiErrorBodySchema = z.object({
  errors: z
    .array(
      z.object({
        message: z.string(),
        code: z.union([z.number(), z.string()]).optional(),
      }),
    )
    .min(1),
});
