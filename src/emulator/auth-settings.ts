// Deployment auth settings that drive validation (docs/wacht-api.md §3, §4). The defaults are the real
// `DeploymentAuthSettings::default()` of the platform: names enabled but not required, email
// enabled and required, phone enabled and optional, username enabled and optional (3–30 bytes),
// password enabled with min 8 and one lowercase, uppercase, digit and special character.

/** Settings for first and last name. `required: null` means "unset" (`Option<bool>::None`). */
export interface NameSettings {
  enabled: boolean;
  required: boolean | null;
}

/** Settings for email address and phone number. */
export interface IdentifierSettings {
  enabled: boolean;
  required: boolean;
}

/** Settings for usernames; lengths are compared with the UTF-8 byte length. */
export interface UsernameSettings {
  enabled: boolean;
  required: boolean;
  minLength: number | null;
  maxLength: number | null;
}

/** Password rules, checked on create and on PATCH /users/{id}/password unless skipped. */
export interface PasswordSettings {
  enabled: boolean;
  minLength: number | null;
  requireLowercase: boolean | null;
  requireUppercase: boolean | null;
  requireNumber: boolean | null;
  requireSpecial: boolean | null;
}

/** The part of a deployment's auth settings that the user routes read. */
export interface AuthSettings {
  firstName: NameSettings;
  lastName: NameSettings;
  emailAddress: IdentifierSettings;
  phoneNumber: IdentifierSettings;
  username: UsernameSettings;
  password: PasswordSettings;
}

/** A partial override: each section may be given partially. */
export type AuthSettingsInput = { [K in keyof AuthSettings]?: Partial<AuthSettings[K]> };

/** A fresh copy of the real defaults. */
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
