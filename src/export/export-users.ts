// `exportUsers(client, options)`: writes roster files (or a TypeScript program) for existing
// users, given by `userId`, so that the first `pulumi up` over them makes no write request. Each
// file is read back through the roster loader before it is written: what export writes, the
// loader accepts. Private metadata only on request, and only as a config reference.
import * as fs from "node:fs";
import * as path from "node:path";
import type { WachtClient } from "../client/wacht-client";
import { excludedByList, selectedByDetails } from "../census/take-census";
import { parseRosterFile, RosterError } from "../roster/roster-file";
import type { UserValidationLimits } from "../schema/user-inputs";
import { DEFAULT_USERNAME_MAX_LENGTH, DEFAULT_USERNAME_MIN_LENGTH } from "../schema/user-fields";
import type { ApiUserDetails } from "../schema/wire";
import type { ExportSelector } from "./export-selector";
import {
  baseName,
  privateMetadataKey,
  renderJson,
  renderProgram,
  renderYaml,
  rosterDocument,
  type RosterDocument,
} from "./render";

/** Output formats: one file per account (yaml, json) or one program (ts). */
export const EXPORT_FORMATS = ["yaml", "json", "ts"] as const;
export type ExportFormat = (typeof EXPORT_FORMATS)[number];

/** Options of {@link exportUsers}. */
export interface ExportOptions {
  /** Which users. @default { all: true } */
  select?: ExportSelector;
  /** @default "yaml" */
  format?: ExportFormat;
  /** Directory to write to (created if missing). Without it nothing is written. */
  outDir?: string;
  /** Overwrite existing files. @default false */
  force?: boolean;
  /** Declare non-empty private metadata as a config reference (`<name>-privateMetadata`). @default false */
  includePrivateMetadata?: boolean;
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
}

async function selectedUsers(
  client: WachtClient,
  select: ExportSelector,
): Promise<ApiUserDetails[]> {
  if ("userIds" in select) {
    const users: ApiUserDetails[] = [];
    for (const id of select.userIds) users.push(await client.users.get(id));
    return users;
  }
  const users: ApiUserDetails[] = [];
  for await (const summary of client.users.listAll({
    pageSize: 500,
    sortKey: "created_at",
    sortOrder: "asc",
  })) {
    if (excludedByList(select, summary)) continue;
    const details = await client.users.get(summary.id);
    if (selectedByDetails(select, details)) users.push(details);
  }
  return users;
}

/** Unique resource names: the base name, or `<base>-<id>` when two users share it. */
function assignNames(users: ApiUserDetails[]): string[] {
  const counts = new Map<string, number>();
  for (const u of users) counts.set(baseName(u), (counts.get(baseName(u)) ?? 0) + 1);
  return users.map((u) =>
    (counts.get(baseName(u)) ?? 0) > 1 ? `${baseName(u)}-${u.id}` : baseName(u),
  );
}

/** Exports the selected users. Throws before writing anything if a file exists (without `force`). */
export async function exportUsers(
  client: WachtClient,
  options: ExportOptions = {},
): Promise<ExportResult> {
  const format = options.format ?? "yaml";
  const limits = options.limits ?? {
    usernameMinLength: DEFAULT_USERNAME_MIN_LENGTH,
    usernameMaxLength: DEFAULT_USERNAME_MAX_LENGTH,
  };
  const users = await selectedUsers(client, options.select ?? { all: true });
  const names = assignNames(users);
  const source = client.baseUrl;
  const entries: { name: string; doc: RosterDocument }[] = [];
  const files: ExportedFile[] = [];
  const configKeys: ExportResult["configKeys"] = [];
  users.forEach((user, i) => {
    const name = names[i] as string;
    const doc = rosterDocument(user, name, options.includePrivateMetadata === true);
    // The live values may break a rule of the User schema (e.g. a username shorter than the
    // deployment's minimum, made before the limit): fail here, naming the user, not at preview.
    const fileName = `${name}.${format === "json" ? "json" : "yaml"}`;
    const content = format === "json" ? renderJson(doc) : renderYaml(doc, source);
    try {
      parseRosterFile(fileName, content, limits);
    } catch (err) {
      if (!(err instanceof RosterError)) throw err;
      throw new Error(
        `user ${user.id} cannot be exported as it is: ${err.problems.map((p) => p.message).join("; ")}`,
        { cause: err },
      );
    }
    entries.push({ name, doc });
    if (format !== "ts") files.push({ path: fileName, content });
    // A reference only where the document has one (a user with private metadata).
    if (doc["privateMetadata"] !== undefined)
      configKeys.push({ key: privateMetadataKey(name), userId: user.id });
  });
  if (format === "ts") files.push({ path: "index.ts", content: renderProgram(entries, source) });
  if (options.outDir !== undefined) writeFiles(options.outDir, files, options.force === true);
  return {
    users: entries.map((e, i) => ({ name: e.name, userId: (users[i] as ApiUserDetails).id })),
    files,
    configKeys,
  };
}

function writeFiles(dir: string, files: ExportedFile[], force: boolean): void {
  if (!force) {
    const existing = files.map((f) => path.join(dir, f.path)).filter((p) => fs.existsSync(p));
    if (existing.length > 0) {
      throw new Error(`export would overwrite ${existing.join(", ")}: remove them or pass --force`);
    }
  }
  fs.mkdirSync(dir, { recursive: true });
  for (const f of files) fs.writeFileSync(path.join(dir, f.path), f.content);
}
