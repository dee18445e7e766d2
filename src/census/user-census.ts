// `wacht.UserCensus`: the dynamic resource `pulumi-nodejs:dynamic/wacht:UserCensus`, with its own
// serialized shim as provider. It finds accounts in the deployment that the stack does not
// declare (an admin added in the dashboard) and reports or disables them.
import * as pulumi from "@pulumi/pulumi";
import {
  DECLARED_KEY,
  DECLARED_MEMBERSHIPS_KEY,
  type CensusAccount,
  type CensusSelector,
  type UndeclaredPolicy,
} from "./census-inputs";
import { RESOURCE_URN_KEY, resourceUrnInput } from "../resource/resource-urn";
import userCensusProviderShim from "./shim";

/** The declaration of a census. */
export interface UserCensusArgs {
  /**
   * Which accounts must be declared: `{ all: true }`, `{ emailDomains }`,
   * `{ publicMetadata: { key, in } }`, or `{ permission: "organization:admin" }` (every enabled
   * user holding it in an organization, optionally `organizations: [ids]`, through a membership
   * not in `declaredMemberships`).
   */
  selector: pulumi.Input<CensusSelector>;
  /** The ids of the users this stack declares, e.g. `loadRoster(...).userIds`. */
  declaredUserIds: pulumi.Input<pulumi.Input<string>[]>;
  /**
   * The organization memberships this stack declares, `<organizationId>/<userId>`, e.g.
   * `loadRoster(...).memberships`: a `{ permission }` selector names holders of the permission
   * whose membership is not among them. @default []
   */
  declaredMemberships?: pulumi.Input<pulumi.Input<string>[]>;
  /** Accounts that may exist undeclared: ids, emails or usernames. @default [] */
  allowlist?: pulumi.Input<pulumi.Input<string>[]>;
  /** `report` (default): `up` fails naming them. `disable`: `up` disables them (never deletes). */
  undeclared?: pulumi.Input<UndeclaredPolicy>;
}

/** A census of undeclared Wacht accounts. Run `pulumi up --refresh` (or a refresh first) to take it. */
export class UserCensus extends pulumi.dynamic.Resource {
  declare readonly selector: pulumi.Output<CensusSelector>;
  declare readonly declaredUserIds: pulumi.Output<string[]>;
  declare readonly declaredMemberships: pulumi.Output<string[] | undefined>;
  declare readonly allowlist: pulumi.Output<string[]>;
  declare readonly undeclared: pulumi.Output<UndeclaredPolicy>;
  /** How many selected, enabled accounts the stack does not declare, as of the last refresh. */
  declare readonly undeclaredCount: pulumi.Output<number>;
  /** The first 20 of them: id, email and username. */
  declare readonly undeclaredAccounts: pulumi.Output<CensusAccount[]>;
  /** How many accounts the last `up` disabled. */
  declare readonly disabledCount: pulumi.Output<number>;
  /** The first 20 of them. */
  declare readonly disabledAccounts: pulumi.Output<CensusAccount[]>;

  constructor(name: string, args: UserCensusArgs, opts?: pulumi.CustomResourceOptions) {
    super(
      userCensusProviderShim,
      name,
      {
        selector: args.selector,
        allowlist: args.allowlist,
        undeclared: args.undeclared,
        [DECLARED_KEY]: args.declaredUserIds,
        [DECLARED_MEMBERSHIPS_KEY]: args.declaredMemberships,
        declaredUserIds: undefined,
        declaredMemberships: undefined,
        undeclaredCount: undefined,
        undeclaredAccounts: undefined,
        disabledCount: undefined,
        disabledAccounts: undefined,
        [RESOURCE_URN_KEY]: resourceUrnInput(name, "pulumi-nodejs:dynamic/wacht:UserCensus", opts),
      },
      opts,
      "wacht",
      "UserCensus",
    );
  }
}
