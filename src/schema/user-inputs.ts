// The zod schema of a `wacht.User` declaration as the engine sends it to `check`. Built by a
// function (never a module-level instance) so nothing here can be captured by Pulumi's closure
// serializer (pulumi/pulumi#5294). Rules mirror what the server would reject or silently ignore
// (wacht-api.md §3): such a declaration must fail at preview, not at apply or never.
import { z } from "zod";
import { JsonValueSchema } from "./json";
import { MAX_BODY_BYTES, ON_DELETE_POLICIES, SECOND_FACTOR_POLICIES, UNKNOWN } from "./user-fields";

/** Deployment-dependent limits used by validation. */
export interface UserValidationLimits {
  usernameMinLength: number;
  usernameMaxLength: number;
}

const MAX_INT64 = 9223372036854775807n;

/** A Wacht user id: a decimal int64 written as a string (wacht-api.md §1). */
export function isUserId(value: string): boolean {
  return /^[0-9]{1,19}$/.test(value) && BigInt(value) <= MAX_INT64 && BigInt(value) > 0n;
}

function nameSchema(label: string) {
  return z.string({ error: `${label} must be a string` }).superRefine((value, ctx) => {
    if (value === "") {
      ctx.addIssue({
        code: "custom",
        message: `${label} cannot be empty: Wacht ignores an empty value, so it can never be cleared. Remove the property to stop managing it`,
      });
    } else if (value.trim() === "") {
      ctx.addIssue({
        code: "custom",
        message: `${label} cannot be only whitespace: Wacht rejects it on deployments that require names ("${label} cannot be empty")`,
      });
    }
  });
}

function usernameSchema(limits: UserValidationLimits) {
  return z.string({ error: "username must be a string" }).superRefine((value, ctx) => {
    if (value.trim() === "") {
      ctx.addIssue({
        code: "custom",
        message:
          "username cannot be empty: Wacht ignores an empty value, so a username can never be cleared. Remove the property to stop managing it",
      });
      return;
    }
    // The server compares the trimmed UTF-8 byte length (wacht-api.md §3).
    const bytes = Buffer.byteLength(value.trim(), "utf8");
    if (bytes < limits.usernameMinLength) {
      ctx.addIssue({
        code: "custom",
        message: `username must be at least ${limits.usernameMinLength} characters (got ${bytes} bytes); Wacht would answer "Username must be at least ${limits.usernameMinLength} characters"`,
      });
    } else if (bytes > limits.usernameMaxLength) {
      ctx.addIssue({
        code: "custom",
        message: `username must be at most ${limits.usernameMaxLength} characters (got ${bytes} bytes); Wacht would answer "Username must be at most ${limits.usernameMaxLength} characters"`,
      });
    }
  });
}

function metadataSchema(label: string) {
  return JsonValueSchema.superRefine((value, ctx) => {
    const bytes = Buffer.byteLength(JSON.stringify(value), "utf8");
    if (bytes > MAX_BODY_BYTES) {
      ctx.addIssue({
        code: "custom",
        message: `${label} is ${bytes} bytes of JSON, over Wacht's 2 MiB request limit`,
      });
    }
  });
}

/**
 * Builds the declaration schema. Unknown keys are rejected (a typo would otherwise silently
 * stop managing a field). Preview unknowns must be removed by the caller before parsing.
 */
export function buildUserInputsSchema(limits: UserValidationLimits) {
  return z
    .object({
      userId: z
        .string({ error: "userId is required: the id of the existing Wacht user to manage" })
        .refine(isUserId, {
          message:
            'userId must be a Wacht user id: a positive decimal int64 such as "123456789012345678"',
        }),
      firstName: nameSchema("firstName").optional(),
      lastName: nameSchema("lastName").optional(),
      username: usernameSchema(limits).optional(),
      disabled: z.boolean({ error: "disabled must be true or false" }).optional(),
      secondFactorPolicy: z
        .enum(SECOND_FACTOR_POLICIES, {
          error: `secondFactorPolicy must be one of: ${SECOND_FACTOR_POLICIES.join(", ")}`,
        })
        .optional(),
      publicMetadata: metadataSchema("publicMetadata").optional(),
      privateMetadata: metadataSchema("privateMetadata").optional(),
      profileImage: z
        .string({ error: "profileImage must be a file path or a pulumi.asset.FileAsset" })
        .min(1, { message: "profileImage must be a file path or a pulumi.asset.FileAsset" })
        .optional(),
      removeProfileImage: z
        .boolean({ error: "removeProfileImage must be true or false" })
        .optional(),
      onDelete: z
        .enum(ON_DELETE_POLICIES, {
          error: `onDelete must be one of: ${ON_DELETE_POLICIES.join(", ")}`,
        })
        .optional(),
    })
    .strict()
    .superRefine((value, ctx) => {
      if (value.removeProfileImage === true && value.profileImage !== undefined) {
        ctx.addIssue({
          code: "custom",
          path: ["removeProfileImage"],
          message:
            "removeProfileImage and profileImage cannot both be set: Wacht applies the removal and skips the upload",
        });
      }
    });
}

/** True when a value is (or is wholly) the engine's preview-unknown sentinel. */
export function isUnknown(value: unknown): boolean {
  return value === UNKNOWN;
}
