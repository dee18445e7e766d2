// `loadRoster("users/")`: declares one `wacht.User` per roster file. The file name is the
// resource name; `aliases` become Pulumi aliases (a renamed file keeps its resource); secrets are
// read from stack config as secrets (`requireSecret`), so they never sit in the repository.
import * as path from "node:path";
import * as pulumi from "@pulumi/pulumi";
import { readProgramConfig } from "../config/program-config";
import { resolveLimits } from "../config/provider-config";
import { membershipPair } from "../census/take-permission-census";
import { OrganizationMembership, WorkspaceMembership } from "../membership/resources";
import { User, type UserArgs } from "../resource/user";
import type { JsonValue } from "../schema/json";
import { ON_DELETE_POLICIES, type OnDeletePolicy } from "../schema/user-fields";
import type { UserValidationLimits } from "../schema/user-inputs";
import { configOf, referenceProblems } from "./check-references";
import { readRoster } from "./read-roster";
import { RosterError, type RosterEntry } from "./roster-file";

/** Options of {@link loadRoster}. */
export interface LoadRosterOptions {
  /** Username limits; default: `wacht:usernameMinLength` / `wacht:usernameMaxLength` or Wacht's defaults. */
  limits?: UserValidationLimits;
  /** Options given to every User (e.g. `protect`, a `parent`); aliases from the files are added. */
  resourceOptions?: pulumi.CustomResourceOptions;
  /**
   * What deleting a file does to its account, for every file that does not say (`onDelete` in a
   * file wins). `"disable"` offboards a person: the account is disabled, never deleted. Without
   * it, each user's own default applies: `delete` for a user the stack created, else `retain`.
   */
  onDelete?: OnDeletePolicy;
}

/** The declared accounts of a roster. */
export interface Roster {
  /** One resource per file, by resource name. */
  users: Record<string, User>;
  /** The ids of every declared user: give it to `UserCensus.declaredUserIds`. */
  userIds: pulumi.Output<string[]>;
  /**
   * The organization memberships the files declare (`organizations:`), by resource name
   * (`<file>@<organizationId>`).
   */
  organizationMemberships: Record<string, OrganizationMembership>;
  /** The workspace memberships the files declare (`workspaces:`), `<file>@<workspaceId>`. */
  workspaceMemberships: Record<string, WorkspaceMembership>;
  /**
   * `<organizationId>/<userId>` of every declared organization membership: give it to
   * `UserCensus.declaredMemberships` (a census by permission names the others).
   */
  memberships: pulumi.Output<string[]>;
}

/** The resource name of a membership a roster file declares: `<file>@<parentId>`. */
export function rosterMembershipName(fileName: string, parentId: string): string {
  // Starting with the user's name, it follows the user's aliases (Pulumi derives a child's alias
  // from its parent's when the child's name starts with the parent's), so renaming a file with
  // `aliases` keeps its memberships too.
  return `${fileName}@${parentId}`;
}

/**
 * Declares the memberships of one entry, children of its user (deleting the file deletes them
 * before the user); each workspace membership depends on the entry's organization memberships, so
 * Wacht never creates one implicitly with its default role and destroy removes it first.
 */
function declareMemberships(
  entry: RosterEntry,
  user: User,
  options: LoadRosterOptions,
  roster: Pick<Roster, "organizationMemberships" | "workspaceMemberships">,
): void {
  const inherited: pulumi.CustomResourceOptions = { parent: user };
  if (options.resourceOptions?.retainOnDelete !== undefined)
    inherited.retainOnDelete = options.resourceOptions.retainOnDelete;
  const orgs = Object.entries(entry.memberships?.organizations ?? {}).map(([id, roles]) => {
    const name = rosterMembershipName(entry.name, id);
    const m = new OrganizationMembership(
      name,
      { organizationId: id, userId: user.userId, roles },
      inherited,
    );
    roster.organizationMemberships[name] = m;
    return m;
  });
  for (const [id, roles] of Object.entries(entry.memberships?.workspaces ?? {})) {
    const name = rosterMembershipName(entry.name, id);
    roster.workspaceMemberships[name] = new WorkspaceMembership(
      name,
      { workspaceId: id, userId: user.userId, roles },
      orgs.length > 0 ? { ...inherited, dependsOn: orgs } : inherited,
    );
  }
}

/** The `wacht.User` arguments of one roster entry (secrets resolved from config). */
export function userArgsOf(entry: RosterEntry, dir: string, onDelete?: OnDeletePolicy): UserArgs {
  const args = { ...entry.args } as UserArgs;
  if (args.onDelete === undefined && onDelete !== undefined) args.onDelete = onDelete;
  const image = entry.args["profileImage"];
  if (typeof image === "string") args.profileImage = path.resolve(dir, image);
  if (entry.password) {
    const { config, name } = configOf(entry.password);
    args.password = config.requireSecret(name);
  }
  if (entry.privateMetadata) {
    const { config, name } = configOf(entry.privateMetadata);
    args.privateMetadata = config.requireSecretObject<JsonValue>(name);
  }
  return args;
}

/**
 * Declares one `wacht.User` per roster file of `dir` (YAML or JSON). Throws a RosterError naming
 * the file, line and column of every problem before declaring anything: first those of the files
 * (syntax, the User rules, two files for one account), then every config reference whose key the
 * stack does not set.
 */
export function loadRoster(dir: string, options: LoadRosterOptions = {}): Roster {
  if (
    options.onDelete !== undefined &&
    !(ON_DELETE_POLICIES as readonly unknown[]).includes(options.onDelete)
  ) {
    throw new Error(
      `loadRoster: onDelete must be one of ${ON_DELETE_POLICIES.join(", ")} (got ${JSON.stringify(options.onDelete)})`,
    );
  }
  const entries = readRoster(dir, options.limits ?? resolveLimits(readProgramConfig()));
  const missing = referenceProblems(entries);
  if (missing.length > 0) throw new RosterError(missing);
  const users: Record<string, User> = {};
  const declared: Pick<Roster, "organizationMemberships" | "workspaceMemberships"> = {
    organizationMemberships: {},
    workspaceMemberships: {},
  };
  const pairs: pulumi.Output<string>[] = [];
  for (const entry of entries) {
    const opts: pulumi.CustomResourceOptions = { ...options.resourceOptions };
    if (entry.aliases.length > 0) {
      opts.aliases = [
        ...(options.resourceOptions?.aliases ?? []),
        ...entry.aliases.map((name) => ({ name })),
      ];
    }
    const user = new User(entry.name, userArgsOf(entry, dir, options.onDelete), opts);
    users[entry.name] = user;
    for (const id of Object.keys(entry.memberships?.organizations ?? {}))
      pairs.push(user.userId.apply((userId) => membershipPair(id, userId)));
    declareMemberships(entry, user, options, declared);
  }
  const userIds = pulumi.all(Object.values(users).map((u) => u.userId));
  return { users, userIds, ...declared, memberships: pulumi.all(pairs) };
}
