// Builds the one PATCH /users/{id} body for a set of changed fields: only those fields, with the
// declared values. The image is read here, at apply time, and its actual hash is returned so the
// state records what was really uploaded.
import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import type { UserUpdate } from "../client";
import type { JsonValue } from "../schema/json";
import type { ManagedField, SecondFactorPolicy } from "../schema/user-fields";

/** The PATCH body and the sha256 of the uploaded image, if any. */
export interface PlannedUpdate {
  update: UserUpdate;
  uploadedSha256: string | null;
}

/** The update carrying exactly `fields`, valued from the checked `inputs`. */
export function buildUpdate(
  fields: readonly ManagedField[],
  inputs: Record<string, unknown>,
  read: (path: string) => Buffer = (p) => readFileSync(p),
): PlannedUpdate {
  const update: UserUpdate = {};
  let uploadedSha256: string | null = null;
  for (const field of fields) {
    switch (field) {
      case "firstName":
        update.firstName = inputs["firstName"] as string;
        break;
      case "lastName":
        update.lastName = inputs["lastName"] as string;
        break;
      case "username":
        update.username = inputs["username"] as string;
        break;
      case "disabled":
        update.disabled = inputs["disabled"] as boolean;
        break;
      case "secondFactorPolicy":
        update.secondFactorPolicy = inputs["secondFactorPolicy"] as SecondFactorPolicy;
        break;
      case "publicMetadata":
        update.publicMetadata = inputs["publicMetadata"] as JsonValue;
        break;
      case "privateMetadata":
        update.privateMetadata = inputs["privateMetadata"] as JsonValue;
        break;
      case "removeProfileImage":
        update.removeProfileImage = true;
        break;
      case "profileImage": {
        const bytes = read(inputs["profileImage"] as string);
        update.profileImage = bytes;
        uploadedSha256 = createHash("sha256").update(bytes).digest("hex");
        break;
      }
    }
  }
  return { update, uploadedSha256 };
}
