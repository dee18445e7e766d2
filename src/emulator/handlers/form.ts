// Reading the multipart form of POST and PATCH /users (docs/wacht-api.md §3, §4): unnamed parts are a
// 400, known text parts must be UTF-8 and the last non-empty value wins, unknown parts are ignored,
// `profile_image` goes through the image rules, and `remove_profile_image` is exactly "true".
import type { RequestContext } from "../context";
import { ApiError, badRequest } from "../errors";
import { imageFromPart, type ImageUpload } from "../image";
import { utf8 } from "../multipart";

export interface UserForm {
  /** Last non-empty value of each known text part. */
  text: Map<string, string>;
  /** The last accepted image upload. */
  image: ImageUpload | undefined;
  /** The last `remove_profile_image` part was exactly `true`. */
  removeImage: boolean;
}

/** Parses the request's multipart body; only names in `textFields` are read as text. */
export async function readUserForm(
  ctx: RequestContext,
  textFields: ReadonlySet<string>,
): Promise<UserForm> {
  if (ctx.bodyTooLarge) throw badRequest();
  const parts = await ctx.multipart();
  const form: UserForm = { text: new Map(), image: undefined, removeImage: false };
  for (const part of parts) {
    if (part.name === undefined) {
      throw new ApiError(400, "Multipart field name is missing");
    }
    if (part.name === "profile_image") {
      form.image = imageFromPart(part) ?? form.image;
      continue;
    }
    if (!textFields.has(part.name)) continue;
    const value = utf8(part.data);
    if (value === undefined) {
      throw new ApiError(400, `Multipart field '${part.name}' must be valid UTF-8 text`);
    }
    if (part.name === "remove_profile_image") {
      form.removeImage = value === "true";
    } else if (value !== "") {
      form.text.set(part.name, value);
    }
  }
  return form;
}
