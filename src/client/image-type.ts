// Image sniffing by magic bytes for the profile_image part: the server decides by the part's
// Content-Type (docs/wacht-api.md §3), so the client must send the real type. Only the server's
// formats are recognised: PNG, JPEG, GIF, WEBP, ICO. Pure; no I/O.

/** A profile image type the Wacht server accepts. */
export interface ImageType {
  mime: "image/png" | "image/jpeg" | "image/gif" | "image/webp" | "image/x-icon";
  /** File extension the server stores it under. */
  ext: "png" | "jpg" | "gif" | "webp" | "ico";
}

function startsWith(bytes: Uint8Array, sig: readonly number[], offset = 0): boolean {
  if (bytes.length < offset + sig.length) return false;
  return sig.every((b, i) => bytes[offset + i] === b);
}

/** Returns the image type of `bytes` from its magic number, or null when it is not PNG/JPEG/GIF/WEBP/ICO. */
export function sniffImageType(bytes: Uint8Array): ImageType | null {
  if (startsWith(bytes, [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]))
    return { mime: "image/png", ext: "png" };
  if (startsWith(bytes, [0xff, 0xd8, 0xff])) return { mime: "image/jpeg", ext: "jpg" };
  if (
    startsWith(bytes, [0x47, 0x49, 0x46, 0x38]) &&
    (bytes[4] === 0x37 || bytes[4] === 0x39) &&
    bytes[5] === 0x61
  ) {
    return { mime: "image/gif", ext: "gif" };
  }
  if (
    startsWith(bytes, [0x52, 0x49, 0x46, 0x46]) &&
    startsWith(bytes, [0x57, 0x45, 0x42, 0x50], 8)
  ) {
    return { mime: "image/webp", ext: "webp" };
  }
  // ICONDIR: reserved 0, type 1 (icon), count >= 1.
  if (
    startsWith(bytes, [0x00, 0x00, 0x01, 0x00]) &&
    bytes.length >= 6 &&
    (bytes[4] ?? 0) + (bytes[5] ?? 0) > 0
  ) {
    return { mime: "image/x-icon", ext: "ico" };
  }
  return null;
}
