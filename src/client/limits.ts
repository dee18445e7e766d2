// Size limits of the Wacht API, one place for the client and for whoever checks sizes before a call
// (the provider's check): the request body limit, the room kept for the other multipart parts, and
// the image limit that follows, with their human-readable figures.

/** The server's request body limit (axum's default; the multipart body included). */
export const MAX_BODY_BYTES = 2 * 1024 * 1024;

/** Room kept for the other parts and the multipart framing when a body carries an image. */
export const MULTIPART_ROOM_BYTES = 64 * 1024;

/** The largest profile image checked before sending: the body limit less the room for the rest. */
export const MAX_IMAGE_BYTES = MAX_BODY_BYTES - MULTIPART_ROOM_BYTES;

const UNITS = ["bytes", "KiB", "MiB", "GiB"] as const;

/**
 * Human units with the exact count: `1.94 MiB (2,031,616 bytes)`, `512 bytes`. Two decimals at most,
 * trailing zeros dropped (`2 MiB (2,097,152 bytes)`).
 */
export function formatBytes(bytes: number): string {
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < UNITS.length - 1) {
    value /= 1024;
    unit++;
  }
  const exact = `${bytes.toLocaleString("en-US")} bytes`;
  if (unit === 0) return exact;
  // Round down, so a size just over a limit never prints as the limit itself.
  const shown = Math.floor(value * 100) / 100;
  return `${String(shown)} ${UNITS[unit]} (${exact})`;
}

/** The image limit in words: `1.93 MiB (2,031,616 bytes: Wacht's 2 MiB request limit less 64 KiB …)`. */
export const IMAGE_LIMIT_TEXT = `${formatBytes(MAX_IMAGE_BYTES).replace(
  / bytes\)$/,
  " bytes: Wacht's 2 MiB request limit less 64 KiB kept for the other fields)",
)}`;
