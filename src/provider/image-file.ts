// Reads a declared profile image, at check and again at apply. Only a regular file is read, and
// at most limit + 1 bytes of it, asynchronously: a FIFO, a device such as /dev/zero or a
// directory must never block the provider process or fill its memory.
import { constants, promises as fs, type Stats } from "node:fs";
import * as path from "node:path";
import { UNKNOWN } from "../schema/user-fields";

/** Why a declared image could not be read; the message is meant for the person declaring it. */
export class ImageFileError extends Error {
  override name = "ImageFileError";
}

/** "ENOENT: no such file or directory, open '…'" → "no such file or directory (ENOENT)". */
function errnoInWords(err: unknown): string {
  const e = err as NodeJS.ErrnoException;
  const words = /^[A-Z0-9_]+: ([^,]+)/.exec(e.message ?? "")?.[1];
  if (e.code === undefined) return e.message ?? String(err);
  return words !== undefined ? `${words} (${e.code})` : e.code;
}

/** Where the file was looked for: the path as given, its absolute path and the working directory. */
function where(file: string): string {
  return `"${file}" (absolute path ${path.resolve(file)}; working directory ${process.cwd()})`;
}

/** Explains a failed read of `file` in words, naming the absolute path and the errno. */
export function describeImageReadError(file: string, err: unknown): string {
  if (err instanceof ImageFileError) return err.message;
  return `cannot read the image file ${where(file)}: ${errnoInWords(err)}`;
}

/**
 * The first `limit + 1` bytes of the regular file `file` (so a caller can tell "over the limit"
 * from "at the limit" without reading more). Throws ImageFileError for anything but a regular
 * file, and the fs error for a missing or unreadable one.
 */
export async function readImageFile(file: string, limit: number): Promise<Buffer> {
  // O_NONBLOCK: opening a FIFO with no writer must not wait for one.
  const handle = await fs.open(file, constants.O_RDONLY | constants.O_NONBLOCK);
  try {
    const stat = await handle.stat();
    if (!stat.isFile()) {
      throw new ImageFileError(
        `the image file ${where(file)} is not a regular file (${kindOf(stat)}); profileImage must name an image file`,
      );
    }
    const buffer = Buffer.alloc(Math.min(stat.size, limit) + 1);
    let filled = 0;
    while (filled < buffer.length) {
      const { bytesRead } = await handle.read(buffer, filled, buffer.length - filled, filled);
      if (bytesRead === 0) break;
      filled += bytesRead;
    }
    return buffer.subarray(0, filled);
  } finally {
    await handle.close();
  }
}

function kindOf(stat: Stats): string {
  if (stat.isDirectory()) return "a directory";
  if (stat.isFIFO()) return "a named pipe";
  if (stat.isCharacterDevice()) return "a character device";
  if (stat.isBlockDevice()) return "a block device";
  if (stat.isSocket()) return "a socket";
  return "not a file";
}

/** Pulumi's serialized-asset signature (what a FileAsset looks like on the wire). */
const ASSET_SIG_KEY = "4dabf18193072939515e22adb298388d";
const ASSET_SIG = "c44067f5952c0a294b673a41bacd8c17";

/** A FileAsset arrives as `{<sig>: <asset sig>, path}`; turn it into its path. */
export function normalizeImage(value: unknown): unknown {
  if (value !== null && typeof value === "object" && !Array.isArray(value)) {
    const record = value as Record<string, unknown>;
    if (record[ASSET_SIG_KEY] === ASSET_SIG && typeof record["path"] === "string") {
      return record["path"];
    }
  }
  return value;
}

/**
 * Reads the image a declaration names (if any) ahead of the synchronous check, and returns the
 * reader check uses: the bytes read, or the read's error thrown again.
 */
export async function preloadImage(
  declared: unknown,
  limit: number,
): Promise<(file: string) => Buffer> {
  const file = normalizeImage(declared);
  const loaded =
    typeof file === "string" && file !== "" && file !== UNKNOWN
      ? await readImageFile(file, limit).catch((error: unknown) => ({ error }))
      : undefined;
  return () => {
    // Most declarations name no image: the "not read" error is made only if check asks anyway.
    if (loaded === undefined) throw new ImageFileError("not read");
    if ("error" in loaded) throw loaded.error;
    return loaded;
  };
}
