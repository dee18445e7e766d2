// The read-only lists of docs/wacht-api.md §2 that answer `{data: [...], has_more: false}`:
// passkeys (always empty here: the emulator has no WebAuthn) and the user's sessions, one per
// sign-in, so that `disabled=true` deleting every sign-in (§3) is visible through the API.
// Session revocation answers `200 {}`. The session object's shape is not in the spec; it carries ids and times only.
import type { Handler } from "../context";
import { formatTimestamp } from "../clock";
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
