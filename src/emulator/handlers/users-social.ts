// GET /users/{user_id}/social-connections (`{data, has_more: false}`, tokens included) and
// DELETE /users/{user_id}/social-connections/{connection_id} (`200 {}`). docs/wacht-api.md §2.
// Connections can only be created through the control routes (the real ones come from OAuth).
import type { Handler } from "../context";
import { detailsView } from "../views";
import { ok, pathId, unit } from "./common";

export const listSocialConnections: Handler = async (state, ctx) => {
  const user = state.store.get(ctx.deploymentId, pathId(ctx, "user_id"));
  const data = user ? detailsView(user, state.store.now()).social_connections : [];
  return ok({ data, has_more: false });
};

export const deleteSocialConnection: Handler = async (state, ctx) => {
  const user = state.store.get(ctx.deploymentId, pathId(ctx, "user_id"));
  const connectionId = pathId(ctx, "connection_id");
  if (user && user.socialConnections.some((s) => s.id === connectionId)) {
    user.socialConnections = user.socialConnections.filter((s) => s.id !== connectionId);
    state.store.changed();
  }
  return unit();
};
