// Public surface of the Wacht API client (`pulumi-wacht/client`, re-exported from the package root).
// A plain SDK: it never imports @pulumi/pulumi. Internals (transport, runner, pacing registry) stay private.

export { WachtClient, type WachtClientOptions } from "./wacht-client";
export { UsersApi } from "./users-api";
export {
  MembershipsApi,
  MEMBER_PAGE_SIZE,
  type ListMembersParams,
  type MemberUpdate,
  type MembershipScope,
} from "./b2b/memberships-api";
export type {
  ApiMember,
  ApiMemberPage,
  ApiParent,
  ApiRole,
  ApiUserMembership,
} from "./b2b/membership-wire";
export type { RetryInfo } from "./runner";
export type { RetryReason, RetryDelaySource } from "./retry";
export type {
  UserUpdate,
  UserCreate,
  ListUsersParams,
  ListAllUsersParams,
  SetPasswordOptions,
  UserSortKey,
} from "./user-params";
export {
  WachtError,
  WachtApiError,
  WachtBadRequestError,
  WachtAuthenticationError,
  WachtPermissionError,
  WachtNotFoundError,
  WachtConflictError,
  WachtUnprocessableError,
  WachtRateLimitError,
  WachtServerError,
  WachtConnectionError,
  WachtTimeoutError,
  WachtResponseValidationError,
  WachtConfigError,
  WachtValidationError,
  isWachtError,
  type WachtErrorKind,
  type RetryHintSource,
  type WachtApiErrorInit,
  type WachtTimeoutPhase,
  type WachtIssue,
} from "./errors";
export { sniffImageType, type ImageType } from "./image-type";
export { isUserId } from "./ids";
// The size limits under the client's names; the facts live in schema/user-fields.ts.
export {
  MAX_BODY_BYTES,
  REQUEST_PARTS_LIMIT_BYTES as MAX_IMAGE_BYTES,
  humanBytes as formatBytes,
} from "../schema/user-fields";
export { canonicalJson } from "./canonical-json";
export {
  DEFAULT_BASE_URL,
  DEFAULT_TIMEOUT_MS,
  DEFAULT_TOTAL_TIMEOUT_MS,
  DEFAULT_MAX_RETRIES,
  DEFAULT_MAX_RETRY_WAIT_MS,
  DEFAULT_REQUESTS_PER_MINUTE,
} from "./config";
export type { JsonValue, JsonObject } from "../schema/json";
export type {
  ApiUserDetails,
  ApiUserSummary,
  ApiUserListPage,
  ApiUserEmailAddress,
  ApiUserPhoneNumber,
  ApiSocialConnection,
  ApiSegment,
  SecondFactorPolicy,
  OpenEnum,
} from "../schema/wire";
