// The user property table: one row per property of a `wacht.User` (the dynamic resource) and of
// `wacht:index:User` (the native provider's schema is generated from it, src/native/schema.ts).
// The rows that Wacht's API carries (the fields) hold the wire facts every other module derives
// its lists from (docs/wacht-api.md §3 PATCH parts, §4 POST parts, §5 details). Data only: the
// derivations are in user-field-lists.ts.
//
// Every row (a field's row takes the defaults of FIELD for what it does not say):
//   io          in: a declared input only · out: an output only · both: declared and recorded
//   secret      never shown in a message, a failure, a log or a plan; ciphertext in state
//   doc         what a user reads about it (schema description)
//   type        the schema type of a row that is not a field (a field's comes from its kind)
// A field's row also has:
//   wire        the multipart part name (POST and PATCH use the same names)
//   kind        text, bool, json, enum or image: how the value is encoded and compared
//   create      sent by POST /users when the resource creates the user
//   update      sent by PATCH /users/{id} when the declared value differs from the live one
//   mayBeEmpty  "" is a value Wacht keeps (false: Wacht ignores "", so check refuses it)
//   trimmed     POST /users trims the value (docs/wacht-api.md §4); PATCH never trims
//   read        the details field (docs/wacht-api.md §5) exported as the output of the same name;
//               null when the field is not read back (write-only, create-only, or the image)
//   values      enum fields only: the values the server accepts (case-sensitive)

/** `second_factor_policy` values, case-sensitive on the wire (docs/wacht-api.md §3, §9). */
export const SECOND_FACTOR_POLICIES = ["none", "optional", "enforced"] as const;
export type SecondFactorPolicy = (typeof SECOND_FACTOR_POLICIES)[number];

/** How a field's value is encoded, compared and validated. */
export type FieldKind = "text" | "bool" | "json" | "enum" | "image";

/** A property's schema type: a scalar, any JSON value, a list (`[]`) or an object type's name. */
export type PropertyType =
  | "string"
  | "boolean"
  | "any"
  | "string[]"
  | "string|number"
  | "AdoptKey"
  | "UserEmail[]"
  | "UserPhone[]"
  | "UserSegment[]";

/** Whether a property is declared, recorded, or both. */
export type PropertyIo = "in" | "out" | "both";

/** One row of the table. */
export interface PropertyRow {
  readonly io: PropertyIo;
  readonly doc: string;
  readonly secret?: boolean;
  readonly type?: PropertyType;
}

/** The row of a field: a property Wacht's API carries. */
export interface FieldRow extends PropertyRow {
  readonly wire: string;
  readonly kind: FieldKind;
  readonly create: boolean;
  readonly update: boolean;
  readonly secret: boolean;
  readonly mayBeEmpty: boolean;
  readonly trimmed: boolean;
  readonly read: string | null;
  readonly values?: readonly string[];
}

/** What a field's row says when it does not say otherwise. */
const FIELD = {
  create: false,
  update: false,
  secret: false,
  mayBeEmpty: false,
  trimmed: false,
  read: null,
  io: "both",
} as const;

/** The fields. Order is the order of the parts in a request and of the managed fields. */
const FIELD_ROWS = {
  firstName: {
    ...FIELD,
    wire: "first_name",
    kind: "text",
    create: true,
    update: true,
    read: "first_name",
    doc: "First name. Cannot be empty: Wacht ignores an empty value, so a name cannot be cleared.",
  },
  lastName: {
    ...FIELD,
    wire: "last_name",
    kind: "text",
    create: true,
    update: true,
    read: "last_name",
    doc: "Last name. Cannot be empty.",
  },
  emailAddress: {
    ...FIELD,
    wire: "email_address",
    kind: "text",
    create: true,
    trimmed: true,
    doc: "Create-only: the new user's primary email address (not the live one: see primaryEmailAddress).",
  },
  phoneNumber: {
    ...FIELD,
    wire: "phone_number",
    kind: "text",
    create: true,
    trimmed: true,
    doc: "Create-only: the new user's phone number (not the live one: see primaryPhoneNumber).",
  },
  username: {
    ...FIELD,
    wire: "username",
    kind: "text",
    create: true,
    update: true,
    trimmed: true,
    read: "username",
    doc: "Username, within the deployment's length limits (3-30 by default); null when none.",
  },
  password: {
    ...FIELD,
    wire: "password",
    kind: "text",
    create: true,
    secret: true,
    trimmed: true,
    io: "in",
    doc: "Write-only: never in state or outputs. Set at creation and whenever passwordVersion changes.",
  },
  skipPasswordCheck: {
    ...FIELD,
    wire: "skip_password_check",
    kind: "bool",
    create: true,
    mayBeEmpty: true,
    doc: "Skip the deployment's password rules when setting the password.",
  },
  disabled: {
    ...FIELD,
    wire: "disabled",
    kind: "bool",
    update: true,
    mayBeEmpty: true,
    read: "disabled",
    doc: "Disable the user. Disabling revokes all of the user's sessions.",
  },
  secondFactorPolicy: {
    ...FIELD,
    wire: "second_factor_policy",
    kind: "enum",
    update: true,
    read: "second_factor_policy",
    values: SECOND_FACTOR_POLICIES,
    doc: 'Per-user second-factor policy: "none", "optional" or "enforced".',
  },
  publicMetadata: {
    ...FIELD,
    wire: "public_metadata",
    kind: "json",
    update: true,
    mayBeEmpty: true,
    read: "public_metadata",
    doc: "Public metadata (any JSON value), compared as JSON.",
  },
  privateMetadata: {
    ...FIELD,
    wire: "private_metadata",
    kind: "json",
    update: true,
    secret: true,
    mayBeEmpty: true,
    read: "private_metadata",
    doc: "Private metadata (any JSON value); always a secret.",
  },
  profileImage: {
    ...FIELD,
    wire: "profile_image",
    kind: "image",
    update: true,
    doc: "Profile image file path (PNG, JPEG, GIF, WEBP or ICO); the state keeps its sha256.",
  },
  removeProfileImage: {
    ...FIELD,
    wire: "remove_profile_image",
    kind: "bool",
    update: true,
    mayBeEmpty: true,
    doc: "Remove the profile image. Cannot be combined with profileImage.",
  },
} as const satisfies Record<string, FieldRow>;

/** A metadata field: a `json` row. */
type MetadataName = {
  [K in keyof typeof FIELD_ROWS]: (typeof FIELD_ROWS)[K]["kind"] extends "json" ? K : never;
}[keyof typeof FIELD_ROWS];

/** The properties each metadata field brings with it; secret when the field is. */
type Companions<F extends MetadataName> = Record<
  `${F}Schema`,
  PropertyRow & { io: (typeof FIELD_ROWS)[F]["secret"] extends true ? "in" : "both" }
> &
  Record<
    `managed${Capitalize<F>}Keys` | `external${Capitalize<F>}Keys`,
    PropertyRow & { io: "out" }
  >;

function companions<F extends MetadataName>(field: F): Companions<F> {
  const { secret } = FIELD_ROWS[field];
  const Field = `${field[0]?.toUpperCase() ?? ""}${field.slice(1)}` as Capitalize<F>;
  const keys = (whose: string): string =>
    `With metadataOwnership "keys": the top-level keys of ${field} ${whose}.`;
  return {
    // A secret's schema may hold secret values (enum, const): declared, never recorded.
    [`${field}Schema`]: {
      type: "any",
      io: secret ? "in" : "both",
      secret,
      doc: `A JSON Schema that ${field} must match, checked at preview (TypeScript: a zod schema).`,
    },
    [`managed${Field}Keys`]: { type: "string[]", io: "out", secret, doc: keys("this manages") },
    [`external${Field}Keys`]: {
      type: "string[]",
      io: "out",
      secret,
      doc: keys("written by someone else (apps, admins), left alone"),
    },
  } as Companions<F>;
}

/** The table: the fields, then the declaration's other properties, then the outputs. */
export const USER_PROPERTIES = {
  userId: {
    type: "string",
    io: "both",
    doc: "The id of an existing Wacht user to manage (a decimal int64 string). Changing it replaces.",
  },
  adopt: {
    type: "AdoptKey",
    io: "both",
    doc: "Find exactly one existing user by { email } or { username } and manage it.",
  },
  ...FIELD_ROWS,
  passwordVersion: {
    type: "string|number",
    io: "both",
    doc: "Bump it (any string or number) to set password again.",
  },
  metadataOwnership: {
    type: "string",
    io: "both",
    doc: '"replace" (default): the declared metadata is the whole value. "keys": only the declared top-level keys are managed.',
  },
  ...companions("publicMetadata"),
  ...companions("privateMetadata"),
  onDelete: {
    type: "string",
    io: "both",
    doc: 'What deleting the resource does to the user: "retain", "disable" or "delete" (default: "delete" for a user this resource created, else "retain").',
  },
  onConflict: {
    type: "string",
    io: "both",
    doc: '"fail" (default): refuse to overwrite a field someone else changed since the last read. "overwrite": last writer wins.',
  },
  allowLockout: {
    type: "boolean",
    io: "both",
    doc: "false: refuse to enforce 2FA on a user with no visible second factor (default: warn).",
  },
  disableAfter: {
    type: "string",
    io: "both",
    doc: 'An ISO 8601 instant with a time zone (e.g. "2027-03-31T23:59:59Z"); from then on the account is declared disabled.',
  },
  origin: {
    type: "string",
    io: "out",
    doc: 'How the user was found: "userId", "adopt" or "create".',
  },
  profilePictureUrl: { type: "string", io: "out", doc: 'The profile image URL; "" when none.' },
  profileImageSha256: {
    type: "string",
    io: "out",
    doc: "sha256 of the image this resource last uploaded.",
  },
  managedFields: { type: "string[]", io: "out", doc: "The declared fields." },
  primaryEmailAddress: { type: "string", io: "out", doc: "The live primary email address." },
  primaryPhoneNumber: { type: "string", io: "out", doc: "The live primary phone number." },
  createdAt: { type: "string", io: "out", doc: "When the user was created (RFC 3339)." },
  updatedAt: { type: "string", io: "out", doc: "When the user was last changed (RFC 3339)." },
  hasPassword: { type: "boolean", io: "out", doc: "Whether the user has a password." },
  hasBackupCodes: { type: "boolean", io: "out", doc: "Whether the user has 2FA backup codes." },
  emailAddresses: { type: "UserEmail[]", io: "out", doc: "The user's email addresses." },
  phoneNumbers: { type: "UserPhone[]", io: "out", doc: "The user's phone numbers." },
  segments: { type: "UserSegment[]", io: "out", doc: "The segments the user belongs to." },
} as const satisfies Record<string, PropertyRow>;

/** The name of a property. */
export type UserPropertyName = keyof typeof USER_PROPERTIES;

/** The fields: the rows Wacht's API carries (with the table's order). */
export const USER_FIELDS = FIELD_ROWS;

/** The name of a row of {@link USER_FIELDS}. */
export type UserFieldName = keyof typeof USER_FIELDS;
