// `exportUsers(client, options)`: writes roster files (or a TypeScript program) for existing
// users, given by `userId`, so that the first `pulumi up` over them makes no write request. Each
// file is read back through the roster loader before it is written: what export writes, the
// loader accepts. Private metadata only on request, and only as a config reference.
import * as fs from "node:fs";
import * as path from "node:path";
import type { WachtClient } from "../client/wacht-client";
import { isNotFound } from "../provider/errors";
import { excludedByList, selectedByDetails } from "../census/take-census";
import { readRoster, DEFAULT_ROSTER_LIMITS } from "../roster/read-roster";
import type { ConfigRef } from "../roster/config-ref";
import { parseRosterFile, RosterError, type RosterEntry } from "../roster/roster-file";
import { accountClaims } from "../schema/account-claims";
import type { OnDeletePolicy } from "../schema/user-fields";
import type { UserValidationLimits } from "../schema/user-inputs";
import type { ExportSelector } from "./export-selector";
import {
  baseName,
  exportedKeys,
  renderJson,
  renderProgram,
  renderYaml,
  rosterDocument,
  type ExportedFacts,
  type RosterDocument,
} from "./render";
import { rewriteDeclared } from "./rewrite-declared";

/** Output formats: one file per account (yaml, json) or one program (ts). */
export const EXPORT_FORMATS = ["yaml", "json", "ts"] as const;
export type ExportFormat = (typeof EXPORT_FORMATS)[number];

/** Options of {@link exportUsers}. */
export interface ExportOptions {
  /** Which users. @default { all: true } */
  select?: ExportSelector;
  /** @default "yaml" */
  format?: ExportFormat;
  /**
   * Directory to write to (created if missing). Without it nothing is written. Roster files
   * already in it are read first: export never writes a second file for a name (or alias) they
   * hold, whatever its extension.
   */
  outDir?: string;
  /**
   * Replace the files of accounts the roster in `outDir` already declares, keeping every key of
   * the file export does not decide (`aliases`, `organizations`, `workspaces`, references, …).
   * @default false
   */
  force?: boolean;
  /** Declare non-empty private metadata as a config reference (`<name>-privateMetadata`). @default false */
  includePrivateMetadata?: boolean;
  /**
   * Export only the accounts the roster in this directory does not declare (by userId, or by the
   * email or username a file creates or adopts).
   */
  skipDeclared?: string;
  /** Write `onDelete` into every file (`"disable"`: deleting the file disables the account). */
  onDelete?: OnDeletePolicy;
  /**
   * Read every exported user's details, to declare also `disabled`, `secondFactorPolicy` and
   * public metadata: one more request per user. Without it the list's fields are declared (names
   * and username), and details are read only where export needs them (a `meta.` selector, private
   * metadata asked for, users given by id). @default false
   */
  withDetails?: boolean;
  /** Username limits of the deployment, for the read-back check. @default Wacht's (3–30) */
  limits?: UserValidationLimits;
}

/** One file export produced. */
export interface ExportedFile {
  /** Relative to `outDir`. */
  path: string;
  content: string;
}

/** What export did. */
export interface ExportResult {
  /** The exported users, by resource name. */
  users: { name: string; userId: string }[];
  files: ExportedFile[];
  /** Secret config keys the program needs (`pulumi config set --secret <key> …`), with the user. */
  configKeys: { key: string; userId: string }[];
  /** Selected users left out because the `skipDeclared` roster declares them, with its file. */
  skipped: { userId: string; file: string }[];
  /** Requests made: list pages and details reads. */
  requests: { list: number; details: number };
}

/** Users by id are read by id; the rest from the listing, with details only where needed. */
async function selectedUsers(
  client: WachtClient,
  select: ExportSelector,
  details: boolean,
  requests: ExportResult["requests"],
): Promise<ExportedFacts[]> {
  const read = async (id: string) => {
    requests.details += 1;
    return client.users.get(id);
  };
  const users: ExportedFacts[] = [];
  if ("userIds" in select) {
    for (const id of select.userIds) users.push(await read(id));
    return users;
  }
  // Pages of 500, oldest first (offset pagination: a user created meanwhile lands at the end).
  for (let offset = 0; ;) {
    requests.list += 1;
    const page = await client.users.list({
      limit: 500,
      offset,
      sortKey: "created_at",
      sortOrder: "asc",
    });
    for (const summary of page.data) {
      if (excludedByList(select, summary)) continue;
      if (!details && !("publicMetadata" in select)) {
        users.push(summary);
        continue;
      }
      let user;
      try {
        user = await read(summary.id);
      } catch (err) {
        if (isNotFound(err)) continue; // deleted meanwhile
        throw err;
      }
      if (selectedByDetails(select, user)) users.push(user);
    }
    if (!page.has_more || page.data.length === 0) break;
    offset += page.data.length;
  }
  return users;
}

/** Unique resource names: the base name, or `<base>-<id>` when two users share it. */
function assignNames(users: ExportedFacts[]): string[] {
  const counts = new Map<string, number>();
  for (const u of users) counts.set(baseName(u), (counts.get(baseName(u)) ?? 0) + 1);
  return users.map((u) =>
    (counts.get(baseName(u)) ?? 0) > 1 ? `${baseName(u)}-${u.id}` : baseName(u),
  );
}

/** The roster files of `dir`, validated ([] when it has none or does not exist). */
function rosterBeside(dir: string, limits: UserValidationLimits): RosterEntry[] {
  if (!fs.existsSync(dir)) return [];
  try {
    return readRoster(dir, limits);
  } catch (err) {
    if (!(err instanceof RosterError)) throw err;
    throw new Error(
      `export reads the roster in ${dir} first (to never write a second file for one account), and it has problems; fix them first:\n${err.message}`,
      { cause: err },
    );
  }
}

/** The entry of `entries` that declares `user` (by id; a created or adopted one by email or username). */
function declaring(
  entries: readonly RosterEntry[],
): (user: ExportedFacts) => RosterEntry | undefined {
  const byKey = new Map<string, RosterEntry>();
  for (const entry of entries) {
    const byId = entry.args["userId"] !== undefined;
    for (const claim of accountClaims(entry.args)) {
      if (!byId || claim.key.startsWith("id:")) byKey.set(claim.key, entry);
    }
  }
  return (user) => {
    const username = user.username === "" ? null : user.username;
    const keys = accountClaims({
      userId: user.id,
      emailAddress: user.primary_email_address,
      username,
    });
    for (const { key } of keys) {
      const entry = byKey.get(key);
      if (entry !== undefined) return entry;
    }
    return undefined;
  };
}

/**
 * Exports the selected users. Throws before writing anything if a file would be overwritten or a
 * second file written for an account or a name the roster in `outDir` has (without `force`).
 */
export async function exportUsers(
  client: WachtClient,
  options: ExportOptions = {},
): Promise<ExportResult> {
  const format = options.format ?? "yaml";
  const limits = options.limits ?? DEFAULT_ROSTER_LIMITS;
  const requests = { list: 0, details: 0 };
  // Whether a user has private metadata is in its details only.
  const details = options.withDetails === true || options.includePrivateMetadata === true;
  // The rosters are read before any request: a broken one stops export at no cost.
  const skipRoster =
    options.skipDeclared === undefined ? undefined : rosterBeside(options.skipDeclared, limits);
  const outRoster =
    options.outDir === undefined || format === "ts" ? [] : rosterBeside(options.outDir, limits);
  const selected = await selectedUsers(client, options.select ?? { all: true }, details, requests);
  const skipped: ExportResult["skipped"] = [];
  const users: ExportedFacts[] = [];
  const skipOf = skipRoster === undefined ? undefined : declaring(skipRoster);
  for (const user of selected) {
    const entry = skipOf?.(user);
    if (entry === undefined) users.push(user);
    else skipped.push({ userId: user.id, file: entry.file });
  }
  const names = assignNames(users);
  const declaredOut = declaring(outRoster);
  // Every name the roster in outDir holds (file names and aliases), whatever the extension.
  const taken = new Map<string, RosterEntry>();
  for (const entry of outRoster) {
    taken.set(entry.name, entry);
    for (const alias of entry.aliases) taken.set(alias, entry);
  }
  const source = client.baseUrl;
  const entries: { name: string; userId: string; doc: RosterDocument }[] = [];
  const files: ExportedFile[] = [];
  const replaced: string[] = [];
  const conflicts: string[] = [];
  const configKeys: ExportResult["configKeys"] = [];
  users.forEach((user, i) => {
    let name = names[i] as string;
    let fileFormat: "yaml" | "json" = format === "json" ? "json" : "yaml";
    let fileName: string | undefined;
    const existing = declaredOut(user);
    if (existing !== undefined) {
      // The roster already declares this account: replace its file (in its own format) or stop.
      if (options.force !== true) {
        conflicts.push(`user ${user.id} is already declared by ${existing.file}`);
        return;
      }
      name = existing.name;
      fileName = path.basename(existing.file);
      fileFormat = fileName.toLowerCase().endsWith(".json") ? "json" : "yaml";
      replaced.push(existing.file);
    } else if (taken.has(name)) {
      // Another account has this name: this one gets its id appended.
      name = `${name}-${user.id}`;
      if (taken.has(name)) {
        conflicts.push(`the name ${name} is taken by ${taken.get(name)!.file}`);
        return;
      }
    }
    const exportedDoc = rosterDocument(
      user,
      name,
      options.includePrivateMetadata === true,
      options.onDelete,
    );
    fileName ??= `${name}.${fileFormat}`;
    // Replacing a declared account's file keeps every key export does not decide (memberships,
    // aliases, references, settings): ./rewrite-declared.ts.
    const { doc, content } =
      existing === undefined
        ? {
            doc: exportedDoc,
            content:
              fileFormat === "json" ? renderJson(exportedDoc) : renderYaml(exportedDoc, source),
          }
        : rewriteDeclared(
            existing,
            exportedDoc,
            exportedKeys(user, options.onDelete),
            fileFormat,
            source,
          );
    // The live values may break a rule of the User schema (e.g. a username shorter than the
    // deployment's minimum, made before the limit): fail here, naming the user, not at preview.
    try {
      parseRosterFile(fileName, content, limits);
    } catch (err) {
      if (!(err instanceof RosterError)) throw err;
      throw new Error(
        `user ${user.id} cannot be exported as it is: ${err.problems.map((p) => p.message).join("; ")}`,
        { cause: err },
      );
    }
    entries.push({ name, userId: user.id, doc });
    if (format !== "ts") files.push({ path: fileName, content });
    // A reference only where export declared one (a user with private metadata), with the key
    // written (a replaced file's own reference keeps its key).
    if (exportedDoc["privateMetadata"] !== undefined)
      configKeys.push({ key: (doc["privateMetadata"] as ConfigRef).config, userId: user.id });
  });
  if (conflicts.length > 0) {
    throw new Error(
      `export would write a second file for accounts the roster in ${options.outDir} already declares: ${conflicts.join("; ")}. ` +
        `Pass --skip-declared ${options.outDir} to export only the accounts it does not declare, or --force to replace their files`,
    );
  }
  if (format === "ts") files.push({ path: "index.ts", content: renderProgram(entries, source) });
  if (options.outDir !== undefined) {
    writeFiles(options.outDir, files, options.force === true, new Set(replaced));
  }
  return {
    users: entries.map((e) => ({ name: e.name, userId: e.userId })),
    files,
    configKeys,
    skipped,
    requests,
  };
}

function writeFiles(
  dir: string,
  files: ExportedFile[],
  force: boolean,
  replacing: Set<string>,
): void {
  if (!force) {
    const existing = files
      .map((f) => path.join(dir, f.path))
      .filter((p) => fs.existsSync(p) && !replacing.has(p));
    if (existing.length > 0) {
      throw new Error(`export would overwrite ${existing.join(", ")}: remove them or pass --force`);
    }
  }
  fs.mkdirSync(dir, { recursive: true });
  for (const f of files) fs.writeFileSync(path.join(dir, f.path), f.content);
}
