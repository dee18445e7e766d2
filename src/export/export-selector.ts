// Which users `export` writes: the census selectors, or explicit ids. Parsed from the CLI's
// `--select` text: `all`, `id:1,2`, `domain:corp.example,ops.example`, `meta.kind:admin,service`.
import type { CensusSelector } from "../census/census-inputs";
import { isUserId } from "../schema/user-inputs";

/** The users to export. */
export type ExportSelector = CensusSelector | { userIds: string[] };

/** The `--select` forms, for help and error text. */
export const SELECT_FORMS = "all | id:<id>[,<id>…] | domain:<domain>[,…] | meta.<key>:<value>[,…]";

function list(text: string): string[] {
  return text
    .split(",")
    .map((s) => s.trim())
    .filter((s) => s !== "");
}

/** Parses `--select`; throws naming the accepted forms. */
export function parseSelect(text: string | undefined): ExportSelector {
  const value = (text ?? "all").trim();
  if (value === "all") return { all: true };
  const colon = value.indexOf(":");
  const kind = colon < 0 ? value : value.slice(0, colon);
  const rest = colon < 0 ? [] : list(value.slice(colon + 1));
  if (rest.length > 0) {
    if (kind === "id") {
      const bad = rest.filter((id) => !isUserId(id));
      if (bad.length === 0) return { userIds: rest };
      throw new Error(`--select id: ${bad.join(", ")} is not a Wacht user id (a decimal int64)`);
    }
    if (kind === "domain") return { emailDomains: rest };
    if (kind.startsWith("meta.") && kind.length > 5) {
      return { publicMetadata: { key: kind.slice(5), in: rest } };
    }
  }
  throw new Error(`--select "${value}" is not understood; use ${SELECT_FORMS}`);
}
