// Reads a roster directory: every `*.yaml`, `*.yml` and `*.json` file directly in it is one
// account (other files, e.g. a README, are ignored). All files are checked before any error is
// raised, so one run lists every problem of the roster. No Pulumi import: usable from tests,
// the export command and CI scripts.
import * as fs from "node:fs";
import * as path from "node:path";
import type { UserValidationLimits } from "../schema/user-inputs";
import {
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

/** Parses every roster file of `dir`; throws one RosterError listing all problems. */
export function readRoster(dir: string, limits: UserValidationLimits): RosterEntry[] {
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
  if (problems.length > 0) throw new RosterError(problems);
  return entries;
}
