// Turns a user's details into a roster document and renders it as YAML, JSON or a TypeScript
// program. Only the fields a `wacht.User` given by `userId` would compare are written, each with
// the live value, so the first `pulumi up` over the result has nothing to write. Private metadata
// is written only when asked for, and then only as a config reference.
import { Document, isScalar, Scalar, visit, type Pair, type YAMLMap } from "yaml";
import type { JsonValue } from "../schema/json";
import { fieldRow, PROFILE_FIELDS } from "../schema/user-field-lists";
import type { OnDeletePolicy } from "../schema/user-fields";
import type { ApiUserDetails, ApiUserSummary } from "../schema/wire";
import type { ConfigRef } from "../roster/config-ref";

/** A roster file's content, as exported. */
export type RosterDocument = Record<string, JsonValue | ConfigRef>;

/**
 * What export knows of a user: the list item (id, names, username, primary email and phone), or
 * its details, read only where export must (a selector on metadata, private metadata asked for,
 * `--with-details`). A field the list item does not hold is then not declared, so not managed.
 */
export type ExportedFacts = ApiUserSummary | ApiUserDetails;

/** A resource name from the username, the email's local part, or the id. */
export function baseName(user: ExportedFacts): string {
  // A list item's username is "" when the user has none (docs/wacht-api.md §5).
  const username = user.username === "" ? null : user.username;
  const raw = username ?? user.primary_email_address?.split("@")[0] ?? "";
  const cleaned = raw
    .toLowerCase()
    .replace(/[^a-z0-9_-]+/g, "-")
    .replace(/^-+|-+$/g, "");
  return cleaned === "" ? `user-${user.id}` : cleaned;
}

function isEmptyObject(value: JsonValue): boolean {
  return typeof value === "object" && value !== null && !Array.isArray(value)
    ? Object.keys(value).length === 0
    : false;
}

/** The roster document of one user (`onDelete`, when given, is written last). */
export function rosterDocument(
  user: ExportedFacts,
  name: string,
  includePrivateMetadata: boolean,
  onDelete?: OnDeletePolicy,
): RosterDocument {
  // Every profile field of the table, read from the wire field its row names, in table order. A
  // value no declaration can hold is left out (an empty name: Wacht cannot clear it; an enum value
  // this version does not know). Empty metadata is left out too: declaring `{}` would make the
  // stack wipe whatever an app adds later; undeclared, it is not managed. A secret field is only
  // ever a config reference, when asked for and when there is a value to set.
  const doc: RosterDocument = { userId: user.id };
  const wire = user as unknown as Record<string, unknown>;
  for (const field of PROFILE_FIELDS) {
    const row = fieldRow(field);
    const value = wire[row.read as string] as JsonValue | undefined;
    if (value === null || value === undefined) continue;
    if (row.kind === "json" && isEmptyObject(value)) continue;
    if (row.secret) {
      if (includePrivateMetadata) doc[field] = { config: `${name}-privateMetadata` };
      continue;
    }
    if (row.kind === "text" && !row.mayBeEmpty && typeof value === "string" && value.trim() === "")
      continue;
    if (row.values !== undefined && (typeof value !== "string" || !row.values.includes(value)))
      continue;
    doc[field] = value;
  }
  if (onDelete !== undefined) doc["onDelete"] = onDelete;
  return doc;
}

/**
 * The keys {@link rosterDocument} decides from `user`: `userId`, every non-secret profile field
 * the facts hold (written, or left out because the live value cannot be declared), and `onDelete`
 * when given. A field the facts do not hold (a list item has no `disabled`) is not decided: export
 * knows nothing of it. Secret fields are never decided from Wacht: only a config reference.
 */
export function exportedKeys(user: ExportedFacts, onDelete?: OnDeletePolicy): Set<string> {
  const wire = user as unknown as Record<string, unknown>;
  const known = PROFILE_FIELDS.filter(
    (field) => !fieldRow(field).secret && wire[fieldRow(field).read as string] !== undefined,
  );
  return new Set(["userId", ...known, ...(onDelete === undefined ? [] : ["onDelete"])]);
}

/**
 * The patterns by which a YAML 1.1 or 1.2 reader takes a plain (unquoted) scalar for something
 * other than a string: the implicit tags of the `yaml` package's 1.1 and core schemas (`yes`,
 * `no`, `on`, `off`, `y`, `n`, `~`, `0755`, `0o17`, `1:20`, `2026-01-31`, `.inf`, a `<<` merge
 * key, …), the very tests its parser applies; and `=`, YAML 1.1's value key, which PyYAML
 * resolves to a tag it cannot construct. yamllint and PyYAML read YAML 1.1.
 */
const NOT_A_STRING: readonly RegExp[] = [
  /^=$/,
  ...(["1.1", "1.2"] as const).flatMap((version) =>
    (new Document(null, { version }).schema.tags as { default?: unknown; test?: unknown }[])
      .map((tag) => (tag.default !== undefined && tag.default !== false ? tag.test : undefined))
      .filter((test): test is RegExp => test instanceof RegExp),
  ),
];

/**
 * YAML with a header comment saying where it came from (`carried`: pairs of the file it replaces,
 * kept as written). Every string, key or value, that a YAML
 * 1.1 or 1.2 reader would take for something else is double-quoted, so every tool reads the same
 * document; the others stay plain, as people write them.
 */
export function renderYaml(
  doc: RosterDocument,
  source: string,
  carried: readonly Pair[] = [],
): string {
  const document = new Document(doc);
  if (carried.length > 0) {
    // Nodes carried over from the file being replaced (`--force`), as written there: after
    // export's own keys, before `onDelete` when export writes it (always last).
    const map = document.contents as YAMLMap;
    const at = map.items.findIndex((p) => isScalar(p.key) && p.key.value === "onDelete");
    map.items.splice(at < 0 ? map.items.length : at, 0, ...carried);
  }
  visit(document, {
    Scalar(_key, node) {
      if (
        isScalar(node) &&
        typeof node.value === "string" &&
        NOT_A_STRING.some((test) => test.test(node.value as string))
      )
        node.type = Scalar.QUOTE_DOUBLE;
    },
  });
  return `# Exported by \`pulumi-wacht export\` from ${source}.\n${document.toString()}`;
}

/** JSON (no comments possible), two-space indented. */
export function renderJson(doc: RosterDocument): string {
  return `${JSON.stringify(doc, null, 2)}\n`;
}

function isConfigRef(value: unknown): value is ConfigRef {
  return (
    value !== null &&
    typeof value === "object" &&
    !Array.isArray(value) &&
    Object.keys(value).length === 1 &&
    typeof (value as { config?: unknown }).config === "string"
  );
}

/** A Pulumi TypeScript program declaring every exported user. */
export function renderProgram(
  entries: { name: string; doc: RosterDocument }[],
  source: string,
): string {
  const lines = [
    `// Exported by \`pulumi-wacht export --format ts\` from ${source}.`,
    "// Each user is given by userId, so the first `pulumi up` over it writes nothing.",
    'import * as pulumi from "@pulumi/pulumi";',
    'import * as wacht from "pulumi-wacht";',
    "",
    "const config = new pulumi.Config();",
    "",
    "export const users: Record<string, wacht.User> = {",
  ];
  for (const { name, doc } of entries) {
    lines.push(`  ${JSON.stringify(name)}: new wacht.User(${JSON.stringify(name)}, {`);
    for (const [key, value] of Object.entries(doc)) {
      // The only reference export writes is private metadata's; it stays a secret from config.
      const text = isConfigRef(value)
        ? `config.requireSecretObject(${JSON.stringify(value.config)})`
        : JSON.stringify(value);
      lines.push(`    ${key}: ${text},`);
    }
    lines.push("  }),");
  }
  lines.push(
    "};",
    "",
    "export const userIds = pulumi.all(Object.values(users).map((u) => u.userId));",
    "",
  );
  return lines.join("\n");
}
