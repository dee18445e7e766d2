// Deployment auth settings that drive validation (docs/wacht-api.md §3, §4). The defaults are the real
// `DeploymentAuthSettings::default()` of the platform: names enabled but not required, email
// enabled and required, phone enabled and optional, username enabled and optional (3–30 bytes),
// password enabled with min 8 and one lowercase, uppercase, digit and special character.
import { z } from "zod";

const length = z.number().int().nonnegative().nullable();
/** First and last name; `required: null` means "unset" (`Option<bool>::None`). */
const name = z.strictObject({ enabled: z.boolean(), required: z.boolean().nullable() });
const identifier = z.strictObject({ enabled: z.boolean(), required: z.boolean() });
/** Usernames; lengths are compared with the UTF-8 byte length. */
const username = z.strictObject({
  enabled: z.boolean(),
  required: z.boolean(),
  minLength: length,
  maxLength: length,
});
/** Password rules, checked on create and on PATCH /users/{id}/password unless skipped. */
const password = z.strictObject({
  enabled: z.boolean(),
  minLength: length,
  requireLowercase: z.boolean().nullable(),
  requireUppercase: z.boolean().nullable(),
  requireNumber: z.boolean().nullable(),
  requireSpecial: z.boolean().nullable(),
});

/** A partial override, each section given partially (the control route's body, validated). */
export const authSettingsInputSchema = z.strictObject({
  firstName: name.partial().optional(),
  lastName: name.partial().optional(),
  emailAddress: identifier.partial().optional(),
  phoneNumber: identifier.partial().optional(),
  username: username.partial().optional(),
  password: password.partial().optional(),
});

/** The part of a deployment's auth settings that the user routes read. */
export interface AuthSettings {
  firstName: z.infer<typeof name>;
  lastName: z.infer<typeof name>;
  emailAddress: z.infer<typeof identifier>;
  phoneNumber: z.infer<typeof identifier>;
  username: z.infer<typeof username>;
  password: z.infer<typeof password>;
}
export type AuthSettingsInput = z.infer<typeof authSettingsInputSchema>;

export function defaultAuthSettings(): AuthSettings {
  return {
    firstName: { enabled: true, required: false },
    lastName: { enabled: true, required: false },
    emailAddress: { enabled: true, required: true },
    phoneNumber: { enabled: true, required: false },
    username: { enabled: true, required: false, minLength: 3, maxLength: 30 },
    password: {
      enabled: true,
      minLength: 8,
      requireLowercase: true,
      requireUppercase: true,
      requireNumber: true,
      requireSpecial: true,
    },
  };
}

/** Applies a partial override on top of `base`, section by section. */
export function mergeAuthSettings(base: AuthSettings, input: AuthSettingsInput = {}): AuthSettings {
  return {
    firstName: { ...base.firstName, ...input.firstName },
    lastName: { ...base.lastName, ...input.lastName },
    emailAddress: { ...base.emailAddress, ...input.emailAddress },
    phoneNumber: { ...base.phoneNumber, ...input.phoneNumber },
    username: { ...base.username, ...input.username },
    password: { ...base.password, ...input.password },
  };
}
