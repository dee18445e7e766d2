// The Pulumi package schema of the native provider, generated: `wacht:index:User` from the user
// property table (src/schema/user-field-table.ts: names, types, secret bits, descriptions,
// inputs and outputs), the census, `getUser` and the provider config from the types they
// describe (each map below is keyed by that type's keys, so a missing or extra key fails the
// build). `npm run gen:schema` writes it to sdk/schema.json; GetSchema serves the same object.
import { CENSUS_INPUT_KEYS, type CensusAccount, type CensusState } from "../census/census-inputs";
import type { CONFIG_KEYS } from "../config/provider-config";
import type { LookedUpUser } from "../lookup/lookup-user";
import { membershipSchema } from "./membership-schema";
import { INPUT_PROPERTIES, OUTPUT_PROPERTIES, propertyType } from "../schema/user-field-lists";
import { USER_PROPERTIES, type PropertyType } from "../schema/user-field-table";
import type {
  AdoptKey,
  UserEmailOutput,
  UserPhoneOutput,
  UserSegmentOutput,
} from "../schema/user-state";

/** A property in the schema (Pulumi's PropertySpec, the parts used here). */
export interface PropertySpec {
  type?: string;
  $ref?: string;
  items?: PropertySpec;
  additionalProperties?: PropertySpec;
  oneOf?: PropertySpec[];
  description?: string;
  secret?: boolean;
}

type Properties = Record<string, PropertySpec>;

/** A row of a hand-typed map: a schema type in the table's notation, and a description. */
type Row = [
  type:
    | PropertyType
    | "integer"
    | "any[]"
    | "CensusSelector"
    | "CensusMetadataSelector"
    | "CensusAccount[]",
  doc: string,
  secret?: boolean,
];

export const TOKENS = {
  user: "wacht:index:User",
  census: "wacht:index:UserCensus",
  getUser: "wacht:index:getUser",
  provider: "pulumi:providers:wacht",
} as const;

const ref = (name: string): PropertySpec => ({ $ref: `#/types/wacht:index:${name}` });

/** The table's type notation as a schema type. */
function typeSpec(type: Row[0]): PropertySpec {
  if (type.endsWith("[]")) return { type: "array", items: typeSpec(type.slice(0, -2) as Row[0]) };
  if (type.startsWith("map<"))
    return { type: "object", additionalProperties: ref(type.slice(4, -1)) };
  switch (type) {
    case "any":
      return { $ref: "pulumi.json#/Any" };
    case "string|number":
      return { type: "string", oneOf: [{ type: "string" }, { type: "number" }] };
    case "string":
    case "boolean":
    case "integer":
      return { type };
    default:
      return ref(type);
  }
}

function property([type, description, secret]: Row): PropertySpec {
  return { ...typeSpec(type), description, ...(secret === true ? { secret: true } : {}) };
}

function properties(rows: Record<string, Row>): Properties {
  return Object.fromEntries(Object.entries(rows).map(([name, row]) => [name, property(row)]));
}

/** The User's properties of one side, from the table. Outputs have one type (a union's first). */
function userProperties(names: readonly (keyof typeof USER_PROPERTIES)[], side: "in" | "out") {
  return Object.fromEntries(
    names.map((name) => {
      const row = USER_PROPERTIES[name];
      const type = propertyType(name);
      const spec = property([
        type === "string|number" && side === "out" ? "string" : type,
        row.doc,
      ]);
      return [name, "secret" in row && row.secret === true ? { ...spec, secret: true } : spec];
    }),
  );
}

const ADOPT_KEY: Record<keyof AdoptKey, Row> = {
  email: ["string", "The user's email address (exact match)."],
  username: ["string", "The user's username (exact match)."],
};
const USER_EMAIL: Record<keyof UserEmailOutput, Row> = {
  id: ["string", "The email address's id."],
  email: ["string", "The email address."],
  isPrimary: ["boolean", "Whether it is the primary email address."],
  verified: ["boolean", "Whether it is verified."],
};
const USER_PHONE: Record<keyof UserPhoneOutput, Row> = {
  id: ["string", "The phone number's id."],
  phoneNumber: ["string", "The phone number, without the country code."],
  countryCode: ["string", "The country code, or null."],
  isPrimary: ["boolean", "Whether it is the primary phone number."],
  verified: ["boolean", "Whether it is verified."],
};
const USER_SEGMENT: Record<keyof UserSegmentOutput, Row> = {
  id: ["string", "The segment's id."],
  name: ["string", "The segment's name."],
  type: ["string", "organization, workspace or user."],
};

/** The census's declaration and state (the dynamic wacht.UserCensus's, src/census). */
const CENSUS: Record<keyof CensusState, Row> = {
  selector: [
    "CensusSelector",
    "Which accounts must be declared: { all: true }, { emailDomains }, { publicMetadata: { key, in } } or { permission, organizations? }.",
  ],
  declaredUserIds: ["string[]", "The ids of the users this stack declares."],
  declaredMemberships: [
    "string[]",
    "The organization memberships this stack declares, as organizationId/userId: what a permission selector judges by.",
  ],
  allowlist: ["string[]", "Accounts that may exist undeclared: ids, emails or usernames."],
  undeclared: [
    "string",
    '"report" (default): up fails naming them. "disable": up disables them (never deletes).',
  ],
  undeclaredCount: [
    "integer",
    "How many selected, enabled accounts the stack does not declare, as of the last refresh.",
  ],
  undeclaredAccounts: ["CensusAccount[]", "The first 20 of them: id, email and username."],
  disabledCount: ["integer", "How many accounts the last up disabled."],
  disabledAccounts: ["CensusAccount[]", "The first 20 of them."],
};
const CENSUS_SELECTOR: Record<
  "all" | "emailDomains" | "publicMetadata" | "permission" | "organizations",
  Row
> = {
  all: ["boolean", "true: every user."],
  emailDomains: ["string[]", "Users whose primary email is in one of these domains."],
  publicMetadata: [
    "CensusMetadataSelector",
    "Users whose public metadata has key equal to one of the values.",
  ],
  permission: [
    "string",
    "Users holding this permission (e.g. organization:admin) through an organization membership the stack does not declare.",
  ],
  organizations: [
    "string[]",
    "With permission: the organizations to look in (default: every organization).",
  ],
};
const CENSUS_ACCOUNT: Record<keyof CensusAccount, Row> = {
  id: ["string", "The user's id."],
  email: ["string", "The primary email address, or null."],
  username: ["string", "The username, or null."],
  organizationIds: [
    "string[]",
    "By permission: the organizations where it holds the permission through an undeclared membership.",
  ],
};

/** `getUser`: exactly one key in, `lookupUser`'s result out (src/lookup/lookup-user.ts). */
const GET_USER_INPUTS: Record<"userId" | "email" | "username", Row> = {
  userId: ["string", "The user's id. Give exactly one of userId, email and username."],
  email: ["string", "An email address of the user (exact match)."],
  username: ["string", "The user's username (exact match)."],
};
const GET_USER_OUTPUTS: Record<keyof LookedUpUser, Row> = {
  userId: ["string", "The user's id."],
  email: ["string", "The primary email address, or null."],
  username: ["string", "The username, or null."],
  firstName: ["string", USER_PROPERTIES.firstName.doc],
  lastName: ["string", USER_PROPERTIES.lastName.doc],
  disabled: ["boolean", "Whether the user is disabled."],
  publicMetadata: ["any", "Public metadata (never private metadata)."],
  createdAt: ["string", USER_PROPERTIES.createdAt.doc],
  updatedAt: ["string", USER_PROPERTIES.updatedAt.doc],
};

/** Provider settings: stack config `wacht:<key>` and an explicit provider's inputs alike. */
export const CONFIG: Record<keyof typeof CONFIG_KEYS, Row> = {
  apiKey: ["string", "Backend API key (sk_…); WACHT_API_KEY when unset.", true],
  baseUrl: [
    "string",
    "API base URL (default https://api.wacht.dev; WACHT_BASE_URL when unset); plain http:// only for localhost.",
  ],
  timeoutMs: ["integer", "Per-request timeout in milliseconds (default 30000)."],
  maxRetries: ["integer", "Retries of idempotent calls (default 4)."],
  requestsPerMinute: ["integer", "Client-side pacing per key (default 1000)."],
  usernameMinLength: ["integer", "The deployment's minimum username length (default 3)."],
  usernameMaxLength: ["integer", "The deployment's maximum username length (default 30)."],
  deltaRefresh: ["boolean", "false turns off delta refresh (default true)."],
  deltaRefreshThreshold: [
    "integer",
    "Most list pages (of 500 users) a delta refresh may take (default 20).",
  ],
};

const object = (description: string, rows: Record<string, Row>) => ({
  type: "object",
  description,
  properties: properties(rows),
});

/** The package schema for `version` (package.json's). */
export function packageSchema(version: string) {
  const userOutputs = userProperties(OUTPUT_PROPERTIES, "out");
  const memberships = membershipSchema();
  return {
    name: "wacht",
    displayName: "Wacht",
    version,
    description:
      "Wacht users as code: users, organization and workspace memberships with roles, a census of undeclared accounts, and lookups.",
    keywords: ["pulumi", "wacht", "category/utility"],
    homepage: "https://github.com/wacht/pulumi-wacht#readme",
    repository: "https://github.com/wacht/pulumi-wacht",
    license: "Apache-2.0",
    publisher: "Wacht",
    meta: { moduleFormat: "(.*)" },
    config: { variables: properties(CONFIG) },
    provider: {
      description:
        "The wacht provider: an explicit one's settings win over the stack's wacht:* config.",
      inputProperties: properties(CONFIG),
    },
    resources: {
      [TOKENS.user]: {
        description:
          "A Wacht user managed by Pulumi: given by userId, found by adopt, or (with neither) created. A field left out is not managed.",
        inputProperties: userProperties(INPUT_PROPERTIES, "in"),
        properties: userOutputs,
        required: ["userId"],
      },
      [TOKENS.census]: {
        description:
          "A census of undeclared Wacht accounts: report or disable accounts the stack does not declare. Run pulumi up --refresh to take it.",
        inputProperties: Object.fromEntries(CENSUS_INPUT_KEYS.map((k) => [k, property(CENSUS[k])])),
        requiredInputs: ["selector", "declaredUserIds"],
        properties: properties(CENSUS),
        required: Object.keys(CENSUS).filter((k) => k !== "declaredMemberships"),
      },
      ...memberships.resources,
    },
    functions: {
      [TOKENS.getUser]: {
        description:
          "Looks up exactly one Wacht user by userId, email or username (exact matches; never private metadata).",
        inputs: { properties: properties(GET_USER_INPUTS) },
        outputs: {
          properties: properties(GET_USER_OUTPUTS),
          required: [
            "userId",
            "firstName",
            "lastName",
            "disabled",
            "publicMetadata",
            "createdAt",
            "updatedAt",
          ],
        },
      },
      ...memberships.functions,
    },
    types: {
      "wacht:index:AdoptKey": object("Exactly one natural key of an existing user.", ADOPT_KEY),
      "wacht:index:UserEmail": object("An email address of the user.", USER_EMAIL),
      "wacht:index:UserPhone": object("A phone number of the user.", USER_PHONE),
      "wacht:index:UserSegment": object("A segment the user belongs to.", USER_SEGMENT),
      "wacht:index:CensusSelector": object(
        "Which accounts the census looks at: exactly one of all, emailDomains, publicMetadata and permission (organizations only beside permission).",
        CENSUS_SELECTOR,
      ),
      "wacht:index:CensusMetadataSelector": {
        ...object("Users whose public metadata has key equal to one of the values.", {
          key: ["string", "The top-level public metadata key."],
          in: ["any[]", "The values that select a user."],
        }),
        required: ["key", "in"],
      },
      "wacht:index:CensusAccount": object(
        "An account the census names: what a reviewer needs to find it (never metadata).",
        CENSUS_ACCOUNT,
      ),
      ...memberships.types,
    },
    language: {
      nodejs: { respectSchemaVersion: true },
      python: { packageName: "pulumi_wacht", respectSchemaVersion: true },
      go: {
        importBasePath: "github.com/wacht/pulumi-wacht/sdk/go/wacht",
        respectSchemaVersion: true,
      },
    },
  };
}

/** The schema's type. */
export type PackageSchema = ReturnType<typeof packageSchema>;
