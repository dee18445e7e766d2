// `npm run bench` (issue #6): request accounting, client throughput against the wire limit and the
// official SDK, provider overhead through the real host, delta refresh, CPU and memory, and the
// emulator's raw rate. Prints a table, writes bench/results.local.json (untracked; with --record,
// the tracked bench/results.json) and exits non-zero when an accounting invariant is violated. Every section starts its own emulator process (rate limit off).
// See BENCHMARKS.md.
import { writeFileSync } from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { User } from "../src";
import { captureOne } from "../test/helpers/capture";
import { runAccounting, type AccountingResult } from "./accounting";
import { runDiffCost, type DiffCostResult } from "./diff-cost";
import { runHostMemory, runHostOverhead, type HostResult, type MemoryResult } from "./host";
import { startEmulatorProcess, type EmulatorProcess } from "./lib/emulator-process";
import { API_KEY } from "./lib/fixtures";
import { Invariants } from "./lib/invariants";
import { nowMs, round } from "./lib/stats";
import { runThroughput, type ThroughputResult } from "./throughput";
import { CPU_GOAL, describeWireLimit, runWireLimit, type WireLimitResult } from "./wire-limit";

/** Sizes. BENCH_QUICK=1 shrinks everything (for working on the bench, never for results). */
const QUICK = process.env["BENCH_QUICK"] === "1";
const SIZES = {
  accountingUsers: QUICK ? 200 : 1000,
  drifted: QUICK ? 10 : 25,
  providerConcurrency: 32,
  throughputCalls: QUICK ? 1000 : 5000,
  throughputRounds: QUICK ? 1 : 5,
  throughputUsers: 200,
  wireLimitCalls: QUICK ? 2000 : 10_000,
  wireLimitRounds: QUICK ? 3 : 7,
  concurrencies: [1, 32],
  rpcCalls: QUICK ? 500 : 3000,
  rpcConcurrency: 16,
  lifecycleUsers: QUICK ? 20 : 100,
  memoryUsers: QUICK ? 1000 : 10_000,
  memoryUsersSmall: QUICK ? 100 : 1000,
  memoryConcurrency: 64,
  diffUsers: QUICK ? 1000 : 10_000,
  diffRepetitions: 5,
};
/**
 * Where the figures go. By default an untracked file (.gitignore), so a run on any machine leaves the
 * working tree clean; `npm run bench -- --record` writes the tracked results that BENCHMARKS.md cites.
 */
const ARGS = process.argv.slice(2);
const unknownArgs = ARGS.filter((a) => a !== "--record");
if (unknownArgs.length > 0) {
  console.error(
    `npm run bench: unknown argument ${unknownArgs.join(" ")} (the only one is --record)`,
  );
  process.exit(2);
}
const RECORD = ARGS.includes("--record");
if (RECORD && QUICK) {
  console.error("npm run bench: BENCH_QUICK=1 runs are not results; --record refuses them");
  process.exit(2);
}
const RESULTS_FILE = RECORD ? "results.json" : "results.local.json";
const GOALS = { oursToSdk: 1.5, runtimeSeconds: 600 };

interface Goal {
  item: string;
  goal: string;
  measured: string;
  met: boolean;
  reason?: string;
}

async function withEmulator<T>(fn: (emu: EmulatorProcess) => Promise<T>): Promise<T> {
  const emu = await startEmulatorProcess(API_KEY);
  try {
    return await fn(emu);
  } finally {
    await emu.close();
  }
}

function machine() {
  const cpus = os.cpus();
  return {
    cpuModel: cpus[0]?.model ?? "unknown",
    cpuCount: cpus.length,
    totalMemoryGiB: round(os.totalmem() / 1024 ** 3, 1),
    os: `${os.type()} ${os.release()} ${os.arch()}`,
    node: process.version,
    loadAverageAtStart: os.loadavg().map((l) => round(l, 2)),
  };
}

function fmt(n: number): string {
  return n >= 100 ? Math.round(n).toLocaleString("en-US") : String(round(n, 2));
}

function table(rows: string[][]): string {
  const header = ["#", "measure", "result", "goal", "verdict"];
  const all = [header, ...rows];
  const widths = header.map((_, c) => Math.max(...all.map((r) => (r[c] ?? "").length)));
  const line = (r: string[]) => `| ${r.map((v, c) => v.padEnd(widths[c]!)).join(" | ")} |`;
  return [
    line(header),
    `|${widths.map((w) => "-".repeat(w + 2)).join("|")}|`,
    ...rows.map(line),
  ].join("\n");
}

function verdict(met: boolean | undefined): string {
  return met === undefined ? "" : met ? "met" : "NOT met";
}

async function main(): Promise<void> {
  const started = nowMs();
  const inv = new Invariants();
  const log = (s: string) => console.log(s);
  const timings: Record<string, number> = {};
  const section = async <T>(name: string, fn: () => Promise<T>): Promise<T> => {
    const t0 = nowMs();
    log(`▶ ${name}`);
    const r = await fn();
    timings[name] = round((nowMs() - t0) / 1000, 1);
    log(`  done in ${timings[name]} s`);
    return r;
  };
  const m = machine();
  log(
    `pulumi-wacht bench on ${m.cpuCount}× ${m.cpuModel}, ${m.totalMemoryGiB} GiB, ${m.node}${QUICK ? " (QUICK: reduced sizes, not results)" : ""}`,
  );

  const providerText = (await captureOne(() => new User("bench", { userId: "1" }))).providerText;

  const accounting: AccountingResult = await section(
    "1+4 request accounting and delta refresh",
    () =>
      withEmulator((emu) =>
        runAccounting(emu, inv, SIZES.accountingUsers, SIZES.drifted, SIZES.providerConcurrency),
      ),
  );
  const throughput: ThroughputResult = await section("2+6 client throughput, emulator rate", () =>
    withEmulator((emu) =>
      runThroughput(emu, {
        calls: SIZES.throughputCalls,
        rounds: SIZES.throughputRounds,
        concurrencies: SIZES.concurrencies,
        users: SIZES.throughputUsers,
        log,
      }),
    ),
  );
  const wire: WireLimitResult = await section(
    "2 client at the wire limit (canned-JSON server process)",
    () =>
      runWireLimit({
        calls: SIZES.wireLimitCalls,
        rounds: SIZES.wireLimitRounds,
        concurrency: 32,
        log,
      }),
  );
  const host: HostResult = await section("3 provider overhead through the real host", () =>
    withEmulator((emu) =>
      runHostOverhead(emu, inv, providerText, {
        rpcCalls: SIZES.rpcCalls,
        lifecycleUsers: SIZES.lifecycleUsers,
        concurrency: SIZES.rpcConcurrency,
      }),
    ),
  );
  const memorySmall: MemoryResult = await section(
    `5 provider memory with ${SIZES.memoryUsersSmall} users`,
    () =>
      withEmulator((emu) =>
        runHostMemory(emu, inv, providerText, SIZES.memoryUsersSmall, SIZES.memoryConcurrency),
      ),
  );
  const memory: MemoryResult = await section(
    `5 provider memory with ${SIZES.memoryUsers} users`,
    () =>
      withEmulator((emu) =>
        runHostMemory(emu, inv, providerText, SIZES.memoryUsers, SIZES.memoryConcurrency),
      ),
  );
  const diffCost: DiffCostResult = await section("5 diff cost per user", () =>
    withEmulator((emu) => runDiffCost(emu, inv, SIZES.diffUsers, SIZES.diffRepetitions)),
  );
  const runtimeSeconds = round((nowMs() - started) / 1000, 1);

  // Goals and the table.
  const a = accounting;
  const t32 = throughput.perConcurrency["32"]!;
  const t1 = throughput.perConcurrency["1"]!;
  const emuRawCpu = t32.raw.emulatorCpuPct;
  const goals: Goal[] = [
    {
      item: "1",
      goal: `no-op diff of N=${a.n} makes 0 requests`,
      measured: `${a.noopDiff.requests} requests, ${a.noopDiff.changed} changes`,
      met: a.noopDiff.requests === 0 && a.noopDiff.changed === 0,
    },
    {
      item: "1",
      goal: `up right after the refresh with k=${a.k} drifted users makes exactly k PATCHes, each with only the drifted fields, and no guard GET (issue #13)`,
      measured: `${a.upAfterDrift.patches} PATCHes, only drifted fields: ${a.upAfterDrift.onlyDriftedFields}; ${a.upAfterDrift.detailsGets} details GETs of the lost-update guard`,
      met:
        a.upAfterDrift.patches === a.k &&
        a.upAfterDrift.onlyDriftedFields &&
        a.upAfterDrift.detailsGets === 0,
    },
    {
      item: "1+4",
      goal: `delta refresh of N=${a.n}: ⌈M/500⌉ = ${a.refreshDelta.listCallBound} list calls + 1 details GET per changed user (${a.k})`,
      measured: `${a.refreshDelta.listCalls} list calls + ${a.refreshDelta.detailsGets} details GETs`,
      met:
        a.refreshDelta.listCalls === a.refreshDelta.listCallBound &&
        a.refreshDelta.detailsGets === a.k &&
        a.refreshDelta.other === 0,
    },
    {
      item: "2",
      goal: `ours ≤ ${CPU_GOAL} × raw undici + JSON.parse in CPU per call at the wire limit, c=32`,
      measured: `CPU ${wire.cpuCost.median} (rounds ${wire.cpuCost.min}–${wire.cpuCost.max}); req/s ${wire.throughputRatio.median} (rounds ${wire.throughputRatio.min}–${wire.throughputRatio.max})`,
      met: wire.cpuCost.median <= CPU_GOAL,
    },
    {
      item: "2",
      goal: `(a) ours ≥ ${GOALS.oursToSdk} × (c) @wacht/backend at concurrency 32`,
      measured: `${t32.ratioOursToSdk} (${fmt(t32.ours.median)} vs ${fmt(t32.sdk.median)} req/s)`,
      met: t32.ratioOursToSdk >= GOALS.oursToSdk,
    },
    {
      item: "4",
      goal: "delta refresh returns exactly what a full refresh returns (drift still caught)",
      measured: inv.results.filter((r) => r.name.startsWith("delta refresh")).every((r) => r.ok)
        ? `all ${a.k} drifted users caught; ${a.n} states identical to a full refresh`
        : "violated (see invariants)",
      met: inv.results.filter((r) => r.name.startsWith("delta refresh")).every((r) => r.ok),
    },
    {
      item: "6",
      goal: "the emulator is not the bottleneck",
      measured: `${fmt(throughput.emulatorRaw.getDetailsPerSecond)} GET/s; during (b) at c=32 it used ${emuRawCpu}% of one core`,
      met: emuRawCpu < 90,
    },
    {
      item: "–",
      goal: `the whole bench runs in < ${GOALS.runtimeSeconds / 60} minutes`,
      measured: `${runtimeSeconds} s (+ build)`,
      met: runtimeSeconds < GOALS.runtimeSeconds,
    },
  ];
  const g = (i: number) => goals[i]!;
  const rows: string[][] = [
    [
      "1",
      `no-op diff, N=${a.n}`,
      `${a.noopDiff.requests} requests (${a.noopDiff.usPerDiff} µs/diff in-process)`,
      "0 requests",
      verdict(g(0).met),
    ],
    [
      "1",
      `up after ${a.k} out-of-band drifts (refresh → diff → update)`,
      `${a.upAfterDrift.patches} PATCHes, only drifted fields; +${a.upAfterDrift.detailsGets} GETs (lost-update guard); ${a.upAfterDrift.diffRequests} requests in diff`,
      `${a.k} PATCHes, drifted fields only, 0 GETs`,
      verdict(g(1).met),
    ],
    [
      "1",
      `up after ${a.upAfterDeclarationChange.diffSome} program edits (lastName)`,
      `${a.upAfterDeclarationChange.patches} PATCHes, only last_name: ${a.upAfterDeclarationChange.onlyChangedFields}`,
      "1 PATCH per edit",
      verdict(
        a.upAfterDeclarationChange.onlyChangedFields &&
          a.upAfterDeclarationChange.patches === a.upAfterDeclarationChange.diffSome,
      ),
    ],
    [
      "1",
      `refresh N=${a.n}, ${a.k} changed, delta (c=${a.concurrency})`,
      `${a.refreshDelta.listCalls} list + ${a.refreshDelta.detailsGets} details GETs, ${fmt(a.refreshDelta.ms)} ms`,
      `${a.refreshDelta.listCallBound} list + ${a.k} GETs`,
      verdict(g(2).met),
    ],
    [
      "4",
      `refresh N=${a.n}, deltaRefresh=false`,
      `${a.refreshFull.listCalls} list + ${a.refreshFull.detailsGets} details GETs, ${fmt(a.refreshFull.ms)} ms`,
      "(comparison)",
      "",
    ],
    [
      "4",
      `refresh of ${a.refreshFew.reads} unchanged users, one read at a time`,
      `${a.refreshFew.listCalls} list + ${a.refreshFew.detailsGets} details GETs`,
      `${a.refreshDelta.listCallBound} list, 0 GETs`,
      verdict(
        a.refreshFew.listCalls === a.refreshDelta.listCallBound && a.refreshFew.detailsGets === 0,
      ),
    ],
    [
      "4",
      "delta refresh = full refresh (drift caught)",
      g(5).measured,
      "identical",
      verdict(g(5).met),
    ],
  ];
  for (const c of throughput.concurrencies) {
    const t = throughput.perConcurrency[String(c)]!;
    rows.push([
      "2",
      `users.update req/s, c=${c} (median of ${throughput.rounds})`,
      `(a) ours ${fmt(t.ours.median)} · (b) raw ${fmt(t.raw.median)} · (c) SDK ${fmt(t.sdk.median)}`,
      "",
      "",
    ]);
    rows.push([
      "2",
      `ratios c=${c}: a/b · a/c (emulator-bound: a/b is not the client goal)`,
      `${t.ratioOursToRaw} · ${t.ratioOursToSdk}`,
      c === 32 ? `a/c ≥ ${GOALS.oursToSdk}` : "(c=32 is the goal)",
      c === 32 ? verdict(g(4).met) : "",
    ]);
    rows.push([
      "2",
      `client CPU per call, c=${c}: a · b · c`,
      (["ours", "raw", "sdk"] as const)
        .map((n) => `${fmt((t[n].clientCpuPct * 1e4) / t[n].median)} µs`)
        .join(" · "),
      "",
      "",
    ]);
  }
  const wm = wire.clients;
  rows.push([
    "2",
    `wire limit, users.update c=32: req/s (median of ${wire.rounds})`,
    `ours ${fmt(wm.ours.median.reqPerSecond)} · raw+JSON.parse ${fmt(wm.rawJson.median.reqPerSecond)} · raw bytes ${fmt(wm.raw.median.reqPerSecond)}`,
    "",
    "",
  ]);
  rows.push([
    "2",
    "wire limit, client CPU per call",
    `ours ${wm.ours.median.clientCpuUsPerCall} µs · raw+JSON.parse ${wm.rawJson.median.clientCpuUsPerCall} µs · raw bytes ${wm.raw.median.clientCpuUsPerCall} µs`,
    "",
    "",
  ]);
  rows.push([
    "2",
    "wire limit, ours / raw+JSON.parse: CPU per call · req/s",
    `${wire.cpuCost.median} [${wire.cpuCost.min}–${wire.cpuCost.max}] · ${wire.throughputRatio.median} [${wire.throughputRatio.min}–${wire.throughputRatio.max}]`,
    `≤ ${CPU_GOAL} · (context)`,
    verdict(g(3).met),
  ]);
  rows.push([
    "2",
    "wire limit, ours / raw bytes only: CPU per call · req/s",
    `${wire.cpuCostBytesOnly.median} [${wire.cpuCostBytesOnly.min}–${wire.cpuCostBytesOnly.max}] · ${wire.throughputRatioBytesOnly.median} [${wire.throughputRatioBytesOnly.min}–${wire.throughputRatioBytesOnly.max}]`,
    "(context)",
    "",
  ]);
  rows.push([
    "2",
    "wire-limit server CPU per call (not the bottleneck)",
    `${wm.ours.median.serverCpuUsPerCall} µs (ours) · ${wm.rawJson.median.serverCpuUsPerCall} µs (raw+JSON.parse); at most ${Math.max(...wm.ours.serverCpuPct, ...wm.rawJson.serverCpuPct, ...wm.raw.serverCpuPct)}% of a core`,
    "",
    "",
  ]);
  for (const [i, s] of host.check.entries()) {
    rows.push([
      "3",
      `Check RPC, c=${s.concurrency}`,
      `${fmt(s.perSecond)}/s, p50 ${s.p50Ms} ms, p95 ${s.p95Ms} ms`,
      "",
      "",
    ]);
    const d = host.diff[i]!;
    rows.push([
      "3",
      `Diff RPC, c=${d.concurrency}`,
      `${fmt(d.perSecond)}/s, p50 ${d.p50Ms} ms, p95 ${d.p95Ms} ms`,
      "",
      "",
    ]);
  }
  const lc = host.lifecycle;
  rows.push([
    "3",
    `create → diff → update per user (${lc.users} users)`,
    `${lc.sequential.msPerUser} ms/user sequential (p95 ${lc.sequential.p95Ms}); ${fmt(lc.concurrent.usersPerSecond)} users/s at c=${lc.concurrent.concurrency}; ${lc.requestsPerUser.details} GET + ${lc.requestsPerUser.patch} PATCH per user`,
    "",
    "",
  ]);
  rows.push([
    "3",
    "check per declaration, in-process",
    `${diffCost.checkUsPerUser} µs (zod schema rebuilt per call: ${diffCost.schemaBuildUsPerCall} µs; parse with a cached schema: ${diffCost.cachedSchemaParseUs} µs)`,
    "",
    "",
  ]);
  rows.push([
    "5",
    `diff cost (${diffCost.users} states, in-process)`,
    `${diffCost.noChangeUsPerUser} µs/user no change · ${diffCost.oneFieldChangedUsPerUser} µs/user one field changed`,
    "",
    "",
  ]);
  rows.push([
    "5",
    `state size (${diffCost.users} states)`,
    `${fmt(diffCost.stateJsonBytesPerUser)} B JSON/user; ${diffCost.heapMiBForStates} MiB heap for all`,
    "",
    "",
  ]);
  for (const mem of [memorySmall, memory]) {
    rows.push([
      "5",
      `provider process RSS, up of ${fmt(mem.users)} users (host)`,
      `${mem.up.baselineRssMiB} MiB idle → ${mem.up.afterCreateRssMiB} after the Creates → ${mem.up.afterDiffRssMiB} after the Diffs; peak ${mem.up.peakRssMiB} MiB; ${fmt(mem.up.createPerSecond)} Check+Create/s`,
      "",
      "",
    ]);
    rows.push([
      "5",
      `provider process RSS, refresh of ${fmt(mem.users)} users (host)`,
      `${mem.refresh.baselineRssMiB} MiB idle → peak ${mem.refresh.peakRssMiB} MiB; ${fmt(mem.refresh.readPerSecond)} Read/s; ${mem.refresh.listCalls} list + ${mem.refresh.detailsGets} GETs`,
      "",
      "",
    ]);
  }
  rows.push([
    "6",
    `emulator raw rate (GET details, raw undici, c=${throughput.emulatorRaw.concurrency})`,
    `${fmt(throughput.emulatorRaw.getDetailsPerSecond)} req/s (emulator at ${throughput.emulatorRaw.emulatorCpuPct}% of a core)`,
    "",
    "",
  ]);
  rows.push([
    "6",
    "emulator CPU during (b) raw PATCH c=32",
    `${emuRawCpu}% of one core, ${t32.raw.emulatorCpuUsPerReq} µs/PATCH`,
    "< 90%",
    verdict(g(6).met),
  ]);
  rows.push(["–", "bench runtime", `${runtimeSeconds} s (+ build)`, "< 600 s", verdict(g(7).met)]);
  void t1;

  const rendered = table(rows);
  log("");
  log(rendered);
  log("");
  for (const goal of goals)
    log(`${goal.met ? "✔" : "✘"} [${goal.item}] ${goal.goal}: ${goal.measured}`);
  log("");
  for (const line of describeWireLimit(wire)) log(`wire limit: ${line}`);

  const results = {
    date: new Date().toISOString(),
    command: RECORD ? "npm run bench -- --record" : "npm run bench",
    quick: QUICK,
    machine: m,
    runtimeSeconds,
    sectionSeconds: timings,
    sizes: SIZES,
    notes: [
      "The emulator runs in its own process with its rate limit off; our client's pacing is off for the throughput test (requestsPerMinute: Infinity) and lifted for the provider (wacht:requestsPerMinute 100000000).",
      "Throughput rounds interleave (a), (b) and (c) in a rotating order; the ratio is the median of the per-round ratios.",
      "CPU shares are of one core, from /proc/<pid>/stat (emulator) and process.cpuUsage() (this process).",
      "Memory: RSS of the dynamic-provider host process (VmRSS, sampled every 50 ms, and VmHWM).",
    ],
    accounting,
    throughput,
    wireLimit: wire,
    host,
    memory: { small: memorySmall, large: memory },
    diffCost,
    goals,
    invariants: inv.results,
    table: rendered,
  };
  writeFileSync(path.join(__dirname, RESULTS_FILE), JSON.stringify(results, null, 2) + "\n");
  log(
    `\nwrote bench/${RESULTS_FILE}${RECORD ? "" : " (untracked; --record writes bench/results.json)"}; ${inv.results.length} invariants checked, ${inv.failed.length} violated`,
  );
  if (inv.failed.length > 0) {
    for (const f of inv.failed) console.error(`✘ ${f.name}: ${f.detail}`);
    process.exitCode = 1;
  }
}

main().then(
  () => process.exit(process.exitCode ?? 0),
  (err: unknown) => {
    console.error("bench failed:", err);
    process.exit(1);
  },
);
