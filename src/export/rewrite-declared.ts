// `export --force` over an account the roster already declares: the file is rewritten in its own
// format, but only the keys export decides from Wacht (render.ts `exportedKeys`) are export's.
// Every other key the file holds is carried over as written: the roster-only keys (`aliases`, a
// rename guard; `organizations` and `workspaces`, whose loss would delete the memberships at the
// next `up`; `password` and `privateMetadata` references) and the declaration's own settings
// (`onDelete` unless `--on-delete` is given, `passwordVersion`, `metadataOwnership`,
// `profileImage`, …). Dropped: what declared the account before it had a `userId` (`adopt`, the
// create-only fields), which the schema refuses beside a `userId`.
import * as fs from "node:fs";
import { isMap, isScalar, parseDocument, type Pair } from "yaml";
import type { RosterEntry } from "../roster/roster-file";
import { CREATE_ONLY_FIELDS } from "../schema/user-field-lists";
import { renderJson, renderYaml, type RosterDocument } from "./render";

/** Keys a file given by `userId` cannot hold: how it named the account before export gave its id. */
const SUPERSEDED: ReadonlySet<string> = new Set(["adopt", ...CREATE_ONLY_FIELDS]);

/** The first line of the comment {@link renderYaml} writes. */
const EXPORT_HEADER = /^ Exported by `pulumi-wacht export`[^\n]*\n?/;

/**
 * The new content of `existing`'s file: `doc` (what export decided, `exported` its keys) and the
 * file's other keys, after export's own and before `onDelete`, in the file's order. A private
 * metadata reference the file already has is kept (its config key is the one the stack holds).
 * Returns the document written (for the program and the config keys) and its text.
 */
export function rewriteDeclared(
  existing: RosterEntry,
  doc: RosterDocument,
  exported: ReadonlySet<string>,
  format: "yaml" | "json",
  source: string,
): { doc: RosterDocument; content: string } {
  const text = fs.readFileSync(existing.file, "utf8");
  const own: RosterDocument = { ...doc };
  if (own["privateMetadata"] !== undefined && existing.privateMetadata !== undefined)
    own["privateMetadata"] = { ...existing.privateMetadata };
  const carry = (key: string): boolean =>
    !exported.has(key) && !SUPERSEDED.has(key) && own[key] === undefined;
  // The roster loader has read this file: a mapping with string keys (strict JSON for .json).
  const parsed = parseDocument(text);
  if (!isMap(parsed.contents)) throw new Error(`${existing.file} is not a mapping`);
  const keyOf = (p: Pair): string => (isScalar(p.key) ? String(p.key.value) : "");
  const pairs: Pair[] = parsed.contents.items.filter((p) => carry(keyOf(p)));
  const values = parsed.toJS() as Record<string, unknown>;
  const { onDelete, ...rest } = own;
  const written: RosterDocument = { ...rest };
  for (const p of pairs) {
    const key = keyOf(p);
    written[key] = values[key] as RosterDocument[string];
  }
  if (onDelete !== undefined) written["onDelete"] = onDelete;
  if (format === "json") return { doc: written, content: renderJson(written) };
  // The old export header sits on the first key: it must not be written twice.
  const first = pairs[0]?.key as { commentBefore?: string | null } | undefined;
  if (first?.commentBefore) {
    first.commentBefore = first.commentBefore.replace(EXPORT_HEADER, "") || null;
  }
  return { doc: written, content: renderYaml(own, source, pairs) };
}
