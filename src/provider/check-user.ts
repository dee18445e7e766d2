// `check` for wacht.User: validates a declaration without any network request and returns the
// inputs the engine will store (defaults filled, the image's sha256 added). Failures name the
// property and say why in words a person can act on; preview unknowns are never validated.
import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import { sniffImageType } from "../client/image-type";
import { toCheckFailures, type CheckFailure } from "../schema/check-failures";
import { buildUserInputsSchema, type UserValidationLimits } from "../schema/user-inputs";
import { MAX_BODY_BYTES, UNKNOWN } from "../schema/user-fields";

/** What `check` returns. */
export interface CheckUserResult {
  inputs: Record<string, unknown>;
  failures: CheckFailure[];
}

/** Keys the engine or the host adds, which the schema must not see. */
const ENGINE_KEYS = new Set(["__provider"]);

/** Pulumi's serialized-asset signature (what a FileAsset looks like on the wire). */
const ASSET_SIG_KEY = "4dabf18193072939515e22adb298388d";
const ASSET_SIG = "c44067f5952c0a294b673a41bacd8c17";

/** Room left in the 2 MiB body for the other parts and the multipart framing. */
const IMAGE_LIMIT_BYTES = MAX_BODY_BYTES - 64 * 1024;

/** A FileAsset arrives as `{<sig>: <asset sig>, path}`; turn it into its path. */
function normalizeImage(value: unknown): unknown {
  if (value !== null && typeof value === "object" && !Array.isArray(value)) {
    const record = value as Record<string, unknown>;
    if (record[ASSET_SIG_KEY] === ASSET_SIG && typeof record["path"] === "string") {
      return record["path"];
    }
  }
  return value;
}

function checkImageFile(
  path: string,
  read: (p: string) => Buffer,
): { sha256?: string; failure?: string } {
  let bytes: Buffer;
  try {
    bytes = read(path);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code ?? "unreadable";
    return { failure: `cannot read the image file "${path}" (${code})` };
  }
  if (bytes.length === 0) {
    return { failure: `the image file "${path}" is empty; Wacht silently ignores an empty upload` };
  }
  if (bytes.length > IMAGE_LIMIT_BYTES) {
    return {
      failure: `the image file "${path}" is ${bytes.length} bytes; Wacht's request limit is 2 MiB`,
    };
  }
  if (sniffImageType(bytes) === null) {
    return {
      failure: `the file "${path}" is not a PNG, JPEG, GIF, WEBP or ICO image, the only formats Wacht accepts for a profile image`,
    };
  }
  return { sha256: createHash("sha256").update(bytes).digest("hex") };
}

/**
 * Validates `news` (the declaration as the engine sends it). Pure but for reading the declared
 * image file; never throws for bad input.
 */
export function checkUser(
  news: Record<string, unknown>,
  limits: UserValidationLimits,
  read: (path: string) => Buffer = (p) => readFileSync(p),
): CheckUserResult {
  const inputs: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(news)) {
    if (ENGINE_KEYS.has(key) || value === undefined) continue;
    inputs[key] = key === "profileImage" ? normalizeImage(value) : value;
  }
  // Our own computed key must come from the file, never from the declaration.
  delete inputs["profileImageSha256"];

  const known: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(inputs)) if (value !== UNKNOWN) known[key] = value;
  if (inputs["userId"] === UNKNOWN) known["userId"] = "1"; // validated once known

  const parsed = buildUserInputsSchema(limits).safeParse(known);
  const failures = parsed.success ? [] : toCheckFailures(parsed.error.issues);

  const image = inputs["profileImage"];
  if (typeof image === "string" && image !== UNKNOWN && image !== "") {
    const result = checkImageFile(image, read);
    if (result.failure !== undefined)
      failures.push({ property: "profileImage", reason: result.failure });
    else if (result.sha256 !== undefined) inputs["profileImageSha256"] = result.sha256;
  }

  if (inputs["onDelete"] === undefined) inputs["onDelete"] = "retain";
  return { inputs, failures };
}
