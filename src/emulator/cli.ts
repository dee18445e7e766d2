#!/usr/bin/env node
// `wacht-emulator`: starts the emulator from the shell, prints its base URL alone as the first line
// on stdout (then `WACHT_BASE_URL=<url>` for shells) and runs until SIGINT/SIGTERM (flushing the
// state file on the way out).
// Usage: wacht-emulator [--port 8787] [--api-key KEY] [--seed users.json] [--state-file state.json]
//                       [--seed-orgs orgs.json] [--rate-limit N|off] [--search-lag-ms N]
import { readFileSync } from "node:fs";
import { parseArgs } from "node:util";
import { startEmulator } from "./index";
import { seedFileSchema } from "./seed";
import { seedOrganizationsSchema } from "./b2b/seed";

const USAGE = `Usage: wacht-emulator [options]
  --port N            port on 127.0.0.1 (default 8787; 0 = any free port)
  --api-key KEY       the only accepted API key (default: env WACHT_API_KEY, else any token)
  --seed FILE         JSON array of seed users
  --seed-orgs FILE    JSON array of seed organizations (roles, workspaces, members)
  --state-file FILE   load/save users from/to this JSON file
  --rate-limit N|off  requests per minute per deployment (default 1000)
  --search-lag-ms N   delay before changes are visible to search (default 0)
  --help              show this help`;

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      port: { type: "string", default: "8787" },
      "api-key": { type: "string" },
      seed: { type: "string" },
      "seed-orgs": { type: "string" },
      "state-file": { type: "string" },
      "rate-limit": { type: "string" },
      "search-lag-ms": { type: "string" },
      help: { type: "boolean", default: false },
    },
    strict: true,
  });
  if (values.help) {
    process.stdout.write(`${USAGE}\n`);
    return;
  }
  const port = Number(values.port);
  if (!Number.isInteger(port) || port < 0 || port > 65535)
    throw new Error(`invalid --port ${values.port}`);
  const rate = values["rate-limit"];
  const rateLimitPerMinute = rate === undefined ? undefined : rate === "off" ? false : Number(rate);
  if (
    typeof rateLimitPerMinute === "number" &&
    !(Number.isInteger(rateLimitPerMinute) && rateLimitPerMinute > 0)
  ) {
    throw new Error(`invalid --rate-limit ${rate}`);
  }
  const apiKey = values["api-key"] ?? process.env.WACHT_API_KEY;
  const seed = values.seed
    ? seedFileSchema.parse(JSON.parse(readFileSync(values.seed, "utf8")))
    : undefined;
  const organizations = values["seed-orgs"]
    ? seedOrganizationsSchema.parse(JSON.parse(readFileSync(values["seed-orgs"], "utf8")))
    : undefined;
  const emulator = await startEmulator({
    port,
    ...(apiKey ? { apiKey } : {}),
    ...(seed ? { seed } : {}),
    ...(organizations ? { organizations } : {}),
    ...(values["state-file"] ? { stateFile: values["state-file"] } : {}),
    ...(rateLimitPerMinute !== undefined ? { rateLimitPerMinute } : {}),
    ...(values["search-lag-ms"] ? { searchIndexLagMs: Number(values["search-lag-ms"]) } : {}),
  });
  process.stdout.write(`${emulator.url}\nWACHT_BASE_URL=${emulator.url}\n`);
  process.stderr.write(
    `wacht-emulator: deployment ${emulator.deploymentId}, ${apiKey ? "one API key" : "any bearer token"}; ` +
      `control routes at ${emulator.url}/__emulator/. Ctrl-C to stop.\n`,
  );
  const stop = (): void => {
    void emulator.close().then(() => process.exit(0));
  };
  process.once("SIGINT", stop);
  process.once("SIGTERM", stop);
}

main().catch((err: unknown) => {
  process.stderr.write(`wacht-emulator: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
});
