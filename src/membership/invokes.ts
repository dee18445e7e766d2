// The membership wing's invokes (the native provider's functions, docs/decisions/0017-memberships.md):
// `getOrganizationRoles` / `getWorkspaceRoles` list the roles a declaration can name (the same
// listing `check` resolves names in, once per run), and `getUserMemberships` reads a user's
// memberships from the user's own lists. Their arguments and results are fields.ts's facts.
import type { WachtClient } from "../client/wacht-client";
import { isNotFound } from "../provider/errors";
import type { CheckFailure } from "../schema/check-failures";
import { checkRecord, idArgumentSchema, type RoleDetail } from "./declaration";
import { missingParent, type MembershipRuntime } from "./runtime";
import { byName, roleDetail } from "./roles";
import type { ScopeSpec } from "./scope";
import { userMemberships, type UserMemberships } from "./user-memberships";

type Props = Record<string, unknown>;

/** A role as `getOrganizationRoles` returns it. */
export interface ParentRole extends RoleDetail {
  isDeploymentLevel: boolean;
}

/** An invoke's outcome: its result, or why its arguments are wrong. */
export type InvokeOutcome<T> = { result: T; failures?: undefined } | { failures: CheckFailure[] };

/** The one id argument `key` of `fn`, or the failures naming what is wrong. */
function idArgument(fn: string, key: string, args: Props): string | CheckFailure[] {
  const checked = checkRecord(idArgumentSchema(key), args, {}, `${fn} takes ${key}`);
  return checked.failures ?? String(checked.inputs[key]);
}

/** `getOrganizationRoles({ organizationId })` (or the workspace twin): the roles, by name. */
export async function parentRoles(
  runtime: MembershipRuntime,
  client: WachtClient,
  spec: ScopeSpec,
  args: Props,
): Promise<InvokeOutcome<Props>> {
  const parentId = idArgument(spec.rolesFunction, spec.parentKey, args);
  if (typeof parentId !== "string") return { failures: parentId };
  let roles;
  try {
    roles = await runtime.roles(client, spec, parentId);
  } catch (err) {
    if (isNotFound(err)) throw new Error(`${spec.rolesFunction}: ${missingParent(spec, parentId)}`);
    throw err;
  }
  const listed: ParentRole[] = roles
    .map((r) => ({ ...roleDetail(r), isDeploymentLevel: r.is_deployment_level === true }))
    .sort(byName);
  return { result: { [spec.parentKey]: parentId, roles: listed } };
}

/** `getUserMemberships({ userId })`. */
export async function getUserMemberships(
  client: WachtClient,
  args: Props,
): Promise<InvokeOutcome<UserMemberships>> {
  const userId = idArgument("getUserMemberships", "userId", args);
  if (typeof userId !== "string") return { failures: userId };
  try {
    return { result: await userMemberships(client, userId) };
  } catch (err) {
    if (err instanceof Error) err.message = `getUserMemberships: ${err.message}`;
    throw err;
  }
}
