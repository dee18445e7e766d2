// The profile_image rules of docs/wacht-api.md §3: the part's Content-Type alone decides. Whitelisted
// image types map to an extension, any other image/* is a 400, anything else (or empty bytes) is
// silently ignored. The CDN URL depends only on deployment, user and extension, so it is stable.
import { createHash } from "node:crypto";
import { ApiError } from "./errors";
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

/** An accepted image upload. */
export interface ImageUpload {
  extension: string;
  contentType: string;
  data: Buffer;
}

/** The exact 400 text for an unsupported image/* type. */
export const UNSUPPORTED_IMAGE =
  "Unsupported image format. Supported formats: JPEG, PNG, GIF, WEBP, ICO";

/** Classifies a profile_image part: an upload, `undefined` (ignored), or throws 400. */
export function imageFromPart(part: MultipartPart): ImageUpload | undefined {
  if (part.data.length === 0) return undefined;
  const extension = EXTENSIONS[part.contentType];
  if (extension) return { extension, contentType: part.contentType, data: part.data };
  if (part.contentType.startsWith("image/")) throw new ApiError(400, UNSUPPORTED_IMAGE);
  return undefined;
}

/** `https://cdn.wacht.services/deployments/{dep}/users/{id}/profile.{ext}`. */
export function imageUrl(deploymentId: string, userId: string, extension: string): string {
  return `https://cdn.wacht.services/deployments/${deploymentId}/users/${userId}/profile.${extension}`;
}

/** SHA-256 of the uploaded bytes, kept so tests can see a re-upload behind a stable URL. */
export function sha256(data: Buffer): string {
  return createHash("sha256").update(data).digest("hex");
}
