// The declaration of a `wacht.UserCensus` and its state. The zod schema is built by a function
// (nothing module-level for Pulumi's closure serializer to capture, pulumi/pulumi#5294). The
// defaults (`allowlist: []`, `undeclared: "report"`) are applied here, by `check`.
import { z } from "zod";
import { JsonValueSchema, type JsonValue } from "../schema/json";
import { isUserId } from "../schema/user-inputs";

/**
 * Which accounts the census looks at. `{ all: true }`: every user. `{ emailDomains }`: users whose
 * primary email is in one of the domains (decided from the list alone). `{ publicMetadata: { key,
 * in } }`: users whose public metadata has `key` equal to one of the values (e.g. kind in
 * ["admin", "service"]); this needs each candidate's details, read once and then cached by
 * `updated_at` in the census state.
 */
export type CensusSelector =
  { all: true } | { emailDomains: string[] } | { publicMetadata: { key: string; in: JsonValue[] } };

/** What `up` does about undeclared accounts. */
export const UNDECLARED_POLICIES = ["report", "disable"] as const;
export type UndeclaredPolicy = (typeof UNDECLARED_POLICIES)[number];

/** An account the census found: never private data. */
export interface CensusAccount {
  id: string;
  email: string | null;
  username: string | null;
  createdAt: string;
}

/** What the census last learned of a candidate's details (so the next run can skip the GET). */
export interface InspectedUser {
  updatedAt: string;
  /** The selector matched the details. */
  selected: boolean;
  disabled: boolean;
}

/** The checked declaration. */
export interface CensusInputs {
  selector: CensusSelector;
  declaredUserIds: string[];
  allowlist: string[];
  undeclared: UndeclaredPolicy;
}

/** The state: the declaration plus what the last read, create or update found. */
export interface CensusState extends CensusInputs {
  /** Selected, enabled accounts that the stack does not declare and the allowlist does not name. */
  undeclaredAccounts: CensusAccount[];
  /** Accounts the last `up` disabled (with `undeclared: "disable"`). */
  disabledAccounts: CensusAccount[];
  /** Per candidate id, the details last read (no private data: a timestamp and two flags). */
  inspected: Record<string, InspectedUser>;
}

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
  ],
  {
    error:
      'selector must be { all: true }, { emailDomains: ["example.com"] } or { publicMetadata: { key: "kind", in: ["admin"] } }',
  },
);

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
  createdAt: z.string(),
});

const inspectedSchema = z.object({
  updatedAt: z.string(),
  selected: z.boolean(),
  disabled: z.boolean(),
});

/**
 * The recorded parts of a census state as the engine sends them back (olds, or a refresh's
 * props). This provider wrote them; a missing or malformed part (an older state, a placeholder)
 * reads as empty, which at worst costs the details GETs the `inspected` cache would have saved.
 * The declaration's other keys (`selector`, `allowlist`) are compared as they are, not read.
 */
export function buildRecordedCensusSchema() {
  return z.object({
    declaredUserIds: z.array(z.string()).catch([]),
    undeclared: z.enum(UNDECLARED_POLICIES).catch("report"),
    undeclaredAccounts: z.array(accountSchema).catch([]),
    disabledAccounts: z.array(accountSchema).catch([]),
    inspected: z.record(z.string(), inspectedSchema).catch({}),
  });
}

/** What {@link buildRecordedCensusSchema} reads. */
export type RecordedCensus = Pick<
  CensusState,
  "declaredUserIds" | "undeclared" | "undeclaredAccounts" | "disabledAccounts" | "inspected"
>;
