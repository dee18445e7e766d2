// POST /users (docs/wacht-api.md §4): multipart form, both validation stages with their exact
// messages, the create defaults, and the response built "in memory" (9 fractional digits,
// username null when none, profile_picture_url "" even when an image was uploaded).
import type { Handler } from "../context";
import { ApiError } from "../errors";
import { storeImage } from "../image";
import {
  createRequestSchema,
  validateCreateFirstStage,
  validateCreateSecondStage,
} from "../validation";
import { createdView } from "../views";
import { ok } from "./common";
import { readUserForm } from "./form";

const FIELDS = new Set(Object.keys(createRequestSchema.shape));

export const createUser: Handler = async (state, ctx) => {
  const form = await readUserForm(ctx, FIELDS);
  const req = createRequestSchema.parse(Object.fromEntries(form.text));
  validateCreateFirstStage(req, state.authSettings);
  validateCreateSecondStage(req, state.authSettings);
  const existing = state.store.all(ctx.deploymentId);
  if (
    (state.uniqueUsernames && req.username && existing.some((u) => u.username === req.username)) ||
    (state.uniqueEmails &&
      req.email_address &&
      existing.some((u) => u.emails.some((e) => e.email === req.email_address)))
  ) {
    throw new ApiError(409, "Resource already exists");
  }
  const user = state.store.create(ctx.deploymentId, {
    firstName: req.first_name,
    lastName: req.last_name,
    username: req.username ?? "",
    email: req.email_address ?? null,
    phoneNumber: req.phone_number ?? null,
    hasPassword: req.password !== undefined,
  });
  if (form.image) {
    storeImage(user, form.image);
    state.store.changed();
  }
  const extraNanos = 1 + Math.floor(Math.random() * 999);
  return ok(createdView(user, extraNanos, req.phone_number ?? null));
};
