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
// GitOps (issue 14): roster files, the census of undeclared accounts, export and lookups.
export { loadRoster, type LoadRosterOptions, type Roster } from "./roster/load-roster";
export { readRoster } from "./roster/read-roster";
export {
  parseRosterFile,
  RosterError,
  type RosterEntry,
  type RosterProblem,
} from "./roster/roster-file";
export type { ConfigRef } from "./roster/config-ref";
export { UserCensus, type UserCensusArgs } from "./census/user-census";
// Memberships and roles (issue 22): docs/memberships.md.
export {
  OrganizationMembership,
  WorkspaceMembership,
  OrganizationMemberRole,
  WorkspaceMemberRole,
  type OrganizationMembershipArgs,
  type WorkspaceMembershipArgs,
  type OrganizationMemberRoleArgs,
  type WorkspaceMemberRoleArgs,
  type RoleDetail,
} from "./membership/resources";
export type { CensusAccount, CensusSelector, UndeclaredPolicy } from "./census/census-inputs";
export {
  exportUsers,
  EXPORT_FORMATS,
  type ExportFormat,
  type ExportOptions,
  type ExportResult,
  type ExportedFile,
} from "./export/export-users";
export { parseSelect, type ExportSelector } from "./export/export-selector";
export { runCli, type CliIo } from "./cli/run-cli";
export {
  lookupUser,
  type LookedUpUser,
  type LookupKey,
  type LookupOptions,
} from "./lookup/lookup-user";
