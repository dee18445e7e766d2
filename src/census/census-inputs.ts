// The declaration of a `wacht.UserCensus` and its state, as zod schemas. The
// defaults (`allowlist: []`, `undeclared: "report"`) are applied here, by `check`.
import { z } from "zod";
import { JsonValueSchema, type JsonValue } from "../schema/json";
import { isUserId } from "../schema/user-inputs";
import { checkedFromInspected } from "./checked-cache";

/**
 * Which accounts the census looks at. `{ all: true }`: every user. `{ emailDomains }`: users whose
 * primary email is in one of the domains (decided from the list alone). `{ publicMetadata: { key,
 * in } }`: users whose public metadata has `key` equal to one of the values (e.g. kind in
 * ["admin", "service"]); this needs each candidate's details, read once and then cached by
 * `updated_at` in the census state. `{ permission, organizations? }`: users whose membership in an
 * organization (every organization of the deployment, or those listed) has a role carrying the
 * permission (e.g. `organization:admin`); judged by membership, against `declaredMemberships`
 * (./take-permission-census.ts).
 */
export type CensusSelector =
  | { all: true }
  | { emailDomains: string[] }
  | { publicMetadata: { key: string; in: JsonValue[] } }
  | PermissionSelector;

/** `{ permission: "organization:admin" }`, optionally limited to some organizations. */
export interface PermissionSelector {
  /** A permission string roles carry, e.g. `organization:admin` (compared exactly). */
  permission: string;
  /** The organizations to look in (ids); default: every organization of the deployment. */
  organizations?: string[];
}

export function isPermissionSelector(selector: CensusSelector): selector is PermissionSelector {
  return "permission" in selector;
}

/** What `up` does about undeclared accounts. */
export const UNDECLARED_POLICIES = ["report", "disable"] as const;
export type UndeclaredPolicy = (typeof UNDECLARED_POLICIES)[number];

/** An account the census reports: what a reviewer needs to find it, never metadata. */
export interface CensusAccount {
  id: string;
  email: string | null;
  username: string | null;
  /** By permission only: the organizations where it holds the permission undeclared. */
  organizationIds?: string[];
}

/**
 * The most accounts a census names (in its state, its plan warning and its failure); the count
 * says how many there are. A PR comment or drift issue stays readable, and is not cut off, when
 * thousands are found.
 */
export const REPORTED_ACCOUNTS_MAX = 20;

/**
 * The checked declaration. `declaredMemberships`: the organization memberships the stack
 * declares, `<organizationId>/<userId>` (the roster's `memberships`), what a `{ permission }`
 * selector judges by; absent: none.
 */
export type CensusInputs = z.output<ReturnType<typeof buildCensusInputsSchema>>;

/** The census's inputs, in the order the provider and the native schema list them. */
export const CENSUS_INPUT_KEYS = [
  "selector",
  "declaredUserIds",
  "declaredMemberships",
  "allowlist",
  "undeclared",
] as const satisfies readonly (keyof CensusInputs)[];

/**
 * The internal input key the program passes `declaredUserIds` under. The ids are bookkeeping, not
 * something a reviewer reads: as a plain input, a plan that removed one file printed the stack's
 * whole list of ids shifted by one. An internal key (`__…`) is never displayed by the engine. The
 * state keeps them as the `declaredUserIds` output too (refresh reads them there).
 */
export const DECLARED_KEY = "__declaredUserIds";

/** The internal input key of `declaredMemberships`, for the same reason. */
export const DECLARED_MEMBERSHIPS_KEY = "__declaredMemberships";

/** The internal state key of the census's cache of checked candidates (./checked-cache.ts). */
export const CHECKED_KEY = "__checked";

/** The state: the declaration plus what the last read, create or update found. */
export interface CensusState extends CensusInputs {
  /** How many selected, enabled accounts the stack does not declare and the allowlist does not name. */
  undeclaredCount: number;
  /** The first {@link REPORTED_ACCOUNTS_MAX} of them. */
  undeclaredAccounts: CensusAccount[];
  /** How many accounts the last `up` disabled (with `undeclared: "disable"`). */
  disabledCount: number;
  /** The first {@link REPORTED_ACCOUNTS_MAX} of them. */
  disabledAccounts: CensusAccount[];
}

/**
 * The state as the census records it: also what it learned of each candidate's details, so the
 * next census skips the GET (digests of ids and timestamps and two flags, ./checked-cache.ts),
 * under an internal key the engine never displays.
 */
export type RecordedCensusState = CensusState & { [CHECKED_KEY]: Record<string, string> };

const selectorSchema = z.union(
  [
    z.object({ all: z.literal(true) }).strict(),
    z
      .object({
        emailDomains: z
          .array(
            z
              .string()
              .min(1)
              .regex(/^[^@\s]+$/, { message: "a domain has no @" }),
          )
          .min(1),
      })
      .strict(),
    z
      .object({
        publicMetadata: z
          .object({ key: z.string().min(1), in: z.array(JsonValueSchema).min(1) })
          .strict(),
      })
      .strict(),
    z
      .object({
        permission: z
          .string()
          .min(1, { message: 'give a permission, such as "organization:admin"' })
          .refine((p) => !p.startsWith("workspace:"), {
            message:
              'the census reads organizations\' member listings, where workspace roles do not show: give an organization permission, such as "organization:admin"',
          }),
        organizations: z
          .array(
            z.string().refine(isUserId, {
              message: "selector.organizations must hold organization ids (decimal int64 strings)",
            }),
          )
          .min(1, {
            message:
              "list at least one organization id, or leave organizations out to look in every organization",
          })
          .optional(),
      })
      .strict(),
  ],
  {
    error:
      'selector must be { all: true }, { emailDomains: ["example.com"] }, { publicMetadata: { key: "kind", in: ["admin"] } } or { permission: "organization:admin" }',
  },
);

/** `<organizationId>/<userId>`, both Wacht ids. */
function isMembershipPair(value: string): boolean {
  const parts = value.split("/");
  return parts.length === 2 && parts.every(isUserId);
}

/** The zod schema of the census declaration (after preview unknowns were set aside). */
export function buildCensusInputsSchema() {
  return z
    .object({
      selector: selectorSchema,
      declaredUserIds: z.array(
        z.string().refine(isUserId, {
          message: "declaredUserIds must hold Wacht user ids (decimal int64 strings)",
        }),
        { error: "declaredUserIds must be a list of user ids, e.g. the roster's userIds" },
      ),
      declaredMemberships: z
        .array(
          z.string().refine(isMembershipPair, {
            message:
              "declaredMemberships must hold <organizationId>/<userId> pairs, e.g. the roster's memberships",
          }),
          { error: "declaredMemberships must be a list of <organizationId>/<userId> pairs" },
        )
        .optional(),
      allowlist: z
        .array(z.string().min(1), {
          error: "allowlist must be a list of user ids, emails or usernames",
        })
        .default([]),
      undeclared: z
        .enum(UNDECLARED_POLICIES, {
          error: `undeclared must be one of: ${UNDECLARED_POLICIES.join(", ")}`,
        })
        .default("report"),
    })
    .strict();
}

const accountSchema = z.object({
  id: z.string(),
  email: z.string().nullable(),
  username: z.string().nullable(),
  organizationIds: z.array(z.string()).optional(),
});

/**
 * The recorded parts of a census state as the engine sends them back (olds, or a refresh's
 * props). This provider wrote them; a missing or malformed part (an older state, a placeholder)
 * reads as empty, which at worst costs the details GETs the cache would have saved. A state of a
 * version before the digest cache (`inspected`, by id) is read into it. The declaration's other
 * keys (`selector`, `allowlist`) are compared as they are, not read.
 */
export function buildRecordedCensusSchema() {
  const accounts = z.array(accountSchema.strip()).catch([]);
  return z
    .object({
      declaredUserIds: z.array(z.string()).catch([]),
      declaredMemberships: z.array(z.string()).catch([]),
      undeclared: z.enum(UNDECLARED_POLICIES).catch("report"),
      undeclaredAccounts: accounts,
      undeclaredCount: z.number().int().nonnegative().optional().catch(undefined),
      disabledAccounts: accounts,
      disabledCount: z.number().int().nonnegative().optional().catch(undefined),
      [CHECKED_KEY]: z.record(z.string(), z.string()).optional().catch(undefined),
      inspected: z
        .record(
          z.string(),
          z.object({ updatedAt: z.string(), selected: z.boolean(), disabled: z.boolean() }),
        )
        .optional()
        .catch(undefined),
    })
    .transform(({ [CHECKED_KEY]: checked, inspected, ...r }) => ({
      ...r,
      undeclaredCount: r.undeclaredCount ?? r.undeclaredAccounts.length,
      disabledCount: r.disabledCount ?? r.disabledAccounts.length,
      checked: checked ?? checkedFromInspected(inspected ?? {}),
    }));
}

/** What {@link buildRecordedCensusSchema} reads. */
export type RecordedCensus = z.output<ReturnType<typeof buildRecordedCensusSchema>>;
