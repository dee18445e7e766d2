// Every list of user fields and properties, derived from the one table (user-field-table.ts).
// Nothing here names a field: adding a row to the table adds it to every list it belongs in.
import {
  USER_FIELDS,
  USER_PROPERTIES,
  type FieldRow,
  type PropertyRow,
  type PropertyType,
  type UserFieldName,
  type UserPropertyName,
} from "./user-field-table";

type Table = typeof USER_FIELDS;
type Properties = typeof USER_PROPERTIES;

/** The properties whose row satisfies `test`, in table order. */
function properties(test: (row: PropertyRow) => boolean): UserPropertyName[] {
  return (Object.entries(USER_PROPERTIES) as [UserPropertyName, PropertyRow][])
    .filter(([, row]) => test(row))
    .map(([name]) => name);
}

/** A declared property (an input of the resource). */
export type UserInputName = {
  [K in UserPropertyName]: Properties[K]["io"] extends "out" ? never : K;
}[UserPropertyName];

/** A recorded property (an output of the resource). */
export type UserOutputName = {
  [K in UserPropertyName]: Properties[K]["io"] extends "in" ? never : K;
}[UserPropertyName];

/** The declared properties: what `check` accepts. */
export const INPUT_PROPERTIES = properties((r) => r.io !== "out") as UserInputName[];

/** The recorded properties: what the state holds. */
export const OUTPUT_PROPERTIES = properties((r) => r.io !== "in") as UserOutputName[];

/** Declared properties that are secret: wrapped as secrets before they leave the program. */
export const SECRET_INPUTS = properties((r) => r.io !== "out" && r.secret === true);

/** Recorded properties that are secret: ciphertext in state. */
export const SECRET_OUTPUTS = properties((r) => r.io !== "in" && r.secret === true);

/** A property's schema type (a field's follows from its kind). */
export function propertyType(name: UserPropertyName): PropertyType {
  const row: PropertyRow = USER_PROPERTIES[name];
  if (row.type !== undefined) return row.type;
  const kind = (row as FieldRow).kind;
  return kind === "bool" ? "boolean" : kind === "json" ? "any" : "string";
}

/** The fields whose row has the values of `pattern`. */
export type FieldsWhere<P> = {
  [K in UserFieldName]: Table[K] extends P ? K : never;
}[UserFieldName];

/** The fields whose row has every value of `pattern`, in table order: one rule for type and list. */
function fieldsWhere<const P extends Partial<FieldRow>>(pattern: P): FieldsWhere<P>[] {
  const matches = (row: FieldRow) =>
    Object.entries(pattern).every(([column, value]) => row[column as keyof FieldRow] === value);
  return (Object.keys(USER_FIELDS) as UserFieldName[]).filter((name) =>
    matches(USER_FIELDS[name]),
  ) as FieldsWhere<P>[];
}

/** The row of `name`. */
export function fieldRow(name: UserFieldName): FieldRow {
  return USER_FIELDS[name];
}

/** The metadata fields (`json` rows): each has a schema and, with keys ownership, key lists. */
export const METADATA_FIELDS = fieldsWhere({ kind: "json" });
export type MetadataField = (typeof METADATA_FIELDS)[number];

/** The state's key list of a metadata field: `managedPublicMetadataKeys`, `externalPrivateMetadataKeys`, … */
export type KeyListName<
  W extends "managed" | "external",
  F extends MetadataField = MetadataField,
> = `${W}${Capitalize<F>}Keys`;

/** The name of the key list `whose` of `field` (the table's companions, user-field-table.ts). */
export function keyList<W extends "managed" | "external", F extends MetadataField>(
  whose: W,
  field: F,
): KeyListName<W, F> {
  return `${whose}${field.charAt(0).toUpperCase()}${field.slice(1)}Keys` as KeyListName<W, F>;
}

/** The key lists `whose` of every metadata field, each given by `keys`. */
export function keyLists<W extends "managed" | "external">(
  whose: W,
  keys: (field: MetadataField) => string[],
): Record<KeyListName<W>, string[]> {
  const lists = METADATA_FIELDS.map((field) => [keyList(whose, field), keys(field)]);
  return Object.fromEntries(lists) as Record<KeyListName<W>, string[]>;
}

/** Fields the POST that creates a user carries. */
export const CREATE_FIELDS = fieldsWhere({ create: true });

/** Fields a PATCH carries: the fields whose change makes an update (a managed field). */
export const UPDATE_FIELDS = fieldsWhere({ update: true });
export type ManagedField = (typeof UPDATE_FIELDS)[number];

/** Fields read back into the output of the same name (and reconciled by value). */
export type ProfileField = FieldsWhere<{ update: true; read: string }>;

/** Profile fields: PATCHed by value and exported as scalar outputs; the image is on its own. */
export const PROFILE_FIELDS = UPDATE_FIELDS.filter(
  (f) => USER_FIELDS[f].read !== null,
) as ProfileField[];

/** Create-only fields: plain text only POST takes; given a userId or adopt they mean nothing. */
export const CREATE_ONLY_FIELDS = fieldsWhere({
  create: true,
  update: false,
  kind: "text",
  secret: false,
});

/**
 * Non-secret fields only POST takes: no request reads them back, so the state records them; as
 * declared, they rebuild a refresh's inputs (read.ts).
 */
export const RECORDED_CREATE_FIELDS = fieldsWhere({ create: true, update: false, secret: false });
export type RecordedCreateField = (typeof RECORDED_CREATE_FIELDS)[number];

/** Names: text stored verbatim (never trimmed) that Wacht cannot clear (it ignores ""). */
export const NAME_FIELDS = fieldsWhere({ kind: "text", trimmed: false, mayBeEmpty: false });
export type NameField = (typeof NAME_FIELDS)[number];
