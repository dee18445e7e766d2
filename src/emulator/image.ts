// The profile_image rules of docs/wacht-api.md §3: the part's Content-Type alone decides. Whitelisted
// image types map to an extension, any other image/* is a 400, anything else (or empty bytes) is
// silently ignored. The CDN URL depends only on deployment, user and extension, so it is stable.
import { hash } from "node:crypto";
import { ApiError } from "./errors";
import type { StoredUser } from "./model";
import type { MultipartPart } from "./multipart";

const EXTENSIONS: Readonly<Record<string, string>> = {
  "image/jpeg": "jpg",
  "image/jpg": "jpg",
  "image/png": "png",
  "image/gif": "gif",
  "image/webp": "webp",
  "image/x-icon": "ico",
  "image/vnd.microsoft.icon": "ico",
};

export interface ImageUpload {
  extension: string;
  contentType: string;
  data: Buffer;
}

/** Classifies a profile_image part: an upload, `undefined` (ignored), or throws 400. */
export function imageFromPart(part: MultipartPart): ImageUpload | undefined {
  if (part.data.length === 0) return undefined;
  const extension = EXTENSIONS[part.contentType];
  if (extension) return { extension, contentType: part.contentType, data: part.data };
  if (part.contentType.startsWith("image/"))
    throw new ApiError(
      400,
      "Unsupported image format. Supported formats: JPEG, PNG, GIF, WEBP, ICO",
    );
  return undefined;
}

/**
 * Stores an upload on `user`: the CDN URL (`…/deployments/{dep}/users/{id}/profile.{ext}`) and the
 * bytes' sha256, so tests can see a re-upload behind the stable URL.
 */
export function storeImage(user: StoredUser, upload: ImageUpload): void {
  user.profilePictureUrl = `https://cdn.wacht.services/deployments/${user.deploymentId}/users/${user.id}/profile.${upload.extension}`;
  user.image = {
    contentType: upload.contentType,
    size: upload.data.length,
    sha256: hash("sha256", upload.data, "hex"),
    uploads: (user.image?.uploads ?? 0) + 1,
  };
}
