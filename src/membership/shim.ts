// The objects Pulumi serializes as the membership resources' `__provider`: the User provider's
// shim class (src/provider/shim.ts, docs/decisions/0003-provider-shim.md) pointed at
// `pulumi-wacht/membership-impl`, one per resource type. Each holds two strings.
import { ProviderShim } from "../provider/shim";

const IMPL = "pulumi-wacht/membership-impl";

export const organizationMembershipShim = new ProviderShim(
  IMPL,
  "createOrganizationMembershipProvider",
);
export const workspaceMembershipShim = new ProviderShim(IMPL, "createWorkspaceMembershipProvider");
export const organizationMemberRoleShim = new ProviderShim(
  IMPL,
  "createOrganizationMemberRoleProvider",
);
export const workspaceMemberRoleShim = new ProviderShim(IMPL, "createWorkspaceMemberRoleProvider");
