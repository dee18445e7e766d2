// Multipart bodies for PATCH /users/{id} and POST /users, built once into one Buffer so a retry
// re-sends identical bytes. Only the given fields, in a fixed order; booleans as
// `true`/`false`, metadata as canonical JSON, the image with its sniffed type. Refuses what the server drops.
// The encoding is byte-for-byte form-data's (a unit test compares the two); it is written out here
// because form-data's getBuffer() concatenates quadratically and cost ~10 µs per body
// (docs/decisions/0009-client-wire-cost.md).

import { randomBytes } from "node:crypto";
import { canonicalJson } from "./canonical-json";
import { WachtValidationError } from "./errors";
import { sniffImageType } from "./image-type";
import { formatBytes, MAX_BODY_BYTES } from "./limits";
import type { UserCreate, UserUpdate } from "./user-params";
import { CREATE_FIELDS, UPDATE_FIELDS } from "../schema/user-field-lists";
import { USER_FIELDS, type UserFieldName } from "../schema/user-field-table";

/** The server's body limit (limits.ts), under the name this module's callers know. */
export { MAX_BODY_BYTES as MAX_MULTIPART_BYTES } from "./limits";

/** A ready-to-send body. */
export interface BuiltBody {
  body: Buffer;
  /** The content-type header; the same frozen object for every body on the process boundary. */
  headers: Readonly<Record<string, string>>;
}

/**
 * Boundaries have form-data's own shape (26 dashes + 24 hex digits). One random boundary serves
 * every body of the process, so the part heads and the content-type header are built once and a
 * call only encodes its values (the per-body boundary, its part heads and its header object were a
 * measurable share of a call's CPU). A body whose values contain the boundary's random digits gets
 * a fully random boundary of its own instead; either way no value ever contains its boundary.
 */
const DASHES = "--------------------------";
const PROCESS_BOUNDARY = `${DASHES}${randomBytes(12).toString("hex")}`;
/** The boundary's random digits: a value holding them cannot use the process boundary. */
const PROCESS_BOUNDARY_DIGITS = PROCESS_BOUNDARY.slice(DASHES.length, DASHES.length + 16);
const PROCESS_HEADERS: Readonly<Record<string, string>> = Object.freeze({
  "content-type": `multipart/form-data; boundary=${PROCESS_BOUNDARY}`,
});
const PROCESS_FOOTER = `--${PROCESS_BOUNDARY}--\r\n`;
/** The process boundary's head of each text part, by wire name (built on first use). */
const processPartHeads = new Map<string, string>();

function partHead(boundary: string, name: string): string {
  return `--${boundary}\r\nContent-Disposition: form-data; name="${name}"\r\n\r\n`;
}

function processPartHead(name: string): string {
  let head = processPartHeads.get(name);
  if (head === undefined) {
    head = partHead(PROCESS_BOUNDARY, name);
    processPartHeads.set(name, head);
  }
  return head;
}

function randomBoundary(): string {
  return `${DASHES}${randomBytes(12).toString("hex")}`;
}

/** Collects the parts, then encodes them in one go (see finish). */
class Parts {
  readonly fields: [string, string][] = [];
  image: { bytes: Buffer; filename: string; contentType: string } | undefined;
  put(name: string, value: string): void {
    this.fields.push([name, value]);
  }
}

/**
 * The fields each call takes, from the user field table: PATCH takes the update fields; POST takes
 * the create fields and also the image (docs/wacht-api.md §4; the provider sends it with its PATCH).
 */
const UPDATE_KEYS: readonly UserFieldName[] = UPDATE_FIELDS;
const CREATE_KEYS: readonly UserFieldName[] = [...CREATE_FIELDS, "profileImage"];

/** Refuses a non-object and any key the call does not take; returns the keys given. */
function checkKeys(input: object, allowed: readonly string[], call: string): string[] {
  if (typeof input !== "object" || input === null || Array.isArray(input)) {
    throw new WachtValidationError("changes", `${call} expects an object`);
  }
  const given = Object.keys(input);
  for (const k of given) {
    if (!allowed.includes(k)) {
      throw new WachtValidationError(
        k,
        `${call}: unknown field ${JSON.stringify(k)} (the server would silently ignore it)`,
      );
    }
  }
  return given;
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

function appendImage(parts: Parts, value: unknown): void {
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
  parts.image = { bytes, filename: `profile.${type.ext}`, contentType: type.mime };
}

/** True when a value contains `text` (then it cannot be the boundary). */
function contains(parts: Parts, text: string): boolean {
  for (const [, v] of parts.fields) if (v.includes(text)) return true;
  return parts.image !== undefined && parts.image.bytes.includes(text);
}

/**
 * The multipart encoding, exactly as form-data writes it: per part `--B CRLF`, a Content-Disposition
 * line (and Content-Type for the image), an empty line, the value, CRLF; then `--B-- CRLF`.
 */
function encode(parts: Parts, boundary: string): Buffer {
  const shared = boundary === PROCESS_BOUNDARY;
  let head = "";
  for (const [name, v] of parts.fields) {
    head += `${shared ? processPartHead(name) : partHead(boundary, name)}${v}\r\n`;
  }
  const footer = shared ? PROCESS_FOOTER : `--${boundary}--\r\n`;
  const image = parts.image;
  if (image === undefined) return Buffer.from(head + footer, "utf8");
  head += `--${boundary}\r\nContent-Disposition: form-data; name="profile_image"; filename="${image.filename}"\r\nContent-Type: ${image.contentType}\r\n\r\n`;
  return Buffer.concat([Buffer.from(head, "utf8"), image.bytes, Buffer.from(`\r\n${footer}`)]);
}

function finish(parts: Parts): BuiltBody {
  let boundary = contains(parts, PROCESS_BOUNDARY_DIGITS) ? randomBoundary() : PROCESS_BOUNDARY;
  while (contains(parts, boundary)) boundary = randomBoundary();
  const body = encode(parts, boundary);
  if (body.length > MAX_BODY_BYTES) {
    // Name the part that weighs most: the image, or a (possibly merged) metadata value.
    const sizes: Array<[string, number]> = parts.fields.map(([n, v]) => [n, Buffer.byteLength(v)]);
    if (parts.image !== undefined) sizes.push(["profile_image", parts.image.bytes.length]);
    sizes.sort((a, b) => b[1] - a[1]);
    const [largest, largestBytes] = sizes[0] ?? ["body", body.length];
    const field = largest === "profile_image" ? "profileImage" : largest;
    throw new WachtValidationError(
      field,
      `request body is ${formatBytes(body.length)}, over the server's ${MAX_BODY_BYTES}-byte (2 MiB) limit; the largest part is ${largest} (${formatBytes(largestBytes)})`,
    );
  }
  // The process boundary's header object is shared (frozen): the transport reuses what it built from it.
  const headers =
    boundary === PROCESS_BOUNDARY
      ? PROCESS_HEADERS
      : { "content-type": `multipart/form-data; boundary=${boundary}` };
  return { body, headers };
}

/**
 * The one encoder of both calls: each given field, in table order, as the part its row names,
 * encoded by its kind. Text Wacht ignores when empty is refused (the row's `mayBeEmpty`).
 */
function encodeFields(
  input: Partial<Record<UserFieldName, unknown>>,
  keys: readonly UserFieldName[],
  given: readonly string[],
): BuiltBody {
  const parts = new Parts();
  for (const key of keys) {
    // Only the keys given are read (a call names a few of the table's fields).
    if (!given.includes(key)) continue;
    const value = input[key];
    if (value === undefined) continue;
    const row = USER_FIELDS[key];
    if (row.kind === "image") appendImage(parts, value);
    else if (row.kind === "bool") parts.put(row.wire, bool(key, value));
    else if (row.kind === "json") parts.put(row.wire, json(key, value));
    else parts.put(row.wire, text(key, value, row.mayBeEmpty));
  }
  return finish(parts);
}

/** Encodes PATCH /users/{id} changes (docs/wacht-api.md §3). Throws WachtValidationError before anything is sent. */
export function buildUpdateForm(changes: UserUpdate): BuiltBody {
  const given = checkKeys(changes, UPDATE_KEYS, "users.update");
  if (changes.removeProfileImage === true && changes.profileImage !== undefined) {
    throw new WachtValidationError(
      "profileImage",
      "profileImage cannot be combined with removeProfileImage: true (the server removes and skips the upload)",
    );
  }
  return encodeFields(changes, UPDATE_KEYS, given);
}

/** Encodes POST /users fields (docs/wacht-api.md §4). Throws WachtValidationError before anything is sent. */
export function buildCreateForm(fields: UserCreate): BuiltBody {
  const given = checkKeys(fields, CREATE_KEYS, "users.create");
  return encodeFields(fields, CREATE_KEYS, given);
}
