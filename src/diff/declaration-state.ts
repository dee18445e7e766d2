// A wacht.User's state: the live user and, beside it, what the declaration said (DeclarationState),
// read from checked inputs or from a state, with the defaults of the declaration-side policies.
// With provider/expand.ts (declaration → request) and provider/live/live-user.ts (wire → live
// user), the only place that maps declaration and state. Pure.
import type {
  LiveUser,
  RecordedCreateOutputs,
  UserInputs,
  UserOrigin,
  UserOutputs,
} from "../schema/user-state";
import type { OnDeletePolicy } from "../schema/user-fields";
import {
  keyList,
  keyLists,
  RECORDED_CREATE_FIELDS,
  UPDATE_FIELDS,
  type KeyListName,
} from "../schema/user-field-lists";
import { DEFAULT_ON_CONFLICT } from "./conflicts";
import { declaredKeys, externalKeys } from "./metadata-ownership";

/** Where a declaration (checked or not) says the user comes from: the one rule for it. */
export function originOf(news: { userId?: unknown; adopt?: unknown }): UserOrigin {
  if (news.userId !== undefined) return "userId";
  if (news.adopt !== undefined) return "adopt";
  return "create";
}

/**
 * The onDelete policy when the declaration names none (check fills it in): a user the resource
 * creates is its own, so deleting the resource deletes it; a user it was given (userId) or
 * adopted belongs to someone else first and is kept.
 */
export function defaultOnDelete(origin: UserOrigin): OnDeletePolicy {
  return origin === "create" ? "delete" : "retain";
}

/**
 * The declaration-side values that the state keeps next to the live user: the state without the
 * live user and the key lists of others' metadata keys. Declared values that no request reads
 * back (create-only parts and check-only settings) are among them, so a refresh's inputs still
 * carry them (read.ts), or a plan after a refresh would show each as newly added.
 */
export type DeclarationState = Omit<UserOutputs, keyof LiveUser | KeyListName<"external">>;

/** Reads the declaration-side values out of checked inputs. */
export function declarationOf(inputs: Partial<UserInputs>): DeclarationState {
  const origin = originOf(inputs);
  const keysMode = inputs.metadataOwnership === "keys";
  return {
    ...recorded(inputs),
    origin,
    adopt: origin === "adopt" ? (inputs.adopt ?? null) : null,
    onDelete: inputs.onDelete ?? defaultOnDelete(origin),
    metadataOwnership: keysMode ? "keys" : "replace",
    ...keyLists("managed", (f) => (keysMode ? declaredKeys(inputs[f]) : [])),
    removeProfileImage: inputs.removeProfileImage === true,
    passwordVersion: inputs.passwordVersion !== undefined ? String(inputs.passwordVersion) : null,
    managedFields: UPDATE_FIELDS.filter((f) => inputs[f] !== undefined),
  };
}

/** The declaration-side values kept in a state (for read and update without a declaration). */
export function declarationFromState(state: Partial<UserOutputs>): DeclarationState {
  return {
    ...recorded(state),
    origin: state.origin ?? "userId",
    adopt: state.adopt ?? null,
    onDelete: state.onDelete ?? defaultOnDelete(state.origin ?? "userId"),
    metadataOwnership: state.metadataOwnership ?? "replace",
    ...keyLists("managed", (f) => state[keyList("managed", f)] ?? []),
    removeProfileImage: state.removeProfileImage ?? false,
    passwordVersion: state.passwordVersion ?? null,
    managedFields: state.managedFields ?? [],
  };
}

/** Declared settings that only check reads: no request sends them or reads them back. */
export const CHECK_SETTINGS = ["allowLockout", "disableAfter", "publicMetadataSchema"] as const;

/** The values inputs and a state hold under the same name, `null` (or the default) when absent. */
function recorded(from: Partial<UserInputs> | Partial<UserOutputs>) {
  const create: Record<string, string | boolean | null> = {};
  for (const field of RECORDED_CREATE_FIELDS) create[field] = from[field] ?? null;
  return {
    // Each value has its field's type (the inputs were checked; states were written from them).
    ...(create as RecordedCreateOutputs),
    onConflict: from.onConflict ?? DEFAULT_ON_CONFLICT,
    profileImage: from.profileImage ?? null,
    profileImageSha256: from.profileImageSha256 ?? null,
    allowLockout: from.allowLockout ?? null,
    disableAfter: from.disableAfter ?? null,
    publicMetadataSchema: from.publicMetadataSchema ?? null,
  };
}

/** The state of `live` under `declaration`. Every value is JSON; nothing is `undefined`. */
export function toOutputs(live: LiveUser, declaration: DeclarationState): UserOutputs {
  const keys = declaration.metadataOwnership === "keys";
  return {
    ...live,
    ...declaration,
    ...keyLists("external", (f) =>
      keys ? externalKeys(live[f], declaration[keyList("managed", f)]) : [],
    ),
  };
}

/**
 * The state of a user known only by id (created, but not readable right now): the id and the
 * declaration-side values, and NO live field, so nothing in it is wrong. The missing
 * `updatedAt` marks it: the next diff reports a change and the update reads the user first.
 */
export function placeholderOutputs(
  userId: string,
  declaration: DeclarationState,
): Partial<UserOutputs> {
  return { userId, ...declaration };
}
