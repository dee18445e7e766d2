// POST /users (docs/wacht-api.md §4): multipart form, both validation stages with their exact
// messages, the create defaults, and the response built "in memory" (9 fractional digits,
// username null when none, profile_picture_url "" even when an image was uploaded).
import type { Handler } from "../context";
import { ApiError } from "../errors";
import { storeImage } from "../image";
import {
  validateCreateFirstStage,
  validateCreateSecondStage,
  type CreateRequest,
} from "../validation";
import { createdView } from "../views";
import { ok } from "./common";
import { readUserForm } from "./form";

const FIELDS = new Set([
  "first_name",
  "last_name",
  "email_address",
  "phone_number",
  "username",
  "password",
  "skip_password_check",
]);

export const createUser: Handler = async (state, ctx) => {
  const form = await readUserForm(ctx, FIELDS);
  const trimmed = (name: string): string | undefined => {
    const v = form.text.get(name)?.trim();
    return v === undefined || v === "" ? undefined : v;
  };
  const req: CreateRequest = {
    firstName: form.text.get("first_name") ?? "",
    lastName: form.text.get("last_name") ?? "",
    email: trimmed("email_address"),
    phone: trimmed("phone_number"),
    username: trimmed("username"),
    password: trimmed("password"),
    skipPasswordCheck: form.text.get("skip_password_check") === "true",
  };
  validateCreateFirstStage(req, state.authSettings);
  validateCreateSecondStage(req, state.authSettings);
  const existing = state.store.all(ctx.deploymentId);
  if (
    (state.uniqueUsernames && req.username && existing.some((u) => u.username === req.username)) ||
    (state.uniqueEmails &&
      req.email &&
      existing.some((u) => u.emails.some((e) => e.email === req.email)))
  ) {
    throw new ApiError(409, "Resource already exists");
  }
  const user = state.store.create(ctx.deploymentId, {
    firstName: req.firstName,
    lastName: req.lastName,
    username: req.username ?? "",
    email: req.email ?? null,
    phoneNumber: req.phone ?? null,
    hasPassword: req.password !== undefined,
  });
  if (form.image) {
    storeImage(user, form.image);
    state.store.changed();
  }
  const extraNanos = 1 + Math.floor(Math.random() * 999);
  return ok(createdView(user, extraNanos, req.phone ?? null));
};
