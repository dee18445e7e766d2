// `wacht.User`: the Pulumi resource users declare. It registers the dynamic resource
// `pulumi-nodejs:dynamic/wacht:User` with the serialized shim as its provider. Outputs are
// declared with `declare` (a class field would overwrite the SDK's Output, pulumi-dynamic.md §2).
import * as pulumi from "@pulumi/pulumi";
import type { JsonValue } from "../schema/json";
import type { OnDeletePolicy, SecondFactorPolicy } from "../schema/user-fields";
import type { UserEmailOutput, UserPhoneOutput, UserSegmentOutput } from "../schema/user-state";
import { userProviderShim } from "../provider/shim";

/** The declaration of a managed Wacht user. A field left out is not managed: never sent, never diffed. */
export interface UserArgs {
  /** The id of the existing Wacht user to manage (a decimal int64 string). Changing it replaces. */
  userId: pulumi.Input<string>;
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
  /** Public metadata: any JSON value; the declared value replaces the stored one. */
  publicMetadata?: pulumi.Input<JsonValue>;
  /** Private metadata: any JSON value; always stored as a secret. */
  privateMetadata?: pulumi.Input<JsonValue>;
  /** Profile image: a FileAsset or a file path (PNG, JPEG, GIF, WEBP or ICO). State keeps its sha256. */
  profileImage?: pulumi.Input<pulumi.asset.FileAsset | string>;
  /** Remove the profile image. Cannot be combined with `profileImage`. */
  removeProfileImage?: pulumi.Input<boolean>;
  /** What deleting the resource does to the user: `retain` (default), `disable` or `delete`. */
  onDelete?: pulumi.Input<OnDeletePolicy>;
}

const OUTPUT_KEYS = [
  "firstName",
  "lastName",
  "username",
  "disabled",
  "secondFactorPolicy",
  "publicMetadata",
  "privateMetadata",
  "profilePictureUrl",
  "profileImage",
  "profileImageSha256",
  "removeProfileImage",
  "onDelete",
  "managedFields",
  "primaryEmailAddress",
  "primaryPhoneNumber",
  "createdAt",
  "updatedAt",
  "hasPassword",
  "hasBackupCodes",
  "emailAddresses",
  "phoneNumbers",
  "segments",
] as const;

function imagePath(
  image: pulumi.Input<pulumi.asset.FileAsset | string> | undefined,
): pulumi.Output<string> | undefined {
  if (image === undefined) return undefined;
  return pulumi.output(image).apply(async (value: unknown) => {
    if (typeof value === "string") return value;
    if (value instanceof pulumi.asset.FileAsset) return await value.path;
    const path = (value as { path?: unknown } | null)?.path;
    if (path !== undefined && (value as object).constructor?.name === "FileAsset")
      return String(await path);
    throw new Error("wacht.User profileImage must be a pulumi.asset.FileAsset or a file path");
  });
}

/** A Wacht user managed by Pulumi. */
export class User extends pulumi.dynamic.Resource {
  declare readonly userId: pulumi.Output<string>;
  declare readonly firstName: pulumi.Output<string>;
  declare readonly lastName: pulumi.Output<string>;
  /** `null` when the user has no username. */
  declare readonly username: pulumi.Output<string | null>;
  declare readonly disabled: pulumi.Output<boolean>;
  declare readonly secondFactorPolicy: pulumi.Output<string>;
  declare readonly publicMetadata: pulumi.Output<JsonValue>;
  /** Always a secret output. */
  declare readonly privateMetadata: pulumi.Output<JsonValue>;
  /** `""` when the user has no image. */
  declare readonly profilePictureUrl: pulumi.Output<string>;
  declare readonly profileImage: pulumi.Output<string | null>;
  declare readonly profileImageSha256: pulumi.Output<string | null>;
  declare readonly removeProfileImage: pulumi.Output<boolean>;
  declare readonly onDelete: pulumi.Output<OnDeletePolicy>;
  declare readonly managedFields: pulumi.Output<string[]>;
  declare readonly primaryEmailAddress: pulumi.Output<string | null>;
  declare readonly primaryPhoneNumber: pulumi.Output<string | null>;
  declare readonly createdAt: pulumi.Output<string>;
  declare readonly updatedAt: pulumi.Output<string>;
  declare readonly hasPassword: pulumi.Output<boolean>;
  declare readonly hasBackupCodes: pulumi.Output<boolean>;
  declare readonly emailAddresses: pulumi.Output<UserEmailOutput[]>;
  declare readonly phoneNumbers: pulumi.Output<UserPhoneOutput[]>;
  declare readonly segments: pulumi.Output<UserSegmentOutput[]>;

  constructor(name: string, args: UserArgs, opts?: pulumi.CustomResourceOptions) {
    const props: Record<string, unknown> = {};
    for (const key of OUTPUT_KEYS) props[key] = undefined; // output-only keys must exist in props
    const { privateMetadata, profileImage, ...rest } = args;
    Object.assign(props, rest);
    if (privateMetadata !== undefined) props["privateMetadata"] = pulumi.secret(privateMetadata);
    props["profileImage"] = imagePath(profileImage);
    super(
      userProviderShim,
      name,
      props,
      {
        ...opts,
        additionalSecretOutputs: [...(opts?.additionalSecretOutputs ?? []), "privateMetadata"],
      },
      "wacht",
      "User",
    );
  }
}
