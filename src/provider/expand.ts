// The declaration → the client's request objects (UserCreate for POST /users, UserUpdate for
// PATCH /users/{id}); the client encodes the parts. With live/live-user.ts (wire → state) the only
// place that maps declaration and wire. Generic over the field table: no field is named here.
import { hash } from "node:crypto";
import type { UserCreate, UserUpdate } from "../client/user-params";
import { CREATE_FIELDS, fieldRow, type ManagedField } from "../schema/user-field-lists";
import { humanBytes, REQUEST_PARTS_LIMIT_BYTES } from "../schema/user-fields";
import type { UserDeclaration } from "../schema/user-state";
import { describeImageReadError, readImageFile } from "./image-file";

/** The PATCH body and the sha256 of the uploaded image, if any. */
export interface PlannedUpdate {
  update: UserUpdate;
  uploadedSha256: string | null;
}

/**
 * The POST body for a new user: every declared create field. A false flag is left out (POST
 * takes only the exact `true`, docs/wacht-api.md §4); the password comes from the vault, not the
 * declaration.
 */
export function expandCreate(
  declaration: UserDeclaration,
  password: string | undefined,
): UserCreate {
  const body: Record<string, unknown> = {};
  const declared = { ...declaration, password } as Record<string, unknown>;
  for (const name of CREATE_FIELDS) {
    const value = declared[name];
    if (value === undefined || value === false) continue;
    body[name] = value;
  }
  // The checked declaration has the types the table's kinds say (user-inputs.ts).
  return body;
}

/** The PATCH body carrying exactly `fields`, valued from the declaration; the image is read now. */
export async function expandUpdate(
  fields: readonly ManagedField[],
  declaration: UserDeclaration,
): Promise<PlannedUpdate> {
  const body: Record<string, unknown> = {};
  const declared = declaration as Record<string, unknown>;
  let uploadedSha256: string | null = null;
  for (const field of fields) {
    if (fieldRow(field).kind === "image") {
      const bytes = await readImage(declared[field] as string);
      body[field] = bytes;
      uploadedSha256 = hash("sha256", bytes, "hex");
    } else {
      body[field] = declared[field];
    }
  }
  return { update: body, uploadedSha256 };
}

/** The image's bytes at apply time; it may have changed (or gone) since check. */
async function readImage(file: string): Promise<Buffer> {
  let bytes: Buffer;
  try {
    bytes = await readImageFile(file, REQUEST_PARTS_LIMIT_BYTES);
  } catch (err) {
    throw new Error(describeImageReadError(file, err), { cause: err });
  }
  if (bytes.length > REQUEST_PARTS_LIMIT_BYTES) {
    throw new Error(
      `the image file "${file}" grew over ${humanBytes(REQUEST_PARTS_LIMIT_BYTES)} since check; run \`pulumi up\` again`,
    );
  }
  return bytes;
}
