// One roster file: one account, YAML or JSON (the `yaml` package parses both and keeps source
// positions; a `.json` file must be strict JSON first, ./strict-json.ts). It is validated with the SAME zod schema as a `wacht.User` declaration
// (src/schema/user-inputs.ts), so a file that loads is one `check` accepts; every problem names
// the file, line and column. Roster-only keys: `aliases` (previous file names) and secrets given
// as config references (`password`, `privateMetadata`), never as values.
import * as path from "node:path";
import {
  isCollection,
  isMap,
  isScalar,
  LineCounter,
  parseDocument,
  visit,
  type Document,
  type ParsedNode,
  type Scalar,
  type YAMLError,
} from "yaml";
import { z } from "zod";
import { accountClaims } from "../schema/account-claims";
import { toCheckFailures } from "../schema/check-failures";
import { userInputsSchemaFor, type UserValidationLimits } from "../schema/user-inputs";
import { configRefSchema, type ConfigRef } from "./config-ref";
import { strictJsonError } from "./strict-json";
import { keyAsWritten, nodePosition, toPosition } from "./yaml-nodes";
import {
  parseMembershipsNode,
  type MembershipKey,
  type RosterMemberships,
} from "./roster-memberships";

/** File name endings a roster directory is read for. */
export const ROSTER_EXTENSIONS = [".yaml", ".yml", ".json"] as const;

/** One problem in one roster file, at a 1-based line and column. */
export interface RosterProblem {
  /** The file as the reader was given it (messages show it by {@link displayPath}). */
  file: string;
  line: number;
  column: number;
  message: string;
}

/**
 * A path as messages show it: relative to the current directory when the file is inside it (a
 * Pulumi program runs in its project directory, so `users/bob.yaml`), else as given.
 */
export function displayPath(file: string, cwd: string = process.cwd()): string {
  const rel = path.relative(cwd, path.resolve(cwd, file));
  const outside =
    rel === "" || rel === ".." || rel.startsWith(`..${path.sep}`) || path.isAbsolute(rel);
  return outside ? file : rel;
}

/** `file:line:column: message`, the form editors and CI annotations understand. */
export function formatProblem(p: RosterProblem): string {
  return `${displayPath(p.file)}:${p.line}:${p.column}: ${p.message}`;
}

/**
 * A roster that cannot be loaded; `problems` lists every problem found, in file order.
 *
 * It is the user's to fix and its message says everything, so a Pulumi program prints it as its
 * message alone, once: the language host prints a `pulumi.RunError` that way and any other
 * uncaught error as "failed with an unhandled exception" with its stack (whose first lines repeat
 * the message). The SDK recognises a RunError by the `__pulumiRunError` marker (its
 * `RunError.isInstance`, made to work across copies of the SDK), which this class sets instead of
 * importing the SDK: the roster reader has no Pulumi import (tests, the export command, CI scripts).
 */
export class RosterError extends Error {
  override name = "RosterError";
  /** The marker `pulumi.RunError.isInstance` looks for (test/unit/roster asserts it still works). */
  readonly __pulumiRunError = true;
  constructor(readonly problems: readonly RosterProblem[]) {
    super(
      `the roster has ${problems.length} problem${problems.length === 1 ? "" : "s"}:\n` +
        problems.map((p) => `  ${formatProblem(p)}`).join("\n"),
    );
  }
}

/** A validated roster file. */
export interface RosterEntry {
  /** The resource name: the file name without its extension. */
  name: string;
  /** The file as given to the parser (for messages). */
  file: string;
  /** The declaration, already valid for `wacht.User`, without the roster-only keys. */
  args: Record<string, unknown>;
  /** Where the password is in stack config (read as a secret). */
  password?: ConfigRef;
  /** Where the private metadata is in stack config (a secret JSON value). */
  privateMetadata?: ConfigRef;
  /** Previous resource names of this account (`aliases`), so a renamed file does not replace. */
  aliases: string[];
  /**
   * The account's memberships (`organizations`, `workspaces`: role names by id); absent when the
   * file declares none (./roster-memberships.ts).
   */
  memberships?: RosterMemberships;
}

/** Keys of a `wacht.User` a file cannot give: they take zod schemas, which are code. */
const CODE_ONLY_KEYS = ["publicMetadataSchema", "privateMetadataSchema"];

/**
 * A password that passes Wacht's default rules. It stands in for a config reference while the
 * file is validated (the real value is checked by the provider at preview) and is never sent.
 */
const PASSWORD_STAND_IN = "Stand-in-1";

const aliasesSchema = z
  .array(z.string({ error: "each alias must be a string: a previous resource name" }).min(1), {
    error: "aliases must be a list of previous resource names (file names without extension)",
  })
  .refine((a) => new Set(a).size === a.length, { message: "aliases lists a name twice" });

/** The resource name of a roster file: its base name without the extension. */
export function rosterName(file: string): string {
  const base = path.basename(file);
  const ext = ROSTER_EXTENSIONS.find((e) => base.toLowerCase().endsWith(e));
  return ext === undefined ? base : base.slice(0, base.length - ext.length);
}

/** Where each config reference of a parsed file was written (kept off the entry's data). */
const REFERENCE_POSITIONS = new WeakMap<ConfigRef, { line: number; column: number }>();

/** The 1-based line and column of a reference returned by {@link parseRosterFile}. */
export function referencePosition(ref: ConfigRef): { line: number; column: number } | undefined {
  return REFERENCE_POSITIONS.get(ref);
}

/** Where each account key of a parsed file was written (src/schema/account-claims.ts paths). */
const CLAIM_POSITIONS = new WeakMap<RosterEntry, Map<string, { line: number; column: number }>>();

/** The 1-based line and column of the field at `path` (e.g. `["adopt", "email"]`) of an entry. */
export function claimPosition(
  entry: RosterEntry,
  path: readonly string[],
): { line: number; column: number } {
  return CLAIM_POSITIONS.get(entry)?.get(path.join(".")) ?? { line: 1, column: 1 };
}

type Path = readonly PropertyKey[];

/** The 1-based position of the node at `path` (or of `key`'s key node inside it). */
function positionOf(
  doc: Document.Parsed,
  lines: LineCounter,
  at: Path,
  key?: string,
): { line: number; column: number } {
  for (let depth = at.length; depth >= 0; depth -= 1) {
    const prefix = at.slice(0, depth);
    const node: unknown = depth === 0 ? doc.contents : doc.getIn(prefix, true);
    const pair =
      key !== undefined && depth === at.length && isMap(node)
        ? node.items.find((p) => isScalar(p.key) && String(p.key.value) === key)
        : undefined;
    const found = nodePosition(lines, pair?.key) ?? nodePosition(lines, node);
    if (found) return found;
  }
  return { line: 1, column: 1 };
}

/**
 * Whether two keys of one mapping are the same key (the parser's `uniqueKeys` check). The
 * parser's own check compares scalar values, so two different unquoted 18-digit ids, numbers past
 * 2^53 that lose their last digits, would be one key; keys are compared as written instead. Keys
 * written differently that read as the same exact value (`0x10` and `16`) are still one key, as
 * they are one key of the parsed object.
 */
function sameKey(a: ParsedNode, b: ParsedNode): boolean {
  if (a === b) return true;
  if (!isScalar(a) || !isScalar(b)) return false;
  if (a.source !== undefined && a.source === b.source) return true;
  const lostDigits =
    typeof a.value === "number" && Number.isInteger(a.value) && !Number.isSafeInteger(a.value);
  return a.value === b.value && !lostDigits;
}

/**
 * The parser's message for a syntax error, which it reports where it noticed the problem (for an
 * unclosed quote or `{`, the end of what it read), plus where the unclosed value opened.
 */
function syntaxMessage(doc: Document.Parsed, lines: LineCounter, err: YAMLError): string {
  const at = err.pos[0];
  let opened: { what: string; offset: number } | undefined;
  if (err.code === "MISSING_CHAR" || err.code === "BAD_INDENT" || err.code === "UNEXPECTED_TOKEN") {
    // The innermost quoted scalar or flow collection that starts before the error and is not
    // closed by then: its range runs up to (or past) the error.
    visit(doc, (_key, node) => {
      const range = (node as { range?: [number, number, number] }).range;
      if (range === undefined || range[0] >= at || range[1] < at) return;
      if (isScalar(node) && (node.type === "QUOTE_DOUBLE" || node.type === "QUOTE_SINGLE")) {
        opened = {
          what: node.type === "QUOTE_DOUBLE" ? 'the " quote' : "the ' quote",
          offset: range[0],
        };
      } else if (isCollection(node) && node.flow === true) {
        opened = { what: isMap(node) ? "the {" : "the [", offset: range[0] };
      }
    });
  }
  if (err.code === "DUPLICATE_KEY") {
    let first: { key: string; offset: number } | undefined;
    visit(doc, {
      Map(_key, map) {
        const keys = map.items.map((p) => p.key).filter((k): k is Scalar.Parsed => isScalar(k));
        const dup = keys.find((k) => k.range?.[0] === at);
        const original = dup && keys.find((k) => k !== dup && sameKey(k, dup));
        if (dup && original?.range) first = { key: keyAsWritten(dup), offset: original.range[0] };
      },
    });
    if (first !== undefined) {
      const { line, column } = toPosition(lines, first.offset);
      return `${err.message}: ${first.key} is already given at line ${line}, column ${column}`;
    }
  }
  if (opened === undefined) return err.message;
  const { line, column } = toPosition(lines, opened.offset);
  return `${err.message} (${opened.what} opened at line ${line}, column ${column} is not closed)`;
}

/**
 * Parses and validates one roster file. Throws a {@link RosterError} naming every problem with
 * its line and column. `limits` are the deployment's username limits (`wacht:usernameMinLength`…).
 */
export function parseRosterFile(
  file: string,
  text: string,
  limits: UserValidationLimits,
): RosterEntry {
  const lines = new LineCounter();
  const doc = parseDocument(text, {
    lineCounter: lines,
    prettyErrors: false,
    uniqueKeys: sameKey,
  });
  const problems: RosterProblem[] = [];
  const add = (pos: { line: number; column: number }, message: string): void => {
    problems.push({ file, ...pos, message });
  };
  if (file.toLowerCase().endsWith(".json")) {
    const bad = strictJsonError(text);
    if (bad !== undefined) {
      add(toPosition(lines, bad.offset), `not valid JSON: ${bad.reason}`);
      throw new RosterError(problems);
    }
  }
  for (const err of doc.errors) add(toPosition(lines, err.pos[0]), syntaxMessage(doc, lines, err));
  if (problems.length > 0) throw new RosterError(problems);
  const data: unknown = doc.toJS();
  if (data === null || typeof data !== "object" || Array.isArray(data)) {
    add(
      positionOf(doc, lines, []),
      "a roster file must be a mapping of wacht.User properties (one account per file)",
    );
    throw new RosterError(problems);
  }
  const { aliases, password, privateMetadata, organizations, workspaces, ...rest } = data as Record<
    string,
    unknown
  >;
  const entry: RosterEntry = { name: rosterName(file), file, args: {}, aliases: [] };
  const memberships: RosterMemberships = {};
  const given = { organizations, workspaces };
  for (const key of (Object.keys(given) as MembershipKey[]).filter((k) => given[k] !== undefined)) {
    const at = positionOf(doc, lines, [], key);
    const parsed = parseMembershipsNode(key, doc.get(key, true), lines, at);
    problems.push(...parsed.problems.map((p) => ({ file, ...p })));
    memberships[key] = parsed.value;
  }
  if (Object.keys(memberships).length > 0) entry.memberships = memberships;

  const refOrProblem = (key: string, value: unknown): ConfigRef | undefined => {
    if (value === undefined) return undefined;
    const parsed = configRefSchema(key).safeParse(value);
    if (parsed.success) {
      REFERENCE_POSITIONS.set(parsed.data, positionOf(doc, lines, [key, "config"]));
      return parsed.data;
    }
    for (const issue of parsed.error.issues) {
      const at = [key, ...issue.path];
      if (issue.code === "unrecognized_keys") {
        for (const k of issue.keys)
          add(
            positionOf(doc, lines, at, k),
            `${key}: unknown key ${JSON.stringify(k)}; a reference has only "config"`,
          );
      } else add(positionOf(doc, lines, at), issue.message);
    }
    return undefined;
  };
  const passwordRef = refOrProblem("password", password);
  if (passwordRef) entry.password = passwordRef;
  const privateRef = refOrProblem("privateMetadata", privateMetadata);
  if (privateRef) entry.privateMetadata = privateRef;
  if (aliases !== undefined) {
    const parsed = aliasesSchema.safeParse(aliases);
    if (parsed.success) entry.aliases = parsed.data;
    else
      for (const issue of parsed.error.issues)
        add(positionOf(doc, lines, ["aliases", ...issue.path]), issue.message);
  }
  for (const key of CODE_ONLY_KEYS) {
    if (key in rest) {
      add(
        positionOf(doc, lines, [], key),
        `${key} cannot be given in a roster file: it takes a zod schema, which is code; declare this account in the program instead`,
      );
      delete rest[key];
    }
  }

  // The User schema sees the file with each reference replaced by a stand-in of the right type.
  const candidate: Record<string, unknown> = { ...rest };
  if (password !== undefined) candidate["password"] = PASSWORD_STAND_IN;
  if (privateMetadata !== undefined) candidate["privateMetadata"] = {};
  const parsed = userInputsSchemaFor(limits).safeParse(candidate);
  if (!parsed.success) {
    for (const issue of parsed.error.issues) {
      // Stand-ins are valid by construction; a rule about them (passwordVersion without password
      // cannot happen) would be about the file's other keys.
      const failures = toCheckFailures([issue]);
      if (issue.code === "unrecognized_keys") {
        issue.keys.forEach((k, i) => {
          add(
            positionOf(doc, lines, issue.path, k),
            failures[i]?.reason ?? `unknown property ${k}`,
          );
        });
      } else {
        const hint =
          issue.path[0] === "userId" && typeof rest["userId"] === "number"
            ? ' (quote it: userId: "…", a YAML number loses digits)'
            : "";
        add(positionOf(doc, lines, issue.path), `${failures[0]?.reason ?? issue.message}${hint}`);
      }
    }
  }
  if (problems.length > 0) {
    problems.sort((a, b) => a.line - b.line || a.column - b.column);
    throw new RosterError(problems);
  }
  entry.args = rest;
  CLAIM_POSITIONS.set(
    entry,
    new Map(
      accountClaims(rest).map((c) => [c.path.join("."), positionOf(doc, lines, c.path)] as const),
    ),
  );
  return entry;
}
