// The zod schema of a `wacht.User` declaration as the engine sends it to `check`. Built by a
// function (never a module-level instance) so nothing here can be captured by Pulumi's closure
// serializer (pulumi/pulumi#5294). Rules mirror what the server would reject or silently ignore
// (docs/wacht-api.md §3): such a declaration must fail at preview, not at apply or never.
import { z } from "zod";
import { firstNonJson, JsonValueSchema } from "./json";
import { isUserId } from "./user-id";
import {
  CREATE_ONLY_FIELDS,
  METADATA_FIELDS,
  type FieldsWhere,
  NAME_FIELDS,
  type MetadataField,
  type NameField,
} from "./user-field-lists";
import { USER_FIELDS, type FieldRow } from "./user-field-table";
import { METADATA_OWNERSHIP_MODES, ON_CONFLICT_POLICIES, ON_DELETE_POLICIES } from "./user-fields";

/** The declared value of a bool or enum row. */
type DeclaredValue<R> = R extends { kind: "bool" }
  ? boolean
  : R extends { values: readonly (infer V)[] }
    ? V
    : never;

/** Deployment-dependent limits used by validation. */
export interface UserValidationLimits {
  usernameMinLength: number;
  usernameMaxLength: number;
}

export { isUserId } from "./user-id";

/** POST /users email rule (docs/wacht-api.md §4). */
const EMAIL_RE = /^[a-zA-Z0-9._%+-]+@[a-zA-Z0-9.-]+\.[a-zA-Z]{2,}$/;
/** POST /users username charset: Unicode letters and digits, `_`, `-` (docs/wacht-api.md §4). */
const USERNAME_CHARSET_RE = /^[\p{L}\p{N}_-]+$/u;

/** POST /users phone rule: spaces, -, ( and ) stripped, then E.164-like (docs/wacht-api.md §4). */
function isPhoneNumber(value: string): boolean {
  const stripped = value.replace(/[\s\-()]/g, "");
  return /^\+?[1-9]\d{1,14}$/.test(stripped) || /^\+?[1-9][\d\s\-()]{7,20}$/.test(value);
}

/** The deployment's default password rules (docs/wacht-api.md §4), or null when they pass. */
export function passwordProblem(password: string): string | null {
  const missing: string[] = [];
  if (password.length < 8) missing.push("at least 8 characters");
  if (!/[a-z]/.test(password)) missing.push("a lowercase letter");
  if (!/[A-Z]/.test(password)) missing.push("an uppercase letter");
  if (!/[0-9]/.test(password)) missing.push("a digit");
  if (!/[!@#$%^&*()_+\-=[\]{}|;:,.<>?]/.test(password)) missing.push("a special character");
  return missing.length === 0
    ? null
    : `password does not meet Wacht's default rules: it needs ${missing.join(", ")} (set skipPasswordCheck to bypass them)`;
}

/** One of `values`, by a message that lists them. */
function oneOf<const V extends readonly [string, ...string[]]>(name: string, values: V) {
  return z.enum(values, { error: `${name} must be one of: ${values.join(", ")}` }).optional();
}

function nameSchema(label: string) {
  return z
    .string({ error: `${label} must be a string` })
    .refine(
      (value) => value !== "",
      `${label} cannot be empty: Wacht ignores an empty value, so it can never be cleared. Remove the property to stop managing it`,
    )
    .refine(
      (value) => value === "" || value.trim() !== "",
      `${label} cannot be only whitespace: Wacht rejects it on deployments that require names ("${label} cannot be empty")`,
    );
}

/**
 * One optional schema per bool and enum field of the table (`skipPasswordCheck`, `disabled`,
 * `secondFactorPolicy`, `removeProfileImage`, …): a new such row needs nothing here.
 */
function flagAndEnumSchemas() {
  const out: Record<string, z.ZodOptional<z.ZodType>> = {};
  for (const [name, row] of Object.entries(USER_FIELDS) as [string, FieldRow][]) {
    if (row.kind === "bool") {
      out[name] = z.boolean({ error: `${name} must be true or false` }).optional();
    } else if (row.kind === "enum" && row.values !== undefined) {
      out[name] = oneOf(name, row.values as [string, ...string[]]);
    }
  }
  return out as {
    [K in FieldsWhere<{ kind: "bool" | "enum" }>]: z.ZodOptional<
      z.ZodType<DeclaredValue<(typeof USER_FIELDS)[K]>>
    >;
  };
}

/** One optional name schema per name field of the table. */
function nameSchemas() {
  const optionalName = (label: string) => nameSchema(label).optional();
  return Object.fromEntries(NAME_FIELDS.map((f) => [f, optionalName(f)])) as {
    [K in NameField]: ReturnType<typeof optionalName>;
  };
}

function usernameSchema(limits: UserValidationLimits) {
  return z.string({ error: "username must be a string" }).superRefine((value, ctx) => {
    // The server compares the trimmed UTF-8 byte length (docs/wacht-api.md §3).
    const bytes = Buffer.byteLength(value.trim(), "utf8");
    const { usernameMinLength: min, usernameMaxLength: max } = limits;
    const bound = bytes < min ? `at least ${min}` : bytes > max ? `at most ${max}` : undefined;
    const message =
      bytes === 0
        ? "username cannot be empty: Wacht ignores an empty value, so a username can never be cleared. Remove the property to stop managing it"
        : bound &&
          `username must be ${bound} characters (got ${bytes} bytes); Wacht would answer "Username must be ${bound} characters"`;
    if (message !== undefined) ctx.addIssue({ code: "custom", message });
  });
}

/** Metadata: any JSON value; a value JSON cannot hold is named, with where it is. */
function metadataSchema(label: MetadataField) {
  return z
    .unknown()
    .superRefine((value, ctx) => {
      const bad = firstNonJson(value);
      if (bad === null) return;
      // The key names of secret metadata are secret: the path is given for the others only.
      const { secret } = USER_FIELDS[label];
      const where = bad.path.length === 0 || secret ? label : [label, ...bad.path].join(".");
      ctx.addIssue({
        code: "custom",
        path: secret ? [] : bad.path,
        message: `${where} holds ${bad.what}, which is not a JSON value: Wacht stores metadata as JSON (use a finite number, a string or null)`,
      });
    })
    .pipe(JsonValueSchema);
}

/** Per metadata field of the table: its value, and the JSON Schema the value must match. */
function metadataSchemas() {
  const out: Record<string, z.ZodType> = {};
  for (const field of METADATA_FIELDS) {
    out[field] = metadataSchema(field).optional();
    out[`${field}Schema`] = z
      .record(z.string(), z.unknown(), { error: `${field}Schema must be a JSON Schema object` })
      .optional();
  }
  return out as { [F in MetadataField]: z.ZodOptional<ReturnType<typeof metadataSchema>> } & {
    [F in MetadataField as `${F}Schema`]: z.ZodOptional<z.ZodRecord<z.ZodString, z.ZodUnknown>>;
  };
}

/**
 * Builds the declaration schema. Unknown keys are rejected (a typo would otherwise silently
 * stop managing a field). Preview unknowns must be removed by the caller before parsing.
 */
export function buildUserInputsSchema(limits: UserValidationLimits) {
  return z
    .object({
      userId: z
        .string({ error: "userId must be a string: the id of the existing Wacht user to manage" })
        .refine(isUserId, {
          message:
            'userId must be a Wacht user id: a positive decimal int64 such as "123456789012345678"',
        })
        .optional(),
      adopt: z
        .object(
          {
            email: z.string({ error: "adopt.email must be a string" }).min(1).optional(),
            username: z.string({ error: "adopt.username must be a string" }).min(1).optional(),
          },
          { error: "adopt must be { email } or { username }" },
        )
        .strict()
        .refine((a) => (a.email === undefined) !== (a.username === undefined), {
          message: "adopt takes exactly one natural key: { email } or { username }",
        })
        .optional(),
      emailAddress: z
        .string({ error: "emailAddress must be a string" })
        .regex(EMAIL_RE, {
          message: 'emailAddress is not an email address Wacht accepts ("Invalid email format")',
        })
        .optional(),
      phoneNumber: z
        .string({ error: "phoneNumber must be a string" })
        .refine(isPhoneNumber, {
          message:
            "phoneNumber is not a phone number Wacht accepts: digits with an optional leading +, 2 to 15 digits",
        })
        .optional(),
      password: z.string({ error: "password must be a string" }).optional(),
      passwordVersion: z
        .union([z.string(), z.number()], { error: "passwordVersion must be a string or a number" })
        .optional(),
      metadataOwnership: oneOf("metadataOwnership", METADATA_OWNERSHIP_MODES),
      onConflict: oneOf("onConflict", ON_CONFLICT_POLICIES),
      allowLockout: z.boolean({ error: "allowLockout must be true or false" }).optional(),
      disableAfter: z.iso
        .datetime({
          offset: true,
          error:
            'disableAfter must be an ISO 8601 instant with a time zone, e.g. "2027-03-31T23:59:59Z" or "2027-03-31T18:00:00-05:00"',
        })
        .optional(),
      ...nameSchemas(),
      ...flagAndEnumSchemas(),
      username: usernameSchema(limits).optional(),
      ...metadataSchemas(),
      profileImage: z
        .string({ error: "profileImage must be a file path or a pulumi.asset.FileAsset" })
        .min(1, { message: "profileImage must be a file path or a pulumi.asset.FileAsset" })
        .optional(),
      onDelete: oneOf("onDelete", ON_DELETE_POLICIES),
    })
    .strict()
    .superRefine((value, ctx) => {
      const fail = (path: string, message: string): void =>
        ctx.addIssue({ code: "custom", path: [path], message });
      const creating = value.userId === undefined && value.adopt === undefined;
      if (value.userId !== undefined && value.adopt !== undefined)
        fail(
          "adopt",
          "adopt and userId cannot both be set: declare the user by id or by natural key",
        );
      const { emailAddress, username, phoneNumber, password } = value;
      if (creating && [emailAddress, username, phoneNumber].every((key) => key === undefined)) {
        fail(
          "userId",
          "declare userId (an existing user), adopt (find one by email or username), or create one with at least emailAddress, username or phoneNumber (a unique key lets a retried create find the user instead of duplicating it)",
        );
      }
      if (creating && username !== undefined && !USERNAME_CHARSET_RE.test(username.trim())) {
        fail(
          "username",
          "username can only contain letters, numbers, underscores, and hyphens when Wacht creates a user",
        );
      }
      for (const key of creating ? [] : CREATE_ONLY_FIELDS) {
        if (value[key] !== undefined)
          fail(
            key,
            `${key} is only used to create a new user; remove it when the user is given by userId or adopt`,
          );
      }
      if (creating && value.secondFactorPolicy === "enforced" && value.allowLockout === false) {
        fail(
          "allowLockout",
          'a new user has no second factor yet, so secondFactorPolicy "enforced" with allowLockout false would always be refused after the user is created; allow it, or enforce 2FA once the user has backup codes',
        );
      }
      if (password !== undefined && password.trim() === "") {
        fail(
          "password",
          "password cannot be empty or only whitespace: Wacht trims it and treats an empty password as none, so the user would get no password. Remove password, or declare one",
        );
      } else if (password !== undefined && value.skipPasswordCheck !== true) {
        const problem = passwordProblem(password);
        if (problem !== null) fail("password", problem);
      }
      if (value.passwordVersion !== undefined && password === undefined) {
        fail(
          "password",
          "passwordVersion is set but password is not: declare the password to set when the version changes",
        );
      }
      for (const key of value.metadataOwnership === "keys" ? METADATA_FIELDS : []) {
        const v = value[key];
        if (v !== undefined && (v === null || typeof v !== "object" || Array.isArray(v)))
          fail(
            key,
            `${key} must be an object when metadataOwnership is "keys" (only its top-level keys are managed)`,
          );
      }
      if (value.removeProfileImage === true && value.profileImage !== undefined) {
        fail(
          "removeProfileImage",
          "removeProfileImage and profileImage cannot both be set: Wacht applies the removal and skips the upload",
        );
      }
    });
}

/**
 * The schema for a set of limits, built on first use and kept: building one costs ~0.5 ms, parsing
 * with a built one ~15 µs (BENCHMARKS.md). Used by the provider's check and the roster loader; no
 * serialized object references it (the shim loads check by package name).
 */
const schemas = new Map<string, ReturnType<typeof buildUserInputsSchema>>();
export function userInputsSchemaFor(
  limits: UserValidationLimits,
): ReturnType<typeof buildUserInputsSchema> {
  const key = `${limits.usernameMinLength}:${limits.usernameMaxLength}`;
  const schema = schemas.get(key) ?? buildUserInputsSchema(limits);
  schemas.set(key, schema);
  return schema;
}
