// The inputs an import declares, from the live user: `pulumi import` writes them into the
// generated program, and the next preview of that program must plan no change. So: the user's
// id, and each managed field the user has a value for, as read. A secret field (private
// metadata) is never written into a program in clear: left out, it is simply not managed.
import { fieldRow, PROFILE_FIELDS } from "../schema/user-field-lists";
import type { UserInputs, UserOutputs } from "../schema/user-state";

/** What an import of `state` (a user just read by id) declares and manages. */
export function importInputs(state: UserOutputs): {
  inputs: Partial<UserInputs>;
  managedFields: string[];
} {
  const managedFields = PROFILE_FIELDS.filter((field) => {
    const value = state[field];
    const row = fieldRow(field);
    if (value === null || row.secret) return false;
    // Wacht ignores "" for these, so check refuses to declare it.
    return !(row.kind === "text" && !row.mayBeEmpty && value === "");
  });
  const values = Object.fromEntries(managedFields.map((f) => [f, state[f]]));
  return {
    inputs: { userId: state.userId, ...values, onDelete: state.onDelete },
    managedFields,
  };
}
