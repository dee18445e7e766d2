// Declaration-side settings that changed without touching the user: no request sends them, but
// the state must follow the declaration, so the plan shows the change and a refresh's inputs stay
// right. Pure.
import { keyList, METADATA_FIELDS } from "../schema/user-field-lists";
import { UNKNOWN } from "../schema/user-fields";
import { DEFAULT_ON_CONFLICT } from "./conflicts";
import { CHECK_SETTINGS } from "./declaration-state";
import { jsonEqual } from "./json-equal";
import { declaredKeys } from "./metadata-ownership";
import type { DiffableDeclaration, DiffableState } from "./field-changes";

/** The settings of `news` that differ from those `olds` recorded. */
export function changedSettings(olds: DiffableState, news: DiffableDeclaration): string[] {
  const changed: string[] = [];
  const recorded = olds.userId !== undefined; // a state, not a create's empty one
  // Ownership must reach state even when the values already match, or a later key removal would
  // never be applied (the removed keys are computed from the recorded ones).
  if ((news.metadataOwnership ?? "replace") !== (olds.metadataOwnership ?? "replace")) {
    changed.push("metadataOwnership");
  }
  if (news.metadataOwnership === "keys") {
    for (const field of METADATA_FIELDS) {
      const keys = olds[keyList("managed", field)];
      const declared = news[field];
      if (
        declared !== undefined &&
        declared !== UNKNOWN &&
        !jsonEqual(declaredKeys(declared), [...(keys ?? [])].sort())
      ) {
        changed.push(`${field} keys`);
      }
    }
  }
  const onConflict = news.onConflict ?? DEFAULT_ON_CONFLICT;
  if (recorded && onConflict !== (olds.onConflict ?? DEFAULT_ON_CONFLICT)) {
    changed.push("onConflict");
  }
  // Settings check judges (an expiry moved in a PR). A state written before the state recorded
  // them (the key missing) is left as it is.
  for (const key of CHECK_SETTINGS) {
    const value = olds[key];
    if (value === undefined || !recorded) continue;
    if (news[key] === UNKNOWN || !jsonEqual(news[key] ?? null, value)) changed.push(key);
  }
  // A placeholder state (a created user that could not be read) is completed by an update.
  if (recorded && olds.updatedAt === undefined && olds.origin !== undefined) {
    changed.push("(unread state)");
  }
  // check always sets onDelete (its default is beside delete, provider/delete.ts).
  if (
    olds.onDelete !== undefined &&
    news.onDelete !== undefined &&
    news.onDelete !== olds.onDelete
  ) {
    changed.push("onDelete");
  }
  return changed;
}
