// Turns a user's details into a roster document and renders it as YAML, JSON or a TypeScript
// program. Only the fields a `wacht.User` given by `userId` would compare are written, each with
// the live value, so the first `pulumi up` over the result has nothing to write. Private metadata
// is written only when asked for, and then only as a config reference.
import { stringify } from "yaml";
import type { JsonValue } from "../schema/json";
import { fieldRow, PROFILE_FIELDS } from "../schema/user-field-lists";
import type { ApiUserDetails } from "../schema/wire";
import type { ConfigRef } from "../roster/config-ref";

/** A roster file's content, as exported. */
export type RosterDocument = Record<string, JsonValue | ConfigRef>;

/** The config key export uses for a user's private metadata. */
export function privateMetadataKey(name: string): string {
  return `${name}-privateMetadata`;
}

/** A resource name from the username, the email's local part, or the id. */
export function baseName(user: ApiUserDetails): string {
  const raw = user.username ?? user.primary_email_address?.split("@")[0] ?? "";
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

/** The roster document of one user. */
export function rosterDocument(
  user: ApiUserDetails,
  name: string,
  includePrivateMetadata: boolean,
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
      if (includePrivateMetadata) doc[field] = { config: privateMetadataKey(name) };
      continue;
    }
    if (row.kind === "text" && !row.mayBeEmpty && typeof value === "string" && value.trim() === "")
      continue;
    if (row.values !== undefined && (typeof value !== "string" || !row.values.includes(value)))
      continue;
    doc[field] = value;
  }
  return doc;
}

/** YAML with a header comment saying where it came from. */
export function renderYaml(doc: RosterDocument, source: string): string {
  return `# Exported by \`pulumi-wacht export\` from ${source}.\n${stringify(doc)}`;
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
