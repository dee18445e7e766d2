// Every list of user fields, derived from the one table (user-field-table.ts). Nothing here
// names a field: adding a row to the table adds it to every list it belongs in.
import { USER_FIELDS, type FieldRow, type UserFieldName } from "./user-field-table";

type Table = typeof USER_FIELDS;

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

/** The image pseudo-fields: managed, but compared by content hash and URL, never read back. */
export const IMAGE_FIELDS = names((r) => r.update && r.read === null) as Exclude<
  ManagedField,
  ProfileField
>[];

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
