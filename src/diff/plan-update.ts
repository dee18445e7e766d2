// The update planner: pure. From the state (the last read), the live user and the declaration it
// decides what one PATCH sends, what blocks it (someone else's edit, a guard rail), what to warn
// about, and what state to keep if the PATCH fails. No request, no file, no clock: table-driven
// tests cover it (test/unit/provider).
import type { JsonValue } from "../schema/json";
import {
  keyList,
  keyLists,
  METADATA_FIELDS,
  type ManagedField,
  type MetadataField,
} from "../schema/user-field-lists";
import type { LiveUser, UserDeclaration, UserOutputs } from "../schema/user-state";
import { findConflicts, type FieldConflict } from "./conflicts";
import {
  declarationFromState,
  declarationOf,
  toOutputs,
  type DeclarationState,
} from "./declaration-state";
import { changedFields } from "./field-changes";
import { lockoutRisk, sideEffectWarnings } from "./guard-rails";
import { mergeMetadata } from "./metadata-ownership";

/** What an update (or the PATCH after a create) does. */
export interface UpdatePlan {
  /** Fields whose live value differs from the declaration: the PATCH sends these. */
  patch: ManagedField[];
  /** With metadataOwnership "keys": the merged metadata to send instead of the declared value. */
  merged: { publicMetadata?: JsonValue; privateMetadata?: JsonValue };
  /** Fields someone else changed since the last read (empty with onConflict "overwrite"). */
  conflicts: FieldConflict[];
  /** A guard rail's refusal (allowLockout: false), or null. */
  refusal: string | null;
  /** What the PATCH will do beyond the fields themselves. */
  warnings: string[];
  /** The declaration-side state after success. */
  declaration: DeclarationState;
  /** The declaration-side state to keep when the PATCH fails. */
  stateOnFailure: DeclarationState;
}

/** Plans the write of `news` over `live`, given the `state` of the last read (`{}` for a create). */
export function planUpdate(
  state: Partial<UserOutputs>,
  live: LiveUser,
  news: UserDeclaration,
): UpdatePlan {
  const declaration = declarationOf(news);
  const previous = declarationFromState(state);
  const keysMode = previous.metadataOwnership === "keys";
  const managedBefore = (f: MetadataField) => previous[keyList("managed", f)];
  // Keys managed before or now: the server may still hold keys the declaration removed.
  const managedEver = (f: MetadataField) =>
    [...new Set([...managedBefore(f), ...declaration[keyList("managed", f)]])].sort();
  // Against the live user: a field already equal to the declaration (set by someone else, or by
  // an earlier attempt of ours whose answer was lost) is neither sent nor a conflict.
  const liveState = toOutputs(live, previous);
  const patch = changedFields(liveState, news);
  const conflicts =
    declaration.onConflict === "overwrite"
      ? []
      : findConflicts(
          state as UserOutputs,
          liveState,
          patch,
          news,
          Object.fromEntries(METADATA_FIELDS.map((f) => [f, keysMode ? managedEver(f) : null])),
        );

  const risk = lockoutRisk(live.userId, patch, news, live); // both judge only fields in the patch
  const refusal =
    risk !== null && news.allowLockout === false
      ? `${risk}; refusing because allowLockout is false. Give the user backup codes or a verified phone first, or allow it.`
      : null;
  const warnings = [
    ...(risk !== null && refusal === null
      ? [`${risk}. Set allowLockout: false to refuse instead.`]
      : []),
    ...sideEffectWarnings(live.userId, patch, news),
  ];

  // Read-merge-write: keys written by others survive; keys we no longer declare are deleted.
  const merged: UpdatePlan["merged"] = {};
  if (declaration.metadataOwnership === "keys") {
    for (const field of METADATA_FIELDS) {
      const declared = news[field];
      if (patch.includes(field) && declared !== undefined) {
        merged[field] = mergeMetadata("keys", declared, liveState[field], managedBefore(field));
      }
    }
  }

  // Removed keys stay managed (the union), so the next `up` still deletes them; the image and
  // the password are retried by the next `up`.
  const stateOnFailure: DeclarationState = {
    ...declaration,
    ...keyLists("managed", managedEver),
    profileImageSha256: previous.profileImageSha256,
    passwordVersion: previous.passwordVersion,
  };
  return { patch, merged, conflicts, refusal, warnings, declaration, stateOnFailure };
}
