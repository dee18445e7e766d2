// PATCH /users/{user_id}/password (JSON; password rules unless skipped; no existence check, so an
// unknown user still gets `200 {}`) and DELETE /users/{user_id}/password (404 `user not found`).
// docs/wacht-api.md §7.
import { z } from "zod";
import type { Handler } from "../context";
import { validatePassword } from "../validation";
import { pathId, readJson, requireUser, unit } from "./common";

const body = z.object({
  new_password: z.string(),
  skip_password_check: z.boolean().nullish(),
});

export const setPassword: Handler = async (state, ctx) => {
  const userId = pathId(ctx, "user_id");
  const req = readJson(ctx, body);
  if (req.skip_password_check !== true)
    validatePassword(req.new_password, state.authSettings.password);
  const user = state.store.get(ctx.deploymentId, userId);
  if (user) {
    user.hasPassword = true;
    user.lastPasswordResetAt = state.store.now();
    state.store.touch(user);
    state.store.changed();
  }
  return unit();
};

export const removePassword: Handler = async (state, ctx) => {
  const user = requireUser(state, ctx, "user not found");
  user.hasPassword = false;
  state.store.touch(user);
  state.store.changed();
  return unit();
};
