// The email sub-routes of docs/wacht-api.md §7: add (no format check, verified_at always set, strategy
// otp), COALESCE update (is_primary:true moves only the user's pointer — the server's bug — and
// 404 `Email not found`), delete (always `200 {}`), make-primary (404 / must be verified).
import { z } from "zod";
import type { EmulatorState, Handler } from "../context";
import { ApiError } from "../errors";
import type { StoredUser } from "../model";
import { emailView } from "../views";
import { ok, pathId, readJson, requireUser, unit } from "./common";

const addBody = z.object({
  email: z.string(),
  verified: z.boolean().nullish(),
  is_primary: z.boolean().nullish(),
});
const updateBody = z.object({
  email: z.string().nullish(),
  verified: z.boolean().nullish(),
  is_primary: z.boolean().nullish(),
});

/** Handles POST /users/{user_id}/emails. */
export const addEmail: Handler = async (state, ctx) => {
  const userId = pathId(ctx, "user_id");
  const req = readJson(ctx, addBody);
  const user = requireUser(state, ctx, "Related resource not found", userId);
  const now = state.store.now();
  const email = {
    id: state.store.nextId(),
    createdAt: now,
    updatedAt: now,
    email: req.email,
    isPrimary: req.is_primary === true,
    verified: req.verified === true,
    verifiedAt: now,
    verificationStrategy: "otp",
  };
  if (email.isPrimary) {
    for (const e of user.emails) e.isPrimary = false;
    user.primaryEmailAddressId = email.id;
  }
  user.emails.push(email);
  changed(state, user);
  return ok(emailView(user, email, now));
};

/** Handles PATCH /users/{user_id}/emails/{email_id}. */
export const updateEmail: Handler = async (state, ctx) => {
  const userId = pathId(ctx, "user_id");
  const emailId = pathId(ctx, "email_id");
  const req = readJson(ctx, updateBody);
  const user = state.store.get(ctx.deploymentId, userId);
  const email = user?.emails.find((e) => e.id === emailId);
  if (!user || !email) throw new ApiError(404, "Email not found");
  const now = state.store.now();
  if (req.email != null) email.email = req.email;
  if (req.verified != null) {
    email.verified = req.verified;
    if (req.verified) email.verifiedAt = now;
  }
  if (req.is_primary === true) user.primaryEmailAddressId = email.id;
  email.updatedAt = now;
  changed(state, user);
  return ok(emailView(user, email, now));
};

/** Handles DELETE /users/{user_id}/emails/{email_id}; also drops linked social connections. */
export const deleteEmail: Handler = async (state, ctx) => {
  const userId = pathId(ctx, "user_id");
  const emailId = pathId(ctx, "email_id");
  const user = state.store.get(ctx.deploymentId, userId);
  if (user && user.emails.some((e) => e.id === emailId)) {
    user.emails = user.emails.filter((e) => e.id !== emailId);
    user.socialConnections = user.socialConnections.filter((s) => s.userEmailAddressId !== emailId);
    if (user.primaryEmailAddressId === emailId) user.primaryEmailAddressId = null;
    changed(state, user);
  }
  return unit();
};

/** Handles POST /users/{user_id}/emails/{email_id}/make-primary. */
export const makeEmailPrimary: Handler = async (state, ctx) => {
  const userId = pathId(ctx, "user_id");
  const emailId = pathId(ctx, "email_id");
  const user = state.store.get(ctx.deploymentId, userId);
  const email = user?.emails.find((e) => e.id === emailId);
  if (!user || !email) throw new ApiError(404, "email not found");
  if (!email.verified) {
    throw new ApiError(400, "email must be verified before it can be marked primary");
  }
  for (const e of user.emails) e.isPrimary = e.id === emailId;
  user.primaryEmailAddressId = emailId;
  changed(state, user);
  return unit();
};

function changed(state: EmulatorState, user: StoredUser): void {
  state.store.reindex(user);
  state.store.changed();
}
