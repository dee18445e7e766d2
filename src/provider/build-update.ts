// Builds the one PATCH /users/{id} body for a set of changed fields: only those fields, with the
// declared values. The image is read here, at apply time, and its actual hash is returned so the
// state records what was really uploaded.
import { createHash } from "node:crypto";
import type { UserUpdate } from "../client";
import {
  humanBytes,
  PROFILE_FIELDS,
  REQUEST_PARTS_LIMIT_BYTES,
  type ManagedField,
} from "../schema/user-fields";
import { describeImageReadError, readImageFile } from "./image-file";

/** The PATCH body and the sha256 of the uploaded image, if any. */
export interface PlannedUpdate {
  update: UserUpdate;
  uploadedSha256: string | null;
}

/** Profile fields whose value goes into the PATCH as is (same name in UserUpdate). */
const DIRECT = new Set<string>(PROFILE_FIELDS satisfies readonly (keyof UserUpdate)[]);

/** The update carrying exactly `fields`, valued from the checked `inputs`. */
export async function buildUpdate(
  fields: readonly ManagedField[],
  inputs: Record<string, unknown>,
): Promise<PlannedUpdate> {
  // Values were validated by check (user-inputs.ts), so they have the UserUpdate types.
  const update: Record<string, unknown> = {};
  let uploadedSha256: string | null = null;
  for (const field of fields) {
    if (DIRECT.has(field)) {
      update[field] = inputs[field];
    } else if (field === "removeProfileImage") {
      update["removeProfileImage"] = true;
    } else if (field === "profileImage") {
      const bytes = await readImage(inputs["profileImage"] as string);
      update["profileImage"] = bytes;
      uploadedSha256 = createHash("sha256").update(bytes).digest("hex");
    }
  }
  return { update: update, uploadedSha256 };
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
