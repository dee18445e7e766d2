// The user's related lists and their removals (docs/wacht-api.md §2), `{data, has_more: false}`:
// passkeys (always empty here: the emulator has no WebAuthn); the sessions, one per sign-in, so
// that `disabled=true` deleting every sign-in (§3) is visible through the API (revocation answers
// `200 {}`; the session object's shape is not in the spec, it carries ids and times only); and the
// social connections, tokens included, which only the control routes create (the real ones come
// from OAuth).
import type { Handler } from "../context";
import { formatTimestamp } from "../clock";
import { detailsView } from "../views";
import { ok, pathId, unit } from "./common";

/** GET lists the emulator has no data for: `{data: [], has_more: false}`. */
export const emptyList: Handler = async (_state, ctx) => {
  pathId(ctx, "user_id");
  return ok({ data: [], has_more: false });
};

/** GET /users/{user_id}/sessions: one entry per stored sign-in. */
export const listSessions: Handler = async (state, ctx) => {
  const user = state.store.get(ctx.deploymentId, pathId(ctx, "user_id"));
  const now = formatTimestamp(state.store.now());
  const count = user?.signIns ?? 0;
  const data = Array.from({ length: count }, (_, i) => ({
    id: String(BigInt(user?.id ?? "0") * 100n + BigInt(i + 1)),
    user_id: user?.id ?? "",
    created_at: now,
    updated_at: now,
  }));
  return ok({ data, has_more: false });
};

/** POST /users/{user_id}/sessions/revoke-all: deletes every sign-in. */
export const revokeAllSessions: Handler = async (state, ctx) => {
  const user = state.store.get(ctx.deploymentId, pathId(ctx, "user_id"));
  if (user && user.signIns > 0) {
    user.signIns = 0;
    state.store.changed();
  }
  return unit();
};

/** POST /users/{user_id}/sessions/{signin_id}/revoke: deletes one sign-in. */
export const revokeSession: Handler = async (state, ctx) => {
  const user = state.store.get(ctx.deploymentId, pathId(ctx, "user_id"));
  pathId(ctx, "signin_id");
  if (user && user.signIns > 0) {
    user.signIns -= 1;
    state.store.changed();
  }
  return unit();
};

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
