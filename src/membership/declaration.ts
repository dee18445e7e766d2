// The declarations of the membership resources, validated by `check` (built by functions: no
// module-level zod for a serializer to meet), and the state they record. Ids are canonical
// decimal strings ("042" and "42" are one id); role names are kept as declared, sorted.
import { z } from "zod";
import { withoutValues, type CheckFailure } from "../schema/check-failures";
import { JsonValueSchema, type JsonValue } from "../schema/json";
import { canonicalUserId, isUserId } from "../schema/user-id";
import { hasUnknown } from "../schema/user-fields";
import type { RoleOutputs } from "./roles";
import type { ScopeSpec } from "./scope";

/** A role as the outputs show it. */
export interface RoleDetail {
  id: string;
  name: string;
  permissions: string[];
}

/** A checked `wacht.*Membership` declaration (the parent under its own key in the raw record). */
export interface MembershipDeclaration {
  parentId: string;
  userId: string;
  /** Role names, sorted and unique; undefined: roles are not managed. */
  roles?: string[];
  /** undefined: metadata is not managed. */
  publicMetadata?: JsonValue;
}

/** What a membership resource records (the parent again under its own key). */
export interface MembershipState extends RoleOutputs {
  parentId: string;
  userId: string;
  membershipId: string;
  publicMetadata: JsonValue;
}

/** A checked `wacht.*MemberRole` declaration. */
export interface MemberRoleDeclaration {
  parentId: string;
  userId: string;
  role: string;
}

/** What a member-role resource records. */
export interface MemberRoleState extends MemberRoleDeclaration {
  membershipId: string;
  roleId: string;
  permissions: string[];
}

/**
 * True when two recorded or declared values name the same id (or are the same text: a role name
 * such as "0x10" is not the id 16).
 */
export function sameKey(a: unknown, b: unknown): boolean {
  const canonical = (v: unknown) => (isUserId(v) ? canonicalUserId(v as string) : v);
  return canonical(a) === canonical(b);
}

function idField(name: string) {
  return z
    .string({ error: `${name} must be a Wacht id (a decimal int64 string)` })
    .refine(isUserId, { message: `${name} must be a Wacht id (a decimal int64 string)` })
    .transform(canonicalUserId);
}

const roleName = z
  .string({ error: "a role is named by a non-empty string" })
  .min(1, "a role is named by a non-empty string");

/** The schema of a membership declaration's raw record (unknowns already set aside). */
export function membershipSchema(spec: ScopeSpec) {
  return z.strictObject({
    [spec.parentKey]: idField(spec.parentKey),
    userId: idField("userId"),
    roles: z
      .array(roleName, { error: `roles must be a list of role names, e.g. ["Admin"]` })
      .refine((names) => new Set(names).size === names.length, {
        message: "roles names a role twice",
      })
      .optional(),
    publicMetadata: JsonValueSchema.refine((v) => v !== null, {
      message: "publicMetadata cannot be null (Wacht ignores null): declare {} to clear it",
    }).optional(),
  });
}

/** The schema of a member-role declaration's raw record. */
export function memberRoleSchema(spec: ScopeSpec) {
  return z.strictObject({
    [spec.parentKey]: idField(spec.parentKey),
    userId: idField("userId"),
    role: roleName,
  });
}

/** The arguments of an invoke that takes one id (`getOrganizationRoles`, `getUserMemberships`). */
export function idArgumentSchema(key: string) {
  return z.strictObject({ [key]: idField(key) });
}

/** The declaration from a raw record `check` accepted (under the scope's parent key). */
export function membershipDeclaration(
  spec: ScopeSpec,
  raw: Record<string, unknown>,
): MembershipDeclaration {
  return {
    parentId: raw[spec.parentKey] as string,
    userId: raw["userId"] as string,
    ...(raw["roles"] !== undefined && { roles: raw["roles"] as string[] }),
    ...(raw["publicMetadata"] !== undefined && {
      publicMetadata: raw["publicMetadata"] as JsonValue,
    }),
  };
}

/** The state as the engine stores it: the parent under the scope's key. */
export function stateRecord(
  spec: ScopeSpec,
  state: MembershipState | MemberRoleState,
): Record<string, unknown> {
  const { parentId, ...rest } = state;
  return { [spec.parentKey]: parentId, ...rest };
}

/** The parent and user a recorded state names, or the resource id `{parentId}/{userId}`. */
export function keysOf(
  spec: ScopeSpec,
  id: string,
  props: Record<string, unknown>,
): { parentId: string; userId: string } | undefined {
  const [parentFromId, userFromId] = id.split("/");
  const parentId = typeof props[spec.parentKey] === "string" ? props[spec.parentKey] : parentFromId;
  const userId = typeof props["userId"] === "string" ? props["userId"] : userFromId;
  if (typeof parentId !== "string" || typeof userId !== "string") return undefined;
  if (!isUserId(parentId) || !isUserId(userId)) return undefined;
  return { parentId: canonicalUserId(parentId), userId: canonicalUserId(userId) };
}

/** The resource id of a membership: `{parentId}/{userId}` (also its import id). */
export function membershipResourceId(parentId: string, userId: string): string {
  return `${parentId}/${userId}`;
}

/** The outcome of validating a raw declaration. */
export type Checked =
  | { inputs: Record<string, unknown>; unknown: string[]; failures?: undefined }
  | { inputs: Record<string, unknown>; failures: CheckFailure[] };

/**
 * Validates the engine's record with `schema`. A preview unknown is valid where it stands: it is
 * checked as its stand-in and kept as it is. Failures name no engine property (their reason
 * does: docs/pulumi-engine.md, schema/check-failures.ts).
 */
export function checkRecord(
  schema: z.ZodType<Record<string, unknown>>,
  news: Record<string, unknown>,
  standIns: Record<string, unknown>,
  takes: string,
): Checked {
  const raw = Object.fromEntries(
    Object.entries(news).filter(([k, v]) => k !== "__provider" && v !== undefined),
  );
  const unknown = Object.keys(raw).filter((k) => hasUnknown(raw[k]));
  const parsed = schema.safeParse({
    ...raw,
    ...Object.fromEntries(unknown.map((k) => [k, standIns[k]])),
  });
  if (!parsed.success) {
    const failures = parsed.error.issues.flatMap((issue): CheckFailure[] =>
      issue.code === "unrecognized_keys"
        ? issue.keys.map((k) => ({
            property: k,
            reason: `unknown property ${JSON.stringify(k)}: ${takes}`,
          }))
        : [{ property: issue.path.map(String).join(".") || "(resource)", reason: issue.message }],
    );
    return { inputs: news, failures: withoutValues(failures) };
  }
  const inputs: Record<string, unknown> = { ...parsed.data };
  for (const k of unknown) inputs[k] = raw[k];
  return { inputs, unknown };
}
