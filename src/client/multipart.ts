// Multipart bodies for PATCH /users/{id} and POST /users, built by form-data into one Buffer
// (`getBuffer()`), so a retry re-sends identical bytes. Only the given fields, in table order;
// booleans as `true`/`false`, metadata as canonical JSON, the image with its sniffed type. Refuses
// what the server would drop, and a body over its 2 MiB limit, before anything is sent.

import FormData from "form-data";
import { canonicalJson } from "./canonical-json";
import { WachtValidationError } from "./errors";
import { sniffImageType } from "./image-type";
import type { UserCreate, UserUpdate } from "./user-params";
import { CREATE_FIELDS, UPDATE_FIELDS } from "../schema/user-field-lists";
import { USER_FIELDS, type UserFieldName } from "../schema/user-field-table";
import { humanBytes, MAX_BODY_BYTES } from "../schema/user-fields";

/** A ready-to-send body. */
export interface BuiltBody {
  body: Buffer;
  /** The content-type header with the body's boundary. */
  headers: Record<string, string>;
}

/**
 * The fields each call takes, from the user field table: PATCH takes the update fields; POST takes
 * the create fields and also the image (docs/wacht-api.md §4; the provider sends it with its PATCH).
 */
const UPDATE_KEYS: readonly UserFieldName[] = UPDATE_FIELDS;
const CREATE_KEYS: readonly UserFieldName[] = [...CREATE_FIELDS, "profileImage"];

/** Refuses a non-object and any key the call does not take. */
function checkKeys(input: object, allowed: readonly string[], call: string): void {
  if (typeof input !== "object" || input === null || Array.isArray(input)) {
    throw new WachtValidationError("changes", `${call} expects an object`);
  }
  for (const k of Object.keys(input)) {
    if (!allowed.includes(k)) {
      throw new WachtValidationError(
        k,
        `${call}: unknown field ${JSON.stringify(k)} (the server would silently ignore it)`,
      );
    }
  }
}

function text(field: string, value: unknown, allowEmpty: boolean): string {
  if (typeof value !== "string") throw new WachtValidationError(field, `${field} must be a string`);
  if (!allowEmpty && value === "") {
    throw new WachtValidationError(
      field,
      `${field} must not be empty: Wacht ignores an empty value, so it cannot be cleared`,
    );
  }
  return value;
}

function bool(field: string, value: unknown): string {
  if (typeof value !== "boolean")
    throw new WachtValidationError(field, `${field} must be a boolean`);
  return value ? "true" : "false";
}

function json(field: string, value: unknown): string {
  try {
    return canonicalJson(value);
  } catch (e) {
    throw new WachtValidationError(field, `${field} is not JSON: ${(e as Error).message}`);
  }
}

/** The image part: its bytes, sniffed type and the file name the server stores it under. */
function image(value: unknown): { bytes: Buffer; filename: string; contentType: string } {
  if (!(value instanceof Uint8Array))
    throw new WachtValidationError("profileImage", "profileImage must be a Uint8Array");
  if (value.length === 0) {
    throw new WachtValidationError(
      "profileImage",
      "profileImage is empty (the server would silently ignore it)",
    );
  }
  const type = sniffImageType(value);
  if (type === null) {
    throw new WachtValidationError(
      "profileImage",
      "profileImage must be a PNG, JPEG, GIF, WEBP or ICO image",
    );
  }
  const bytes = Buffer.from(value.buffer, value.byteOffset, value.byteLength);
  return { bytes, filename: `profile.${type.ext}`, contentType: type.mime };
}

/**
 * The one encoder of both calls: each given field, in table order, as the part its row names,
 * encoded by its kind. Text Wacht ignores when empty is refused (the row's `mayBeEmpty`).
 */
function encodeFields(
  input: Partial<Record<UserFieldName, unknown>>,
  keys: readonly UserFieldName[],
): BuiltBody {
  const form = new FormData();
  const sizes: [string, number][] = [];
  let picture: ReturnType<typeof image> | undefined;
  for (const key of keys) {
    const value = input[key];
    if (value === undefined) continue;
    const row = USER_FIELDS[key];
    if (row.kind === "image") picture = image(value);
    else {
      const encoded =
        row.kind === "bool"
          ? bool(key, value)
          : row.kind === "json"
            ? json(key, value)
            : text(key, value, row.mayBeEmpty);
      form.append(row.wire, encoded);
      sizes.push([row.wire, Buffer.byteLength(encoded)]);
    }
  }
  if (picture !== undefined) {
    // The image is the last part (after remove_profile_image, when both are given).
    const { bytes, ...options } = picture;
    form.append("profile_image", bytes, options);
    sizes.push(["profile_image", bytes.length]);
  }
  const body = form.getBuffer();
  if (body.length > MAX_BODY_BYTES) {
    // Name the part that weighs most: the image, or a metadata value.
    const [largest, largestBytes] = sizes.sort((a, b) => b[1] - a[1])[0] ?? ["body", body.length];
    throw new WachtValidationError(
      largest === "profile_image" ? "profileImage" : largest,
      `request body is ${humanBytes(body.length)}, over the server's ${MAX_BODY_BYTES}-byte (2 MiB) limit; the largest part is ${largest} (${humanBytes(largestBytes)})`,
    );
  }
  return { body, headers: form.getHeaders() };
}

/** Encodes PATCH /users/{id} changes (docs/wacht-api.md §3). Throws WachtValidationError before anything is sent. */
export function buildUpdateForm(changes: UserUpdate): BuiltBody {
  checkKeys(changes, UPDATE_KEYS, "users.update");
  if (changes.removeProfileImage === true && changes.profileImage !== undefined) {
    throw new WachtValidationError(
      "profileImage",
      "profileImage cannot be combined with removeProfileImage: true (the server removes and skips the upload)",
    );
  }
  return encodeFields(changes, UPDATE_KEYS);
}

/** Encodes POST /users fields (docs/wacht-api.md §4). Throws WachtValidationError before anything is sent. */
export function buildCreateForm(fields: UserCreate): BuiltBody {
  checkKeys(fields, CREATE_KEYS, "users.create");
  return encodeFields(fields, CREATE_KEYS);
}
