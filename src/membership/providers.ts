// The implementation module the membership shims load by package name
// (`pulumi-wacht/membership-impl`, docs/decisions/0003-provider-shim.md): one factory per
// resource type, each a provider of one scope on the process's shared runtime (one member and
// role listing per parent per run), whose calls run with their resource type as the logging
// context (src/provider/log.ts).
import { watchEngineInDynamicHost } from "../provider/engine-watch";
import { withResource } from "../provider/log";
import { perProcess, type ShimmedProvider } from "../provider/engine-facing";
import { MemberRoleProvider } from "./member-role-provider";
import { MembershipProvider } from "./membership-provider";
import { processMemberships } from "./runtime";
import { ORGANIZATION_SCOPE, WORKSPACE_SCOPE, type ScopeSpec } from "./scope";

type Impl = MembershipProvider | MemberRoleProvider;

/** The engine-facing provider: every call of `impl` runs with `type` as the current resource. */
export function dynamicFrontDoor(impl: Impl, type: string): ShimmedProvider {
  watchEngineInDynamicHost();
  const ref = { type };
  return {
    configure: (req) => impl.configure(req),
    check: (olds, news) => withResource(ref, () => impl.check(olds, news)),
    diff: (id, olds, news) => withResource(ref, () => impl.diff(id, olds, news)),
    create: (inputs) => withResource(ref, () => impl.create(inputs)),
    read: (id, props) => withResource(ref, () => impl.read(id, props)),
    update: (id, olds, news) => withResource(ref, () => impl.update(id, olds, news)),
    delete: (id, props) => withResource(ref, () => impl.delete(id, props)),
  };
}

const membership = (spec: ScopeSpec) =>
  dynamicFrontDoor(new MembershipProvider(spec, processMemberships()), spec.membershipType);
const memberRole = (spec: ScopeSpec) =>
  dynamicFrontDoor(new MemberRoleProvider(spec, processMemberships()), spec.memberRoleType);

/** `wacht.OrganizationMembership`. */
export const createOrganizationMembershipProvider = () => membership(ORGANIZATION_SCOPE);
/** `wacht.WorkspaceMembership`. */
export const createWorkspaceMembershipProvider = () => membership(WORKSPACE_SCOPE);
/** `wacht.OrganizationMemberRole`. */
export const createOrganizationMemberRoleProvider = () => memberRole(ORGANIZATION_SCOPE);
/** `wacht.WorkspaceMemberRole`. */
export const createWorkspaceMemberRoleProvider = () => memberRole(WORKSPACE_SCOPE);

/** The process's one provider of each type as the engine sees it: what ./shims/ delegate to. */
export const engineOrganizationMembershipProvider = perProcess(
  createOrganizationMembershipProvider,
);
export const engineWorkspaceMembershipProvider = perProcess(createWorkspaceMembershipProvider);
export const engineOrganizationMemberRoleProvider = perProcess(
  createOrganizationMemberRoleProvider,
);
export const engineWorkspaceMemberRoleProvider = perProcess(createWorkspaceMemberRoleProvider);

export { MembershipProvider, MemberRoleProvider, processMemberships };
export { MembershipRuntime } from "./runtime";
