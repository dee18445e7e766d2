// Seed organizations: the `organizations` option, `POST /__emulator/organizations` and the CLI's
// `--seed-orgs` file describe organizations with their custom roles, workspaces and members,
// members' roles given by NAME (resolved in the organization or workspace; an unknown or
// ambiguous name is an error). Users must exist already (seed them first).
import { z } from "zod";
import { JsonValueSchema } from "../../schema/json";
import { int64 } from "../seed";
import type { UserStore } from "../store";
import type { StoredParent } from "./b2b-store";

const roleSeed = z.strictObject({
  id: int64.optional(),
  name: z.string().min(1),
  permissions: z.array(z.string()).default([]),
});
const memberSeed = z.strictObject({
  user_id: int64,
  roles: z.array(z.string()).default([]),
  public_metadata: JsonValueSchema.optional(),
});
const parentFields = {
  id: int64.optional(),
  name: z.string().min(1),
  public_metadata: JsonValueSchema.optional(),
  private_metadata: JsonValueSchema.optional(),
  roles: z.array(roleSeed).default([]),
  members: z.array(memberSeed).default([]),
};

export const seedOrganizationSchema = z.strictObject({
  ...parentFields,
  deployment_id: int64.optional(),
  workspaces: z.array(z.strictObject(parentFields)).default([]),
});

/** An organization to create at start (or on reset), with roles, workspaces and members. */
export type SeedOrganization = z.input<typeof seedOrganizationSchema>;

export const seedOrganizationsSchema = z.array(seedOrganizationSchema);

type ParentSeed = z.output<typeof seedOrganizationSchema>["workspaces"][number];
type MemberSeed = ParentSeed["members"][number];

function seedMember(store: UserStore, parent: StoredParent, m: MemberSeed): void {
  const { b2b } = store;
  if (!store.get(parent.deploymentId, m.user_id)) {
    throw new Error(`seed ${parent.scope} ${parent.name}: no user ${m.user_id} in its deployment`);
  }
  const roles = b2b.rolesFor(parent);
  const ids = m.roles.map((name) => {
    const found = roles.filter((r) => r.name === name);
    if (found.length !== 1) {
      throw new Error(
        `seed ${parent.scope} ${parent.name}: role "${name}" names ${found.length} roles`,
      );
    }
    return found[0]!.id;
  });
  const membership =
    b2b.membershipOf(parent, m.user_id) ?? b2b.addMembership(parent, m.user_id, []);
  membership.roleIds = ids;
  if (m.public_metadata !== undefined) membership.publicMetadata = m.public_metadata;
}

function seedParent(store: UserStore, parent: StoredParent, seed: ParentSeed): void {
  for (const r of seed.roles) {
    store.b2b.addRole(parent.deploymentId, { ...r, scope: parent.scope, ownerId: parent.id });
  }
  for (const m of seed.members) seedMember(store, parent, m);
}

/** Creates the seed organizations (and everything in them); returns the organizations. */
export function applyOrganizationSeed(
  store: UserStore,
  seed: readonly SeedOrganization[],
  deploymentId: string,
): StoredParent[] {
  const { b2b } = store;
  const orgs = seedOrganizationsSchema.parse(seed).map((s) => {
    const org = b2b.addParent(s.deployment_id ?? deploymentId, {
      id: s.id,
      scope: "organization",
      organizationId: null,
      name: s.name,
      publicMetadata: s.public_metadata ?? {},
      privateMetadata: s.private_metadata ?? {},
    });
    seedParent(store, org, s);
    for (const w of s.workspaces) {
      const ws = b2b.addParent(org.deploymentId, {
        id: w.id,
        scope: "workspace",
        organizationId: org.id,
        name: w.name,
        publicMetadata: w.public_metadata ?? {},
        privateMetadata: w.private_metadata ?? {},
      });
      // A workspace member is an organization member too (Member, unless seeded otherwise).
      for (const m of w.members) {
        if (!b2b.membershipOf(org, m.user_id)) {
          seedMember(store, org, { user_id: m.user_id, roles: ["Member"] });
        }
      }
      seedParent(store, ws, w);
    }
    return org;
  });
  store.changed();
  return orgs;
}
