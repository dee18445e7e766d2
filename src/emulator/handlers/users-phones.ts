// The phone sub-routes of docs/wacht-api.md §7: add (country_code required → 422 when missing; an
// unverified phone has a NULL verified_at, shown as "now"), COALESCE update (404 `Phone number not
// found`), delete (always `200 {}`), make-primary (404 `phone not found` / must be verified).
import { z } from "zod";
import type { Handler } from "../context";
import { ApiError } from "../errors";
import type { StoredUser } from "../model";
import { phoneView } from "../views";
import { changed, ok, pathId, readJson, requireUser, rowLookup, unit } from "./common";

const updateBody = z.object({
  phone_number: z.string().nullish(),
  country_code: z.string().nullish(),
  verified: z.boolean().nullish(),
  is_primary: z.boolean().nullish(),
});
const addBody = updateBody.extend({ phone_number: z.string(), country_code: z.string() });
const phones = (user: StoredUser) => user.phones;

export const addPhone: Handler = async (state, ctx) => {
  const userId = pathId(ctx, "user_id");
  const req = readJson(ctx, addBody);
  const user = requireUser(state, ctx, "Related resource not found", userId);
  const phone = state.store.newPhone(req.phone_number, req.country_code, req.verified === true);
  if (req.is_primary === true) user.primaryPhoneNumberId = phone.id;
  user.phones.push(phone);
  changed(state, user);
  return ok(phoneView(user, phone, phone.createdAt));
};

export const updatePhone: Handler = async (state, ctx) => {
  const lookup = rowLookup(state, ctx, phones, "phone_id", "Phone number not found");
  const req = readJson(ctx, updateBody);
  const { user, row: phone } = lookup();
  const now = state.store.now();
  if (req.phone_number != null) phone.phoneNumber = req.phone_number;
  if (req.country_code != null) phone.countryCode = req.country_code;
  if (req.verified != null) {
    phone.verified = req.verified;
    if (req.verified) phone.verifiedAt = now;
  }
  if (req.is_primary === true) user.primaryPhoneNumberId = phone.id;
  phone.updatedAt = now;
  changed(state, user);
  return ok(phoneView(user, phone, now));
};

export const deletePhone: Handler = async (state, ctx) => {
  const userId = pathId(ctx, "user_id");
  const phoneId = pathId(ctx, "phone_id");
  const user = state.store.get(ctx.deploymentId, userId);
  if (user && user.phones.some((p) => p.id === phoneId)) {
    user.phones = user.phones.filter((p) => p.id !== phoneId);
    if (user.primaryPhoneNumberId === phoneId) user.primaryPhoneNumberId = null;
    changed(state, user);
  }
  return unit();
};

export const makePhonePrimary: Handler = async (state, ctx) => {
  const { user, row: phone } = rowLookup(state, ctx, phones, "phone_id", "phone not found")();
  if (!phone.verified) {
    throw new ApiError(400, "phone must be verified before it can be marked primary");
  }
  user.primaryPhoneNumberId = phone.id;
  changed(state, user);
  return unit();
};
