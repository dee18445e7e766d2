// Size limits of the Wacht API as the client names them. The facts live in schema/user-fields.ts
// (one place for the client and for the provider's check): the request body limit, the room kept
// for the other multipart parts, and the image limit that follows.
import {
  FRAMING_RESERVE_BYTES,
  humanBytes,
  MAX_BODY_BYTES,
  REQUEST_PARTS_LIMIT_BYTES,
} from "../schema/user-fields";

export { MAX_BODY_BYTES };

/** Room kept for the other parts and the multipart framing when a body carries an image. */
export const MULTIPART_ROOM_BYTES = FRAMING_RESERVE_BYTES;

/** The largest profile image checked before sending: the body limit less the room for the rest. */
export const MAX_IMAGE_BYTES = REQUEST_PARTS_LIMIT_BYTES;

/** Human units with the exact count, e.g. `1.93 MiB (2,031,616 bytes)`. */
export const formatBytes = humanBytes;

/** The image limit in words: `1.93 MiB (2,031,616 bytes: Wacht's 2 MiB request limit less 64 KiB …)`. */
export const IMAGE_LIMIT_TEXT = `${formatBytes(MAX_IMAGE_BYTES).replace(
  / bytes\)$/,
  " bytes: Wacht's 2 MiB request limit less 64 KiB kept for the other fields)",
)}`;
