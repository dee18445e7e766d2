// Size limits of the Wacht API as the client names them. The facts live in schema/user-fields.ts
// (one place for the client and for the provider's check): the request body limit, and the image
// limit that leaves room for the other multipart parts.
import { humanBytes, MAX_BODY_BYTES, REQUEST_PARTS_LIMIT_BYTES } from "../schema/user-fields";

export { MAX_BODY_BYTES };

/** The largest profile image checked before sending: the body limit less the room for the rest. */
export const MAX_IMAGE_BYTES = REQUEST_PARTS_LIMIT_BYTES;

/** Human units with the exact count, e.g. `1.93 MiB (2,031,616 bytes)`. */
export const formatBytes = humanBytes;
