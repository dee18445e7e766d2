// Zod schemas of the B2B wire shapes the client reads (docs/wacht-memberships.md §4). Only what
// a caller needs is kept: unknown keys are stripped, so the member details' names and emails
// (other people's account data) and an organization's private metadata never leave the client.
// Role order is arbitrary on the wire (§3.7): callers compare role sets.
import { z } from "zod";
import { JsonValueSchema } from "../../schema/json";

const Id = z.string();

/** `OrganizationRole` / `WorkspaceRole`. */
export const ApiRoleSchema = z.object({
  id: Id,
  name: z.string(),
  permissions: z.array(z.string()),
  /**
   * Wrong (`false`) in the member POST answer (§3.3); right in the lists; absent from the
   * settings' deployment-level list (§4).
   */
  is_deployment_level: z.boolean().optional(),
});
/** A role (wire shape). */
export type ApiRole = z.infer<typeof ApiRoleSchema>;

/** `{data: Role[]}` (the roles list has `has_more: false` too, the settings list does not). */
export const ApiRoleListSchema = z.object({ data: z.array(ApiRoleSchema) });

/** Member details (`OrganizationMemberDetails` / `WorkspaceMemberDetails`), trimmed. */
export const ApiMemberSchema = z.object({
  /** The membership id. */
  id: Id,
  created_at: z.string(),
  updated_at: z.string(),
  user_id: Id,
  roles: z.array(ApiRoleSchema),
  public_metadata: JsonValueSchema.optional(),
});
/** A membership as the member routes show it (wire shape, user details dropped). */
export type ApiMember = z.infer<typeof ApiMemberSchema>;

/** A page of the member list: `{data, has_more, limit, offset}` (no total). */
export const ApiMemberPageSchema = z.object({
  data: z.array(ApiMemberSchema),
  has_more: z.boolean(),
});
/** A page of members (wire shape). */
export type ApiMemberPage = z.infer<typeof ApiMemberPageSchema>;

/** The organization or workspace embedded in a per-user membership: id and name only. */
const ParentSchema = z.object({ id: Id, name: z.string() });

/**
 * A page of `GET /organizations` (`{data: Organization[], has_more, …}`), each organization
 * trimmed to its id and name (its metadata, private included, is dropped at parse time).
 */
export const ApiParentPageSchema = z.object({ data: z.array(ParentSchema), has_more: z.boolean() });
/** A page of `GET /organizations` (wire shape). */
export type ApiParentPage = z.infer<typeof ApiParentPageSchema>;
/** An organization (or workspace) as its list shows it, trimmed (wire shape). */
export type ApiParent = z.infer<typeof ParentSchema>;

/** `UserOrganizationMembership` / `UserWorkspaceMembership`, trimmed (roles ordered by name). */
export const ApiUserMembershipSchema = z.object({
  id: Id,
  created_at: z.string(),
  updated_at: z.string(),
  user_id: Id,
  /** Set for both kinds: a workspace membership names its organization too. */
  organization_id: Id,
  /** Workspace memberships only. */
  workspace_id: Id.optional(),
  roles: z.array(ApiRoleSchema),
  public_metadata: JsonValueSchema,
  organization: ParentSchema.optional(),
  workspace: ParentSchema.optional(),
});
/** One of a user's memberships (wire shape). */
export type ApiUserMembership = z.infer<typeof ApiUserMembershipSchema>;

/** `{data: UserMembership[], has_more: false}`. */
export const ApiUserMembershipListSchema = z.object({ data: z.array(ApiUserMembershipSchema) });
