// The package's public surface: the `User` resource and its types, the Wacht client (also at
// `pulumi-wacht/client`, which does not load Pulumi), and the config key names. The emulator is
// at `pulumi-wacht/emulator`.
export { User, type UserArgs } from "./resource/user";
export * from "./client";
export type { JsonObject, JsonValue } from "./schema/json";
export type {
  AdoptKey,
  UserOrigin,
  UserEmailOutput,
  UserInputs,
  UserOutputs,
  UserPhoneOutput,
  UserSegmentOutput,
} from "./schema/user-state";
export type { MetadataOwnership, OnConflictPolicy, OnDeletePolicy } from "./schema/user-fields";
export { CONFIG_KEYS, ENV_KEYS } from "./config/provider-config";
