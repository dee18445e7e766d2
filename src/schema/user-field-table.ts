// The user field table: one row per field a `wacht.User` declaration can send to Wacht, with the
// facts every other module derives its lists from (docs/wacht-api.md §3 PATCH parts, §4 POST parts,
// §5 details). Data only: the derivations are in user-field-lists.ts.
//
//   wire        the multipart part name (POST and PATCH use the same names)
//   kind        text, bool, json, enum or image: how the value is encoded and compared
//   create      sent by POST /users when the resource creates the user
//   update      sent by PATCH /users/{id} when the declared value differs from the live one
//   replaces    a change replaces the resource instead of updating it
//   secret      never shown in a message, a failure or a log
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

/** One row of {@link USER_FIELDS}. */
export interface FieldRow {
  readonly wire: string;
  readonly kind: FieldKind;
  readonly create: boolean;
  readonly update: boolean;
  readonly replaces: boolean;
  readonly secret: boolean;
  readonly mayBeEmpty: boolean;
  readonly trimmed: boolean;
  readonly read: string | null;
  readonly values?: readonly string[];
}

/** The table. Order is the order of the parts in a request and of the managed fields. */
export const USER_FIELDS = {
  firstName: {
    wire: "first_name",
    kind: "text",
    create: true,
    update: true,
    replaces: false,
    secret: false,
    mayBeEmpty: false,
    trimmed: false,
    read: "first_name",
  },
  lastName: {
    wire: "last_name",
    kind: "text",
    create: true,
    update: true,
    replaces: false,
    secret: false,
    mayBeEmpty: false,
    trimmed: false,
    read: "last_name",
  },
  emailAddress: {
    wire: "email_address",
    kind: "text",
    create: true,
    update: false,
    replaces: false,
    secret: false,
    mayBeEmpty: false,
    trimmed: true,
    read: null,
  },
  phoneNumber: {
    wire: "phone_number",
    kind: "text",
    create: true,
    update: false,
    replaces: false,
    secret: false,
    mayBeEmpty: false,
    trimmed: true,
    read: null,
  },
  username: {
    wire: "username",
    kind: "text",
    create: true,
    update: true,
    replaces: false,
    secret: false,
    mayBeEmpty: false,
    trimmed: true,
    read: "username",
  },
  password: {
    wire: "password",
    kind: "text",
    create: true,
    update: false,
    replaces: false,
    secret: true,
    mayBeEmpty: false,
    trimmed: true,
    read: null,
  },
  skipPasswordCheck: {
    wire: "skip_password_check",
    kind: "bool",
    create: true,
    update: false,
    replaces: false,
    secret: false,
    mayBeEmpty: true,
    trimmed: false,
    read: null,
  },
  disabled: {
    wire: "disabled",
    kind: "bool",
    create: false,
    update: true,
    replaces: false,
    secret: false,
    mayBeEmpty: true,
    trimmed: false,
    read: "disabled",
  },
  secondFactorPolicy: {
    wire: "second_factor_policy",
    kind: "enum",
    create: false,
    update: true,
    replaces: false,
    secret: false,
    mayBeEmpty: false,
    trimmed: false,
    read: "second_factor_policy",
    values: SECOND_FACTOR_POLICIES,
  },
  publicMetadata: {
    wire: "public_metadata",
    kind: "json",
    create: false,
    update: true,
    replaces: false,
    secret: false,
    mayBeEmpty: true,
    trimmed: false,
    read: "public_metadata",
  },
  privateMetadata: {
    wire: "private_metadata",
    kind: "json",
    create: false,
    update: true,
    replaces: false,
    secret: true,
    mayBeEmpty: true,
    trimmed: false,
    read: "private_metadata",
  },
  profileImage: {
    wire: "profile_image",
    kind: "image",
    create: false,
    update: true,
    replaces: false,
    secret: false,
    mayBeEmpty: false,
    trimmed: false,
    read: null,
  },
  removeProfileImage: {
    wire: "remove_profile_image",
    kind: "bool",
    create: false,
    update: true,
    replaces: false,
    secret: false,
    mayBeEmpty: true,
    trimmed: false,
    read: null,
  },
} as const satisfies Record<string, FieldRow>;

/** The name of a row of {@link USER_FIELDS}. */
export type UserFieldName = keyof typeof USER_FIELDS;
