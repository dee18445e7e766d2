// GET /users/{user_id}/details, the only single-user read (404 `Resource not found`), and
// DELETE /users/{user_id}, a hard delete with cascades (404 `User not found`, else `200 {}`).
// docs/wacht-api.md §7.
import type { Handler } from "../context";
import { ApiError } from "../errors";
import { detailsView } from "../views";
import { ok, pathId, requireUser, unit } from "./common";

export const getUserDetails: Handler = async (state, ctx) => {
  const user = requireUser(state, ctx, "Resource not found");
  return ok(detailsView(user, state.store.now()));
};

export const deleteUser: Handler = async (state, ctx) => {
  if (!state.store.delete(ctx.deploymentId, pathId(ctx, "user_id"))) {
    throw new ApiError(404, "User not found");
  }
  return unit();
};
