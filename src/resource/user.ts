// `wacht.User`: the Pulumi resource users declare. It registers the dynamic resource
// `pulumi-nodejs:dynamic/wacht:User` with the serialized shim as its provider.
import * as pulumi from "@pulumi/pulumi";
import { z } from "zod";
import type { JsonObject, JsonValue } from "../schema/json";
import {
  METADATA_FIELDS,
  OUTPUT_PROPERTIES,
  SECRET_INPUTS,
  SECRET_OUTPUTS,
} from "../schema/user-field-lists";
import type { SecondFactorPolicy } from "../schema/user-field-table";
import type { MetadataOwnership, OnConflictPolicy, OnDeletePolicy } from "../schema/user-fields";
import type { AdoptKey, UserOutputs } from "../schema/user-state";
import userProviderShim from "../provider/shim";
import { RESOURCE_URN_KEY, resourceUrnInput } from "./resource-urn";
import { claimAccount } from "./same-account";

/** The type token of `wacht.User` (what `pulumi.dynamic.Resource` makes of module and type). */
const USER_TYPE = "pulumi-nodejs:dynamic/wacht:User";

/**
 * The declaration of a managed Wacht user. A field left out is not managed: never sent, never
 * diffed. The user is given by `userId`, found by `adopt`, or (with neither) created.
 * `TPublic`/`TPrivate` type the metadata; pass a zod schema to have `check` enforce it.
 */
export interface UserArgs<
  TPublic extends JsonValue = JsonValue,
  TPrivate extends JsonValue = JsonValue,
> {
  /** The id of an existing Wacht user to manage (a decimal int64 string). Changing it replaces. */
  userId?: pulumi.Input<string>;
  /** Find exactly one existing user by `{ email }` or `{ username }` and manage it. */
  adopt?: pulumi.Input<AdoptKey>;
  /** Create-only: the new user's primary email address (used when neither userId nor adopt is set). */
  emailAddress?: pulumi.Input<string>;
  /** Create-only: the new user's phone number. */
  phoneNumber?: pulumi.Input<string>;
  /** First name. Cannot be empty: Wacht cannot clear a name. */
  firstName?: pulumi.Input<string>;
  /** Last name. Cannot be empty. */
  lastName?: pulumi.Input<string>;
  /** Username, within the deployment's length limits (3–30 by default). */
  username?: pulumi.Input<string>;
  /** Disable the user. Disabling revokes all of the user's sessions. */
  disabled?: pulumi.Input<boolean>;
  /** Per-user second-factor policy. */
  secondFactorPolicy?: pulumi.Input<SecondFactorPolicy>;
  /** Public metadata (any JSON value). */
  publicMetadata?: pulumi.Input<TPublic>;
  /** Private metadata (any JSON value); always stored as a secret. */
  privateMetadata?: pulumi.Input<TPrivate>;
  /** A zod schema the public metadata must match; enforced by `check` at preview. */
  publicMetadataSchema?: z.ZodType<TPublic>;
  /** A zod schema the private metadata must match; enforced by `check` at preview. */
  privateMetadataSchema?: z.ZodType<TPrivate>;
  /**
   * `replace` (default): the declared metadata is the whole value. `keys`: only the declared
   * top-level keys are managed; keys written by apps or admins are kept, and a key removed from
   * the declaration is deleted.
   */
  metadataOwnership?: pulumi.Input<MetadataOwnership>;
  /** Profile image: a FileAsset or a file path (PNG, JPEG, GIF, WEBP or ICO). State keeps its sha256. */
  profileImage?: pulumi.Input<pulumi.asset.FileAsset | string>;
  /** Remove the profile image. Cannot be combined with `profileImage`. */
  removeProfileImage?: pulumi.Input<boolean>;
  /** Write-only: never in state or outputs. Set at creation and whenever `passwordVersion` changes. */
  password?: pulumi.Input<string>;
  /** Bump it (any string or number) to set `password` again. */
  passwordVersion?: pulumi.Input<string | number>;
  /** Skip the deployment's password rules when setting the password. */
  skipPasswordCheck?: pulumi.Input<boolean>;
  /** What deleting the resource does to the user: `retain`, `disable` or `delete` (default: `delete` for a user this resource created, else `retain`). */
  onDelete?: pulumi.Input<OnDeletePolicy>;
  /** `fail` (default): refuse to overwrite a field someone else changed since the last read. `overwrite`: last writer wins. */
  onConflict?: pulumi.Input<OnConflictPolicy>;
  /** `false`: refuse to enforce 2FA on a user with no visible second factor (default: warn). */
  allowLockout?: pulumi.Input<boolean>;
  /**
   * An ISO 8601 instant with a time zone (e.g. `"2027-03-31T23:59:59Z"`). From then on the account
   * is declared disabled: the next preview shows it, `up` disables it, and a drift check fails
   * while it is still enabled. Each run reads the clock once. Removing it never re-enables.
   */
  disableAfter?: pulumi.Input<string>;
}

/** The file path of a FileAsset (raw or unwrapped by an Output), or undefined. */
async function assetPath(value: unknown): Promise<string | undefined> {
  if (value instanceof pulumi.asset.FileAsset) return await value.path;
  if (value === null || typeof value !== "object") return undefined;
  // Inside an Output an asset arrives unwrapped as `{ __pulumiAsset: true, path }`, and one from
  // another copy of @pulumi/pulumi fails instanceof: accept both by shape.
  const record = value as {
    __pulumiAsset?: unknown;
    path?: unknown;
    constructor?: { name?: string };
  };
  if (record.__pulumiAsset !== true && record.constructor?.name !== "FileAsset") return undefined;
  const path: unknown = await Promise.resolve(record.path);
  return typeof path === "string" ? path : undefined;
}

function imagePath(
  image: pulumi.Input<pulumi.asset.FileAsset | string> | undefined,
): pulumi.Output<string> | undefined {
  if (image === undefined) return undefined;
  if (image instanceof pulumi.asset.FileAsset) return pulumi.output(image.path);
  return pulumi.output(image).apply(async (value: unknown) => {
    if (typeof value === "string") return value;
    const path = await assetPath(value);
    if (path !== undefined) return path;
    throw new Error(
      "wacht.User profileImage must be a pulumi.asset.FileAsset or a file path (string and remote assets are not supported)",
    );
  });
}

function jsonSchemaOf(label: string, schema: z.ZodType | undefined): JsonObject | undefined {
  if (schema === undefined) return undefined;
  try {
    return z.toJSONSchema(schema) as JsonObject;
  } catch (err) {
    throw new Error(
      `wacht.User ${label} cannot be checked by the provider: it has no JSON Schema form (${err instanceof Error ? err.message : String(err)})`,
    );
  }
}

/**
 * The outputs of a `wacht.User`: the state's keys and types (UserOutputs, the table's outputs),
 * the metadata typed as declared.
 */
type UserOutputProperties<TPublic extends JsonValue, TPrivate extends JsonValue> = {
  readonly [K in keyof UserOutputs]: pulumi.Output<
    K extends "publicMetadata" ? TPublic : K extends "privateMetadata" ? TPrivate : UserOutputs[K]
  >;
};

// The outputs, merged into the class as an interface: class fields would overwrite the SDK's
// Outputs (docs/pulumi-engine.md §2). The members below are the mapped type's own, restated only
// for the editor docs that the table-derived keys cannot carry.
export interface User<
  TPublic extends JsonValue = JsonValue,
  TPrivate extends JsonValue = JsonValue,
> extends UserOutputProperties<TPublic, TPrivate> {
  /** `null` when the user has no username. */
  readonly username: pulumi.Output<string | null>;
  /** Always a secret output. */
  readonly privateMetadata: pulumi.Output<TPrivate>;
  /** With `metadataOwnership: "keys"`: public keys written by someone else. */
  readonly externalPublicMetadataKeys: pulumi.Output<string[]>;
  /** With `metadataOwnership: "keys"`: private keys written by someone else. */
  readonly externalPrivateMetadataKeys: pulumi.Output<string[]>;
  /** The declared create-only email address (not the live one: see `primaryEmailAddress`). */
  readonly emailAddress: pulumi.Output<string | null>;
  /** The declared create-only phone number (not the live one: see `primaryPhoneNumber`). */
  readonly phoneNumber: pulumi.Output<string | null>;
  /** The declared create-only `skipPasswordCheck`, or `null`. */
  readonly skipPasswordCheck: pulumi.Output<boolean | null>;
}

/** A Wacht user managed by Pulumi. */
// eslint-disable-next-line @typescript-eslint/no-unsafe-declaration-merging -- outputs only, set by the SDK
export class User<TPublic extends JsonValue = JsonValue, TPrivate extends JsonValue = JsonValue>
  extends pulumi.dynamic.Resource
{
  /**
   * Reads an existing Wacht user into the stack by id, without managing it: the engine reads it
   * (a `read` step, no write) on every `up`, and deleting it from the program never touches the
   * user. To manage an existing user, declare it with `userId` instead.
   */
  static get(name: string, id: pulumi.Input<string>, opts?: pulumi.CustomResourceOptions): User {
    return new User(name, {}, { ...opts, id });
  }

  constructor(
    name: string,
    args: UserArgs<TPublic, TPrivate>,
    opts?: pulumi.CustomResourceOptions,
  ) {
    // Output keys must exist in props; each metadata field's zod schema leaves as a JSON Schema.
    const props: Record<string, unknown> = Object.fromEntries(
      OUTPUT_PROPERTIES.map((key) => [key, undefined]),
    );
    Object.assign(props, args);
    for (const key of METADATA_FIELDS.map((field) => `${field}Schema` as const)) {
      props[key] = jsonSchemaOf(key, args[key]);
    }
    props["profileImage"] = imagePath(args.profileImage);
    // The table's secret inputs (password, private metadata and its schema) leave as secrets.
    for (const key of SECRET_INPUTS) {
      if (props[key] !== undefined) props[key] = pulumi.secret(props[key]);
    }
    // A read-only `User.get` manages no account; any other User claims its keys in this program
    // (two resources for one account fail here, naming both: ./same-account.ts).
    const claimed = opts?.id === undefined ? claimAccount(name, args) : undefined;
    props[RESOURCE_URN_KEY] = resourceUrnInput(name, USER_TYPE, opts, claimed);
    // The SDK stores `new Error().stack` on four promises of every registered property, for its
    // promise-leak report; a User registers ~40 properties (every output), so those traces were
    // most of a User's registration CPU and they stay in memory for the program's life (issue #19,
    // BENCHMARKS.md "At the engine's floor"). None are taken while registering, unless
    // PULUMI_DEBUG_PROMISE_LEAKS asks for that report. The limit is restored before anything else
    // runs, whatever happens.
    const stackTraceLimit = Error.stackTraceLimit;
    if (process.env["PULUMI_DEBUG_PROMISE_LEAKS"] === undefined) Error.stackTraceLimit = 0;
    try {
      super(
        userProviderShim,
        name,
        props,
        {
          ...opts,
          // The table's secret outputs (private metadata, the names of its keys) are secret in state.
          additionalSecretOutputs: [...(opts?.additionalSecretOutputs ?? []), ...SECRET_OUTPUTS],
        },
        "wacht",
        "User",
      );
    } finally {
      Error.stackTraceLimit = stackTraceLimit;
    }
  }
}
