// Reads a roster directory: every `*.yaml`, `*.yml` and `*.json` file directly in it is one
// account (other files, e.g. a README, are ignored). All files are checked before any error is
// raised, so one run lists every problem of the roster. No Pulumi import: usable from tests,
// the export command and CI scripts.
import * as fs from "node:fs";
import * as path from "node:path";
import { accountClaims } from "../schema/account-claims";
import { DEFAULT_USERNAME_MAX_LENGTH, DEFAULT_USERNAME_MIN_LENGTH } from "../schema/user-fields";
import type { UserValidationLimits } from "../schema/user-inputs";
import {
  claimPosition,
  displayPath,
  parseRosterFile,
  RosterError,
  rosterName,
  ROSTER_EXTENSIONS,
  type RosterEntry,
  type RosterProblem,
} from "./roster-file";

/** The roster files of `dir`, sorted by name (a stable resource order). */
export function rosterFiles(dir: string): string[] {
  let names: string[];
  try {
    names = fs.readdirSync(dir);
  } catch (err) {
    throw new Error(
      `cannot read the roster directory ${displayPath(dir)}: ${err instanceof Error ? err.message : String(err)}`,
      { cause: err },
    );
  }
  return names
    .filter((n) => ROSTER_EXTENSIONS.some((e) => n.toLowerCase().endsWith(e)))
    .sort()
    .map((n) => path.join(dir, n));
}

/** Wacht's own username limits, for a roster read outside a Pulumi program. */
export const DEFAULT_ROSTER_LIMITS: UserValidationLimits = {
  usernameMinLength: DEFAULT_USERNAME_MIN_LENGTH,
  usernameMaxLength: DEFAULT_USERNAME_MAX_LENGTH,
};

/**
 * Two or more files that declare the same account (the same userId, email, username or phone,
 * adopted or created): one problem per file, at its key, naming the others. Without this a copied
 * file created a second account with the same email, which Wacht does not refuse.
 */
function sameAccountProblems(entries: readonly RosterEntry[]): RosterProblem[] {
  const byKey = new Map<string, { entry: RosterEntry; path: readonly string[]; label: string }[]>();
  for (const entry of entries) {
    for (const claim of accountClaims(entry.args)) {
      const list = byKey.get(claim.key) ?? [];
      // One file that gives one key twice (adopt.email and emailAddress cannot) counts once.
      if (!list.some((c) => c.entry === entry)) list.push({ entry, ...claim });
      byKey.set(claim.key, list);
    }
  }
  const problems: RosterProblem[] = [];
  for (const claims of byKey.values()) {
    if (claims.length < 2) continue;
    for (const claim of claims) {
      const others = claims
        .filter((c) => c !== claim)
        .map((c) => {
          const at = claimPosition(c.entry, c.path);
          return `${displayPath(c.entry.file)}:${at.line}:${at.column}`;
        });
      problems.push({
        file: claim.entry.file,
        ...claimPosition(claim.entry, claim.path),
        message: `${claim.label} is also declared by ${others.join(", ")}: one file per account (a copied file would create or claim the same account twice)`,
      });
    }
  }
  return problems.sort(
    (a, b) => a.file.localeCompare(b.file) || a.line - b.line || a.column - b.column,
  );
}

/**
 * Parses every roster file of `dir`; throws one RosterError listing all problems. `limits` are the
 * deployment's username limits (default: Wacht's, 3 to 30 characters); `loadRoster` reads them
 * from the stack config.
 */
export function readRoster(
  dir: string,
  limits: UserValidationLimits = DEFAULT_ROSTER_LIMITS,
): RosterEntry[] {
  const entries: RosterEntry[] = [];
  const problems: RosterProblem[] = [];
  const byName = new Map<string, string>();
  for (const file of rosterFiles(dir)) {
    const name = rosterName(file);
    const other = byName.get(name);
    if (other !== undefined) {
      problems.push({
        file,
        line: 1,
        column: 1,
        message: `the resource name "${name}" is already given by ${displayPath(other)}: keep one file per account`,
      });
      continue;
    }
    byName.set(name, file);
    try {
      entries.push(parseRosterFile(file, fs.readFileSync(file, "utf8"), limits));
    } catch (err) {
      if (!(err instanceof RosterError)) throw err;
      problems.push(...err.problems);
    }
  }
  // An alias that is the name of another file would make two resources claim one history.
  for (const entry of entries) {
    for (const alias of entry.aliases) {
      const owner = byName.get(alias);
      if (owner !== undefined) {
        problems.push({
          file: entry.file,
          line: 1,
          column: 1,
          message: `alias "${alias}" is the name of another roster file (${displayPath(owner)}): an alias names this account's previous file`,
        });
      }
    }
  }
  problems.push(...sameAccountProblems(entries));
  if (problems.length > 0) throw new RosterError(problems);
  return entries;
}
