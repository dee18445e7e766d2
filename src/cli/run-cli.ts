// The `pulumi-wacht` command, as a function of its arguments and output streams (so tests call
// it in-process). The key comes from WACHT_API_KEY, the base URL from --base-url or
// WACHT_BASE_URL (./cli-credentials.ts). Exit codes: 0 done, 1 failed, 2 bad usage.
import { parseArgs } from "node:util";
import { DEFAULT_BASE_URL, DEFAULT_REQUESTS_PER_MINUTE } from "../client/config";
import { ENV_API_KEY, ENV_BASE_URL } from "../client/env";
import { WachtClient } from "../client/wacht-client";
import { EXPORT_FORMATS, exportUsers, type ExportFormat } from "../export/export-users";
import { parseSelect, SELECT_FORMS } from "../export/export-selector";
import { ON_DELETE_POLICIES, type OnDeletePolicy } from "../schema/user-fields";
import { cliClientOptions, cliFailureMessage } from "./cli-credentials";

export const USAGE = `Usage: pulumi-wacht export --out DIR [options]
Writes one roster file per existing user (by userId), or a TypeScript program, so that the first
\`pulumi up\` over them makes no write request. The API key is read from ${ENV_API_KEY} (not from
the stack config: ${ENV_API_KEY}=$(pulumi config get wacht:apiKey) takes it from there).
  --base-url URL              the Wacht API (default: ${ENV_BASE_URL}, else ${DEFAULT_BASE_URL})
  --select SEL                ${SELECT_FORMS} (default all)
  --out DIR                   directory to write (created if missing); roster files already in it
                              are read first: no second file for an account or a name they hold
  --skip-declared DIR         leave out the accounts the roster in DIR declares (e.g. users/)
  --on-delete POLICY          write onDelete: ${ON_DELETE_POLICIES.join("|")} into each file
                              (disable: deleting the file disables the account, never deletes it)
  --format yaml|json|ts       roster files (yaml, json) or one index.ts program (default yaml)
  --with-details              read each user's details (one request per user) to declare also
                              disabled, secondFactorPolicy and public metadata; without it the
                              listing's fields are declared (a meta. selector reads details anyway)
  --include-private-metadata  declare non-empty private metadata as a secret config reference
                              (never the value; reads each user's details)
  --force                     overwrite existing files, and replace the files of accounts the
                              roster in --out already declares
  --requests-per-minute N     the deployment's rate limit, which the requests are paced to
                              (default ${DEFAULT_REQUESTS_PER_MINUTE}, Wacht's; as wacht:requestsPerMinute)
  --help                      show this help`;

const plural = (n: number, word: string): string => `${n} ${word}${n === 1 ? "" : "s"}`;

/** Where the command writes. */
export interface CliIo {
  out: (line: string) => void;
  err: (line: string) => void;
  env?: NodeJS.ProcessEnv;
}

/** Runs `pulumi-wacht <argv…>`; resolves to the exit code. */
export async function runCli(argv: readonly string[], io: CliIo): Promise<number> {
  /** Bad usage: the message, exit code 2. */
  const usage = (message: string): number => {
    io.err(message);
    return 2;
  };
  const [command, ...rest] = argv;
  if (command === undefined || command === "--help" || command === "help") {
    io.out(USAGE);
    return command === undefined ? 2 : 0;
  }
  if (command !== "export") return usage(`unknown command "${command}"\n${USAGE}`);
  let values;
  try {
    ({ values } = parseArgs({
      args: [...rest],
      options: {
        "base-url": { type: "string" },
        select: { type: "string" },
        out: { type: "string" },
        format: { type: "string", default: "yaml" },
        "include-private-metadata": { type: "boolean", default: false },
        "skip-declared": { type: "string" },
        "on-delete": { type: "string" },
        "with-details": { type: "boolean", default: false },
        force: { type: "boolean", default: false },
        "requests-per-minute": { type: "string" },
        help: { type: "boolean", default: false },
      },
      strict: true,
    }));
  } catch (err) {
    return usage(`${err instanceof Error ? err.message : String(err)}\n${USAGE}`);
  }
  if (values.help) {
    io.out(USAGE);
    return 0;
  }
  if (values.out === undefined) return usage(`--out DIR is required\n${USAGE}`);
  if (!(EXPORT_FORMATS as readonly string[]).includes(values.format))
    return usage(`--format must be one of ${EXPORT_FORMATS.join(", ")}`);
  const onDelete = values["on-delete"];
  if (onDelete !== undefined && !(ON_DELETE_POLICIES as readonly string[]).includes(onDelete))
    return usage(`--on-delete must be one of ${ON_DELETE_POLICIES.join(", ")}`);
  const rpmFlag = values["requests-per-minute"];
  const requestsPerMinute = rpmFlag === undefined ? undefined : Number(rpmFlag);
  if (
    requestsPerMinute !== undefined &&
    !(Number.isFinite(requestsPerMinute) && requestsPerMinute > 0)
  ) {
    return usage(
      `--requests-per-minute must be a positive number (the deployment's rate limit, default ${DEFAULT_REQUESTS_PER_MINUTE}), not ${JSON.stringify(rpmFlag)}`,
    );
  }
  let select;
  try {
    select = parseSelect(values.select);
  } catch (err) {
    return usage(err instanceof Error ? err.message : String(err));
  }
  let baseUrl: string | undefined;
  try {
    const client = new WachtClient({
      ...cliClientOptions({ baseUrl: values["base-url"] }, io.env ?? process.env),
      ...(requestsPerMinute === undefined ? {} : { requestsPerMinute }),
    });
    baseUrl = client.baseUrl;
    const result = await exportUsers(client, {
      select,
      format: values.format as ExportFormat,
      outDir: values.out,
      force: values.force,
      includePrivateMetadata: values["include-private-metadata"],
      withDetails: values["with-details"],
      ...(values["skip-declared"] === undefined ? {} : { skipDeclared: values["skip-declared"] }),
      ...(onDelete === undefined ? {} : { onDelete: onDelete as OnDeletePolicy }),
    });
    for (const f of result.files) io.out(`wrote ${f.path}`);
    const { skipped, users, requests } = result;
    if (skipped.length > 0) {
      io.out(
        `skipped ${plural(skipped.length, "user")} the roster in ${values["skip-declared"]} already declares`,
      );
    }
    io.out(
      `exported ${plural(users.length, "user")} to ${values.out} ` +
        `(${plural(requests.list, "list request")}, ${plural(requests.details, "user detail read")})`,
    );
    if (result.configKeys.length > 0) {
      io.out(
        "Set each user's private metadata as a secret before `pulumi up` (the value is not exported):",
      );
      for (const { key, userId } of result.configKeys) {
        io.out(`  pulumi config set --secret ${key} '<JSON private metadata of user ${userId}>'`);
      }
    }
    return 0;
  } catch (err) {
    io.err(`pulumi-wacht export failed: ${cliFailureMessage(err, baseUrl)}`);
    return 1;
  }
}
