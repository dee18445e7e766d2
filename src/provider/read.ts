// read (refresh) for wacht.User: the live user as state, and inputs that match it so the next
// diff is right. The live user comes from the run's listing when it shows the user unchanged
// (delta refresh, live/live-users.ts), else from a GET.
import { CHECK_SETTINGS, declarationFromState, toOutputs } from "../diff/declaration-state";
import type { JsonObject } from "../schema/json";
import { keyList, RECORDED_CREATE_FIELDS } from "../schema/user-field-lists";
import type { UserInputs, UserOutputs } from "../schema/user-state";
import { isNotFound, isUnauthorized, REFRESH_KEY_HINT, withContext } from "./errors";
import type { Live, LiveUsers } from "./live/live-users";
import { warn } from "./log";
import { PASSWORD_HELD } from "./password-vault";

/** What read returns to the engine; an empty id means the user is gone. */
export interface ReadResult {
  id: string;
  props?: UserOutputs;
  inputs?: Partial<UserInputs>;
}

export async function readUser(
  users: LiveUsers,
  id: string,
  state: Partial<UserOutputs>,
): Promise<ReadResult> {
  const userId = state.userId ?? id;
  let live: Live;
  try {
    live = await users.refreshed(userId, state);
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
  // Through toOutputs: a state an older version wrote gets every key this version records.
  const outs = toOutputs(live.user, declarationFromState(state));
  return { id: userId, props: outs, inputs: inputsFromState(outs) };
}

/** The inputs that describe a state after a refresh (live values for the managed fields). */
function inputsFromState(outs: UserOutputs): Partial<UserInputs> {
  // check always sets onDelete and onConflict, so the inputs say them.
  const inputs: Partial<UserInputs> = { onDelete: outs.onDelete, onConflict: outs.onConflict };
  if (outs.origin === "userId") inputs.userId = outs.userId;
  if (outs.origin === "adopt" && outs.adopt !== null) inputs.adopt = outs.adopt;
  if (outs.metadataOwnership === "keys") inputs.metadataOwnership = "keys";
  if (outs.passwordVersion !== null) {
    inputs.passwordVersion = outs.passwordVersion;
    inputs.passwordHandle = PASSWORD_HELD; // what check returns while a password is declared
  }
  // Declared values no request reads back: as recorded, so a plan after a refresh shows no "+".
  for (const key of [...RECORDED_CREATE_FIELDS, ...CHECK_SETTINGS]) {
    if (outs[key] !== null) Object.assign(inputs, { [key]: outs[key] });
  }
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
      const keys = outs[keyList("managed", field)];
      const live = (outs[field] ?? {}) as JsonObject;
      // Own keys only, defined (not assigned): "constructor" is no inherited value, "__proto__" a key.
      inputs[field] = Object.fromEntries(
        keys.filter((k) => Object.hasOwn(live, k)).map((k) => [k, live[k]]),
      ) as JsonObject;
    } else if (field in outs) {
      values[field] = outs[field as keyof UserOutputs]; // a profile field: same name, same type
    }
  }
  return { ...inputs, ...(values as Partial<UserInputs>) };
}
