// `check` for wacht.User: validates a declaration without any network request and returns the
// inputs the engine will store (defaults filled, the image's sha256 added). Failures name the
// property and say why in words a person can act on; preview unknowns are never validated.
import { hash } from "node:crypto";
import { sniffImageType } from "../client/image-type";
import { z } from "zod";
import { toCheckFailures, type CheckFailure } from "../schema/check-failures";
import { deeperThan, MAX_JSON_DEPTH } from "../schema/json";
import { userInputsSchemaFor, type UserValidationLimits } from "../schema/user-inputs";
import { hasUnknown, humanBytes, REQUEST_PARTS_LIMIT_BYTES, UNKNOWN } from "../schema/user-fields";
import {
  CREATE_FIELDS,
  fieldRow,
  METADATA_FIELDS,
  UPDATE_FIELDS,
  type MetadataField,
} from "../schema/user-field-lists";
import { isUserId } from "../schema/user-inputs";
import type { RawDeclaration } from "../schema/user-state";
import { DEFAULT_ON_CONFLICT } from "../diff/conflicts";
import { defaultOnDelete, originOf } from "../diff/declaration-state";
import { runInstant } from "./run-clock";
import { describeImageReadError, ImageFileError, normalizeImage } from "./image-file";
import { oversizedParts, oversizedRequest, partBytes, type PartSizes } from "./request-size";

/** Parts of the create POST and of the update PATCH (docs/wacht-api.md §3, §4), for the size limits. */
const CREATE_PARTS = CREATE_FIELDS.filter((f) => fieldRow(f).kind !== "bool");
const UPDATE_PARTS = UPDATE_FIELDS.filter((f) => !["bool", "image"].includes(fieldRow(f).kind));

/** The declared image file's bytes, or why Wacht cannot take them. */
function checkImageFile(path: string, read: (p: string) => Buffer): Buffer | string {
  let bytes: Buffer;
  try {
    bytes = read(path);
  } catch (err) {
    return describeImageReadError(path, err);
  }
  if (bytes.length === 0) {
    return `the image file "${path}" is empty; Wacht silently ignores an empty upload`;
  }
  if (bytes.length > REQUEST_PARTS_LIMIT_BYTES) {
    return `the image file "${path}" is over ${humanBytes(REQUEST_PARTS_LIMIT_BYTES)}, the most an image can take in one request (Wacht's 2 MiB request limit less 64 KiB for the other parts and the multipart framing)`;
  }
  if (sniffImageType(bytes) === null) {
    return `the file "${path}" is not a PNG, JPEG, GIF, WEBP or ICO image, the only formats Wacht accepts for a profile image`;
  }
  return bytes;
}

/** Validates declared metadata against the JSON Schema made from the user's zod schema. */
function checkMetadataSchema(
  field: MetadataField,
  value: unknown,
  schema: unknown,
): CheckFailure[] {
  if (value === undefined || hasUnknown(value) || schema === undefined || hasUnknown(schema))
    return [];
  const unusable = (err: unknown): CheckFailure[] => [
    {
      property: `${field}Schema`,
      reason:
        err instanceof RangeError
          ? "cannot use the schema: it refers to itself without end (a $ref cycle or a degenerate z.lazy)"
          : `cannot use the schema: ${err instanceof Error ? err.message : String(err)}`,
    },
  ];
  let parsed: ReturnType<z.ZodType["safeParse"]>;
  try {
    const validator = z.fromJSONSchema(schema as Parameters<typeof z.fromJSONSchema>[0]);
    // A self-referential schema overflows the stack here, at parse time, not when built.
    parsed = validator.safeParse(value);
  } catch (err) {
    return unusable(err);
  }
  if (parsed.success) return [];
  if (fieldRow(field).secret) {
    // Check failures are printed by the CLI: secret key names and the values a secret's schema
    // allows (enum, const) must not appear. Say how many issues of which kind, nothing more.
    const codes = [...new Set(parsed.error.issues.map((i) => i.code))].join(", ");
    return [
      {
        property: field,
        reason: `${field} does not match its schema (${parsed.error.issues.length} issue(s): ${codes}); details are withheld because the value is secret`,
      },
    ];
  }
  return parsed.error.issues.map((issue) => ({
    property: [field, ...issue.path.map(String)].join("."),
    reason: `${field} does not match its schema: ${issue.message}`,
  }));
}

/** Each part, and each request (create POST, update PATCH), must fit Wacht's body limit. */
function sizeFailures(known: RawDeclaration, imageBytes: number | undefined): CheckFailure[] {
  const sizesOf = (parts: readonly (keyof RawDeclaration)[]): PartSizes =>
    Object.fromEntries(
      parts.filter((p) => known[p] !== undefined).map((p) => [p, partBytes(known[p])]),
    );
  const create = sizesOf(CREATE_PARTS);
  const update: PartSizes = { ...sizesOf(UPDATE_PARTS), profileImage: imageBytes }; // the file's bytes
  const creating = known.userId === undefined && known.adopt === undefined;
  return [
    ...oversizedParts({ ...create, ...update }),
    ...(creating ? oversizedRequest("the create request", create) : []),
    ...oversizedRequest("the update request", update),
  ];
}

export interface CheckUserOptions {
  /**
   * The declared image file's bytes (at most the limit + 1), read beforehand and asynchronously
   * by the caller (image-file.ts preloadImage); throws the read's error. Check itself reads no file.
   */
  read?: (path: string) => Buffer;
  /** Keeps a password in memory for these final inputs; returns the marker to put in them. */
  stashPassword?: (password: string, inputs: RawDeclaration) => string;
  /** The instant `disableAfter` is judged at (ms since the epoch); default: the run's instant. */
  now?: number;
}

/**
 * An account past its `disableAfter` instant is declared disabled, whatever `disabled` says: the
 * plan then shows it being disabled, `up` disables it, and a refresh that finds it enabled again
 * is drift. Before the instant the declaration is left as it is.
 */
function expire(inputs: RawDeclaration, now: number): void {
  const at = inputs.disableAfter;
  if (typeof at !== "string" || at === UNKNOWN) return;
  const instant = Date.parse(at);
  if (!Number.isNaN(instant) && instant <= now) inputs.disabled = true;
}

/**
 * Validates `news` (the declaration as the engine sends it). Pure: the image's bytes come from
 * `options.read`; never throws for bad input. The password is removed from the returned inputs, so
 * it never reaches state: only a random handle to it (valid in this process) is returned.
 */
export function checkUser(
  news: Record<string, unknown>,
  limits: UserValidationLimits,
  options: CheckUserOptions = {},
): { inputs: RawDeclaration; failures: CheckFailure[] } {
  const read =
    options.read ??
    (() => {
      throw new ImageFileError("the image was not read before check (pass options.read)");
    });
  // The engine's record as the declaration it should be; the schema below judges every value.
  const inputs: RawDeclaration = {};
  for (const [key, value] of Object.entries(news)) {
    if (key === "__provider" || value === undefined) continue; // the engine's own key
    (inputs as Record<string, unknown>)[key] =
      key === "profileImage" ? normalizeImage(value) : value;
  }
  // Our own computed keys must come from this check, never from the declaration.
  delete inputs["profileImageSha256"];
  delete inputs.passwordHandle;

  const known: RawDeclaration = {};
  for (const [key, value] of Object.entries(inputs) as [keyof RawDeclaration, unknown][]) {
    if (value !== UNKNOWN) known[key] = value;
  }
  // Preview unknowns still count as present (a create keyed by an Output's value, adopt from an
  // Output): stand-ins that pass their own rules keep the presence rules right.
  const standIns: RawDeclaration = {
    userId: "1",
    adopt: { email: "unknown@example.com" },
    emailAddress: "unknown@example.com",
    phoneNumber: "+10000000000",
    username: "u".repeat(Math.max(1, limits.usernameMinLength)),
  };
  for (const [key, standIn] of Object.entries(standIns) as [keyof RawDeclaration, unknown][]) {
    if (inputs[key] === UNKNOWN) known[key] = standIn;
  }

  const failures: CheckFailure[] = [];
  for (const field of METADATA_FIELDS) {
    if (known[field] !== undefined && deeperThan(known[field], MAX_JSON_DEPTH)) {
      failures.push({
        property: field,
        reason: `${field} nests more than ${MAX_JSON_DEPTH} levels deep; Wacht's JSON parser rejects it and silently keeps the old value`,
      });
      delete known[field]; // never hand it to a recursive validator
      delete inputs[`${field}Schema`];
    }
  }
  const parsed = userInputsSchemaFor(limits).safeParse(known);
  if (!parsed.success) failures.push(...toCheckFailures(parsed.error.issues));

  const image = inputs.profileImage;
  let imageBytes: number | undefined;
  if (typeof image === "string" && image !== UNKNOWN && image !== "") {
    const checked = checkImageFile(image, read);
    if (typeof checked === "string") {
      failures.push({ property: "profileImage", reason: checked });
    } else {
      inputs["profileImageSha256"] = hash("sha256", checked, "hex");
      imageBytes = checked.length;
    }
  }
  failures.push(...sizeFailures(known, imageBytes));

  failures.push(
    ...METADATA_FIELDS.flatMap((f) => checkMetadataSchema(f, inputs[f], inputs[`${f}Schema`])),
  );

  const password = inputs.password;
  delete inputs.password;
  if (typeof inputs.passwordVersion === "number") {
    inputs.passwordVersion = String(inputs.passwordVersion);
  }

  // "0042" and "42" are the same user; the state keeps the server's form, so must the inputs
  // (else every diff would see a new userId and replace).
  if (typeof inputs.userId === "string" && isUserId(inputs.userId)) {
    inputs.userId = BigInt(inputs.userId).toString();
  }

  expire(inputs, options.now ?? runInstant());

  // Defaults check always sets, so the inputs (and a refresh's, rebuilt from the state) say them.
  if (inputs.onConflict === undefined) inputs.onConflict = DEFAULT_ON_CONFLICT;
  if (inputs.onDelete === undefined) {
    inputs.onDelete = defaultOnDelete(originOf(inputs));
  }
  // Last: the password is filed under the inputs as they are returned (password-vault.ts).
  if (typeof password === "string" && failures.length === 0 && options.stashPassword) {
    inputs.passwordHandle = options.stashPassword(password, inputs);
  }
  return { inputs, failures };
}
