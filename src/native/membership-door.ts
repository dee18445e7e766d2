// The native front door of the membership resources (`wacht:index:OrganizationMembership`,
// `…WorkspaceMembership`, `…OrganizationMemberRole`, `…WorkspaceMemberRole`): every call goes to
// the implementation the dynamic `wacht.*Membership` / `wacht.*MemberRole` run
// (src/membership/, docs/decisions/0017-memberships.md), on the process's shared runtime (one
// role and member listing per parent per run). A membership holds no secret. Import: a Read with
// no state reads by the resource id, `{parentId}/{userId}` (`{parentId}/{userId}/{roleId}` for a
// member role), and fails naming the membership when there is none.
import type { MemberRoleProvider } from "../membership/member-role-provider";
import type { MembershipProvider } from "../membership/membership-provider";
import type { ResourceDoor } from "./resource-door";
import type { Props } from "./protocol";

export class MembershipDoor implements ResourceDoor {
  readonly secretInputs = [];
  readonly secretOutputs = [];

  constructor(
    readonly impl: MembershipProvider | MemberRoleProvider,
    /** The native type token, for messages. */
    private readonly token: string,
  ) {}

  async check(_urn: string, olds: Props, news: Props) {
    const result = await this.impl.check(olds, news);
    return { inputs: (result.inputs ?? news) as Props, failures: result.failures ?? [] };
  }

  async diff(_urn: string, id: string, olds: Props, news: Props) {
    const result = await this.impl.diff(id, olds, news);
    return { ...result, changed: result.changedProperties };
  }

  async create(_urn: string, news: Props) {
    const result = await this.impl.create(news);
    return { id: result.id, outs: result.outs as Props };
  }

  async read(_urn: string, id: string, props: Props) {
    const result = await this.impl.read(id, props);
    if (result.id && result.props !== undefined) {
      return {
        id: result.id,
        props: result.props as Props,
        ...(result.inputs !== undefined && { inputs: result.inputs as Props }),
      };
    }
    if (Object.keys(props).length > 0) return { id: "" };
    // `pulumi import`, the import option or a get: nothing to take over is an error, not a gap.
    const { label } = this.impl.spec;
    const [parentId, userId, roleId] = id.split("/");
    throw new Error(
      roleId === undefined
        ? `${this.token} ${id}: user ${userId} has no membership in ${label} ${parentId}`
        : `${this.token} ${id}: user ${userId} has no membership in ${label} ${parentId} holding role ${roleId}`,
    );
  }

  async update(_urn: string, id: string, olds: Props, news: Props) {
    const result = await this.impl.update(id, olds, news);
    return { outs: (result.outs ?? {}) as Props };
  }

  async delete(_urn: string, id: string, props: Props) {
    await this.impl.delete(id, props);
  }
}
