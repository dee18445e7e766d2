// `npm run bench:gitops` (issue #21): what the GitOps tools cost in requests on a large deployment,
// counted by the emulator (its request log), not estimated. Requests, not time, are what a
// deployment's shared rate limit (1,000 a minute by default) charges for: the client is not paced
// here, and each row says what its requests take at that rate.
//   1. The first census of 10,000 users of which 1% are candidates (users the listing cannot
//      decide: not declared, not allowlisted, inside the selector's email domains), then the next
//      one (its cache of checked candidates), then a census whose selector needs metadata.
//   2. `export --select all` over 2,000 users, with and without `--with-details`.
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { WachtClient } from "../src/client";
import { WachtUserCensusProvider } from "../src/census/census-provider";
import { exportUsers } from "../src/export/export-users";
import { startEmulator, type EmulatorHandle, type SeedUser } from "../src/emulator";

const KEY = "sk_test_bench_gitops_000000000000000000000000000000";
const QUICK = process.env["BENCH_QUICK"] === "1";
const CENSUS_USERS = QUICK ? 1000 : 10_000;
const EXPORT_USERS = QUICK ? 400 : 2000;

function byKind(emulator: EmulatorHandle): { list: number; details: number; other: number } {
  const counts = { list: 0, details: 0, other: 0 };
  for (const r of emulator.requests()) {
    if (r.method === "GET" && r.path === "/users") counts.list += 1;
    else if (r.method === "GET" && r.path.endsWith("/details")) counts.details += 1;
    else counts.other += 1;
  }
  return counts;
}

async function census(emulator: EmulatorHandle): Promise<void> {
  // 1% of the users are staff at ops.example (the candidates); the rest are customers. A tenth of
  // the staff are declared by the stack, so 90% of the candidates are undeclared: they are named.
  const seed: SeedUser[] = Array.from({ length: CENSUS_USERS }, (_, i) => {
    const staff = i % 100 === 0;
    return {
      username: `${staff ? "staff" : "customer"}${i}`,
      email: `u${i}@${staff ? "ops.example" : "customers.example"}`,
      public_metadata: { kind: staff ? "admin" : "customer" },
    };
  });
  const users = emulator.users.seed(seed);
  const staff = users.filter((u) => u.user.primary_email_address?.endsWith("@ops.example"));
  const declared = staff.filter((_, i) => i % 10 === 0).map((u) => u.user.id);
  const run = async (selector: Record<string, unknown>, recorded: Record<string, unknown>) => {
    const p = new WachtUserCensusProvider();
    // Requests are counted, not paced: at the default 1,000 a minute the time is requests/1,000 min.
    const config: Record<string, string> = {
      "wacht:apiKey": KEY,
      "wacht:baseUrl": emulator.url,
      "wacht:requestsPerMinute": "1000000",
    };
    await p.configure({ config: { get: (k) => config[k], require: (k) => config[k] ?? "" } });
    const checked = await p.check({}, { selector, declaredUserIds: declared });
    emulator.clearRequests();
    const t0 = process.hrtime.bigint();
    const read = await p.read("census", { ...(checked.inputs as object), ...recorded });
    const ms = Number(process.hrtime.bigint() - t0) / 1e6;
    const props = read.props as Record<string, unknown>;
    return { props, requests: byKind(emulator), ms: Math.round(ms) };
  };
  const domains = { emailDomains: ["ops.example"] };
  const first = await run(domains, {});
  const second = await run(domains, first.props);
  const meta = { publicMetadata: { key: "kind", in: ["admin"] } };
  const metaFirst = await run(meta, {});
  const metaSecond = await run(meta, metaFirst.props);
  const row = (label: string, r: typeof first) =>
    console.log(
      `  ${label.padEnd(58)} list ${String(r.requests.list).padStart(3)}  details ${String(r.requests.details).padStart(6)}  other ${r.requests.other}  undeclared ${String(r.props["undeclaredCount"])}  (${r.ms} ms here; ${((r.requests.list + r.requests.details) / 1000).toFixed(2)} min at 1,000 requests a minute)`,
    );
  console.log(
    `census over ${CENSUS_USERS} users, ${staff.length} candidates (1%), ${declared.length} of them declared:`,
  );
  row("emailDomains, first census", first);
  row("emailDomains, next census (cache)", second);
  row("publicMetadata (listing decides nothing), first census", metaFirst);
  row("publicMetadata, next census (cache)", metaSecond);
  const state = JSON.stringify(first.props);
  console.log(
    `  state: ${state.length} bytes, names ${(first.props["undeclaredAccounts"] as unknown[]).length} accounts; any customer id in it: ${users.some((u) => !staff.includes(u) && state.includes(u.user.id))}`,
  );
}

async function exportAll(emulator: EmulatorHandle): Promise<void> {
  emulator.users.seed(
    Array.from({ length: EXPORT_USERS }, (_, i) => ({
      first_name: `First${i}`,
      username: `person${i}`,
      email: `person${i}@corp.example`,
    })),
  );
  const client = new WachtClient({ apiKey: KEY, baseUrl: emulator.url, requestsPerMinute: 1e6 });
  for (const withDetails of [false, true]) {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "bench-export-"));
    try {
      emulator.clearRequests();
      const t0 = process.hrtime.bigint();
      const result = await exportUsers(client, { outDir: dir, withDetails });
      const ms = Math.round(Number(process.hrtime.bigint() - t0) / 1e6);
      const r = byKind(emulator);
      console.log(
        `export --select all${withDetails ? " --with-details" : ""} over ${EXPORT_USERS} users: ${result.users.length} files, list ${r.list}, details ${r.details}, other ${r.other} (${ms} ms)`,
      );
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  }
}

async function main(): Promise<void> {
  for (const step of [census, exportAll]) {
    // The request log keeps every request (its default bound is 10,000 entries).
    const emulator = await startEmulator({
      apiKey: KEY,
      rateLimitPerMinute: false,
      requestLogLimit: 100_000,
    });
    try {
      await step(emulator);
    } finally {
      await emulator.close();
    }
  }
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
