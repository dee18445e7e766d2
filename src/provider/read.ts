// read (refresh) for wacht.User: the live user as state, and inputs that match it so the next
// diff is right. With delta refresh, a user whose updated_at is unchanged in one listing of all
// users is not read again.
import { sameInstant } from "../diff/timestamps";
import type { JsonObject, JsonValue } from "../schema/json";
import { RECORDED_CREATE_FIELDS } from "../schema/user-field-lists";
import type { UserInputs, UserOutputs } from "../schema/user-state";
import type { ApiUserDetails } from "../schema/wire";
import type { Call } from "./call";
import { detailsFromState } from "./details-from-state";
import { isNotFound, isUnauthorized, REFRESH_KEY_HINT, withContext } from "./errors";
import { warn } from "./log";
import { PASSWORD_HELD } from "./password-vault";
import { declarationFromState, toOutputs } from "./to-outputs";

/** What read returns to the engine; an empty id means the user is gone. */
export interface ReadResult {
  id: string;
  props?: UserOutputs;
  inputs?: Partial<UserInputs>;
}

/** Refresh: the live user, and inputs that match it. */
export async function readUser(
  call: Call,
  id: string,
  state: Partial<UserOutputs>,
): Promise<ReadResult> {
  const userId = state.userId ?? id;
  const delta = call.delta;
  if (delta !== undefined && state.updatedAt !== undefined && state.managedFields !== undefined) {
    const listed = await delta.updatedAt(userId);
    if (listed !== undefined && sameInstant(listed, state.updatedAt)) {
      // Unchanged since the last read: no details GET. The user on the server is this state, as
      // of the listing: an update right after this refresh plans against it instead of a GET
      // (recent-reads.ts). Rebuilt through flatten, so a state an older version wrote gets
      // every key this version records.
      const details = detailsFromState(state);
      if (details === undefined) {
        const outs = state as UserOutputs;
        return { id: userId, props: outs, inputs: inputsFromState(outs) };
      }
      call.reads.remember(details, delta.listedAt);
      const outs = toOutputs(details, declarationFromState(state));
      return { id: userId, props: outs, inputs: inputsFromState(outs) };
    }
  }
  let details: ApiUserDetails;
  try {
    details = await call.client.users.get(userId);
  } catch (err) {
    if (isNotFound(err)) {
      warn(
        `Wacht user ${userId} no longer exists (deleted outside Pulumi); it is removed from the state. ` +
          `Remove its declaration, or point it at an existing user, before the next \`pulumi up\`.`,
      );
      return { id: "" };
    }
    const hint = isUnauthorized(err) ? REFRESH_KEY_HINT : undefined;
    withContext(`reading Wacht user ${userId} failed`, err, hint);
  }
  call.reads.remember(details); // an update right after this refresh uses it (recent-reads.ts)
  const outs = toOutputs(details, declarationFromState(state));
  return { id: outs.userId, props: outs, inputs: inputsFromState(outs) };
}

/** The inputs that describe a state after a refresh (live values for the managed fields). */
export function inputsFromState(outs: UserOutputs): Partial<UserInputs> {
  // `outs` may be a state written by an older version (delta refresh returns the state as it
  // is), so a key may be missing: nothing undefined may reach the inputs (the engine's Struct
  // encoding rejects it).
  const inputs: Partial<UserInputs> = { onDelete: outs.onDelete };
  if (outs.origin === "userId") inputs.userId = outs.userId;
  if (outs.origin === "adopt" && outs.adopt !== null) inputs.adopt = outs.adopt;
  if (outs.metadataOwnership === "keys") inputs.metadataOwnership = "keys";
  if (outs.passwordVersion != null) {
    inputs.passwordVersion = outs.passwordVersion;
    inputs.passwordHandle = PASSWORD_HELD; // what check returns while a password is declared
  }
  if (outs.onConflict != null) inputs.onConflict = outs.onConflict; // check sets it always
  // Declared values no request reads back: as recorded, so a plan after a refresh shows no "+".
  for (const field of RECORDED_CREATE_FIELDS) {
    if (outs[field] != null) Object.assign(inputs, { [field]: outs[field] });
  }
  if (outs.allowLockout != null) inputs.allowLockout = outs.allowLockout;
  if (outs.disableAfter != null) inputs.disableAfter = outs.disableAfter;
  if (outs.publicMetadataSchema != null) inputs.publicMetadataSchema = outs.publicMetadataSchema;
  const values: Record<string, unknown> = {};
  for (const field of outs.managedFields) {
    if (field === "profileImage") {
      values["profileImage"] = outs.profileImage;
      if (outs.profileImageSha256 !== null) inputs.profileImageSha256 = outs.profileImageSha256;
    } else if (field === "removeProfileImage") {
      inputs.removeProfileImage = outs.removeProfileImage;
    } else if (
      (field === "publicMetadata" || field === "privateMetadata") &&
      outs.metadataOwnership === "keys"
    ) {
      const keys =
        field === "publicMetadata"
          ? outs.managedPublicMetadataKeys
          : outs.managedPrivateMetadataKeys;
      const live = (outs[field] ?? {}) as JsonObject;
      const kept: JsonObject = {};
      for (const k of keys) if (k in live) kept[k] = live[k] as JsonValue;
      inputs[field] = kept;
    } else if (field in outs) {
      values[field] = outs[field as keyof UserOutputs]; // a profile field: same name, same type
    }
  }
  return { ...inputs, ...(values as Partial<UserInputs>) };
}
