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

/** The metadata fields (`json` rows): each has a schema and, with keys ownership, key lists. */
export const METADATA_FIELDS = names((r) => r.kind === "json") as MetadataField[];

/** A metadata field. */
export type MetadataField = {
  [K in UserFieldName]: Table[K]["kind"] extends "json" ? K : never;
}[UserFieldName];

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

/** The names of the rows that satisfy `test`, in table order. */
function names(test: (row: FieldRow) => boolean): UserFieldName[] {
  return (Object.entries(USER_FIELDS) as [UserFieldName, FieldRow][])
    .filter(([, row]) => test(row))
    .map(([name]) => name);
}

/** The row of `name`. */
export function fieldRow(name: UserFieldName): FieldRow {
  return USER_FIELDS[name];
}

/** Fields the POST that creates a user carries. */
export const CREATE_FIELDS = names((r) => r.create);

/** Fields a PATCH carries: the fields whose change makes an update. */
export const UPDATE_FIELDS = names((r) => r.update) as ManagedField[];

/** A field whose change makes a PATCH. */
export type ManagedField = {
  [K in UserFieldName]: Table[K]["update"] extends true ? K : never;
}[UserFieldName];

/** Fields read back into the output of the same name (and reconciled by value). */
export type ProfileField = {
  [K in ManagedField]: Table[K]["read"] extends string ? K : never;
}[ManagedField];

/** Profile fields: PATCHed by value and exported as scalar outputs; the image is on its own. */
export const PROFILE_FIELDS = names((r) => r.update && r.read !== null) as ProfileField[];

/** Create-only fields: plain text only POST takes; given a userId or adopt they mean nothing. */
export const CREATE_ONLY_FIELDS = names(
  (r) => r.create && !r.update && r.kind === "text" && !r.secret,
);

/** A non-secret field only POST takes: no request reads it back, so the state records it. */
export type RecordedCreateField = {
  [K in UserFieldName]: Table[K] extends { create: true; update: false; secret: false } ? K : never;
}[UserFieldName];

/** The {@link RecordedCreateField}s: as declared, they rebuild a refresh's inputs (read.ts). */
export const RECORDED_CREATE_FIELDS = names(
  (r) => r.create && !r.update && !r.secret,
) as RecordedCreateField[];

/** Names: text stored verbatim (never trimmed) that Wacht cannot clear (it ignores ""). */
export type NameField = {
  [K in UserFieldName]: Table[K] extends { kind: "text"; trimmed: false; mayBeEmpty: false }
    ? K
    : never;
}[UserFieldName];

/** The {@link NameField}s, in table order. */
export const NAME_FIELDS = names(
  (r) => r.kind === "text" && !r.trimmed && !r.mayBeEmpty,
) as NameField[];
