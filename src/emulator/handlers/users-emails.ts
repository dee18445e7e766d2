// The email sub-routes of docs/wacht-api.md §7: add (no format check, verified_at always set, strategy
// otp), COALESCE update (is_primary:true moves only the user's pointer — the server's bug — and
// 404 `Email not found`), delete (always `200 {}`), make-primary (404 / must be verified).
import { z } from "zod";
import type { Handler } from "../context";
import { ApiError } from "../errors";
import type { StoredUser } from "../model";
import { emailView } from "../views";
import { changed, ok, pathId, readJson, requireUser, rowLookup, unit } from "./common";

const updateBody = z.object({
  email: z.string().nullish(),
  verified: z.boolean().nullish(),
  is_primary: z.boolean().nullish(),
});
const addBody = updateBody.extend({ email: z.string() });
const emails = (user: StoredUser) => user.emails;

export const addEmail: Handler = async (state, ctx) => {
  const userId = pathId(ctx, "user_id");
  const req = readJson(ctx, addBody);
  const user = requireUser(state, ctx, "Related resource not found", userId);
  const email = state.store.newEmail(req.email, req.is_primary === true, req.verified === true);
  if (email.isPrimary) {
    for (const e of user.emails) e.isPrimary = false;
    user.primaryEmailAddressId = email.id;
  }
  user.emails.push(email);
  changed(state, user);
  return ok(emailView(user, email, email.createdAt));
};

export const updateEmail: Handler = async (state, ctx) => {
  const lookup = rowLookup(state, ctx, emails, "email_id", "Email not found");
  const req = readJson(ctx, updateBody);
  const { user, row: email } = lookup();
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

/** Also drops the social connections linked to the email. */
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

export const makeEmailPrimary: Handler = async (state, ctx) => {
  const { user, row: email } = rowLookup(state, ctx, emails, "email_id", "email not found")();
  if (!email.verified) {
    throw new ApiError(400, "email must be verified before it can be marked primary");
  }
  for (const e of user.emails) e.isPrimary = e === email;
  user.primaryEmailAddressId = email.id;
  changed(state, user);
  return unit();
};
