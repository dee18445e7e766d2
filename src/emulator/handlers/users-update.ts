// PATCH /users/{user_id} (docs/wacht-api.md §3): parse the form, validate against the auth settings,
// update the row (404 `Resource not found` if it is not in this deployment), then remove or upload
// the image. Like the real server this is not atomic: an injected image upload failure returns
// 500 after the field changes were applied.
import type { EmulatorState, Handler } from "../context";
import { deeperThan, firstNonJson, MAX_JSON_DEPTH, type JsonValue } from "../../schema/json";
import { SECOND_FACTOR_POLICIES, type SecondFactorPolicy } from "../../schema/user-field-table";
import { ApiError, internalError } from "../errors";
import { storeImage } from "../image";
import type { StoredUser } from "../model";
import { validateUpdate } from "../validation";
import { detailsView } from "../views";
import { ok, pathId, requireUser } from "./common";
import { readUserForm, type UserForm } from "./form";

const FIELDS = new Set([
  "first_name",
  "last_name",
  "username",
  "public_metadata",
  "private_metadata",
  "disabled",
  "second_factor_policy",
  "remove_profile_image",
]);
export const updateUser: Handler = async (state, ctx) => {
  const userId = pathId(ctx, "user_id");
  const form = await readUserForm(ctx, FIELDS);
  const policy = form.text.get("second_factor_policy");
  if (policy !== undefined && !(SECOND_FACTOR_POLICIES as readonly string[]).includes(policy)) {
    throw new ApiError(
      400,
      `second_factor_policy must be one of: ${SECOND_FACTOR_POLICIES.join(", ")}`,
    );
  }
  validateUpdate(form.text, state.authSettings);
  const user = requireUser(state, ctx, "Resource not found", userId);
  applyFields(state, user, form);
  state.store.touch(user);
  state.store.changed();
  if (form.removeImage) {
    user.profilePictureUrl = "";
    user.image = null;
  } else if (form.image) {
    if (ctx.imageUploadFails()) throw internalError();
    storeImage(user, form.image);
  }
  state.store.changed();
  return ok(detailsView(user, state.store.now()));
};

function applyFields(state: EmulatorState, user: StoredUser, form: UserForm): void {
  const t = form.text;
  const username = t.get("username");
  if (username !== undefined && state.uniqueUsernames) {
    const taken = state.store
      .all(user.deploymentId)
      .some((u) => u.id !== user.id && u.username === username);
    if (taken) throw new ApiError(409, "Resource already exists");
  }
  user.firstName = t.get("first_name") ?? user.firstName;
  user.lastName = t.get("last_name") ?? user.lastName;
  user.username = username ?? user.username;
  user.publicMetadata = metadata(t.get("public_metadata"), user.publicMetadata);
  user.privateMetadata = metadata(t.get("private_metadata"), user.privateMetadata);
  const disabled = t.get("disabled");
  if (disabled === "true") {
    user.disabled = true;
    user.signIns = 0;
  } else if (disabled === "false") {
    user.disabled = false;
  }
  const policy = t.get("second_factor_policy");
  if (policy !== undefined) user.secondFactorPolicy = policy as SecondFactorPolicy;
}

/**
 * Any valid JSON replaces the stored value; whitespace-only or invalid JSON leaves it unchanged.
 * serde_json also rejects numbers out of f64 range (`1e400`, which JSON.parse turns into
 * Infinity) and nesting deeper than 128: such text is "invalid" and ignored too.
 */
function metadata(raw: string | undefined, current: JsonValue): JsonValue {
  if (raw === undefined || raw.trim() === "") return current;
  let parsed: unknown;
  try {
    parsed = JSON.parse(raw);
  } catch {
    return current;
  }
  const accepted = firstNonJson(parsed) === null && !deeperThan(parsed, MAX_JSON_DEPTH);
  return accepted ? (parsed as JsonValue) : current;
}
