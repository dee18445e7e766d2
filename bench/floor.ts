// `npm run bench:floor` (issue #19): N declarations of `wacht.User` against the emulator (its own
// process) next to N of a null dynamic resource with the same inputs, through the REAL `pulumi`
// CLI (ADR 0010), one backend kind (file), interleaved: each step runs for every variant before
// the next step starts, in an order that rotates per step. The null resource is the floor any
// dynamic resource pays (program registration, engine steps, checkpoints, the host's gRPC): its
// create returns an id, its diff reports nothing unless a refresh read something else, its read
// returns its state (or, for the ids listed in the drift file, a changed last name) and its
// update returns the inputs.
//
// Per step and variant: wall time, requests (the emulator's log), state bytes per resource (the
// file backend's checkpoint), peak RSS and CPU of the program process (scripts/cli/pulumi-inline.js,
// which serves the program to the CLI), the provider process and the engine, and the load average.
//
//   FLOOR_USERS=250,500 npm run bench:floor          sizes, run one after the other
//   FLOOR_VARIANTS=user,null,native                 which resources (native: wacht:index:User;
//                                                   wide: the null resource registered as
//                                                   wacht.User registers, returning a created
//                                                   User's outputs);
//                                                   a suffix runs a lane with a CLI option:
//                                                   user@skip (PULUMI_SKIP_CHECKPOINTS=true),
//                                                   user@p16 (--parallel 16),
//                                                   user@sp (up --skip-preview)
//   FLOOR_TARGET=1                                  adds `up --target <one user>` after no-op up
//   FLOOR_BEFORE=/tmp/pulumi-wacht-old.tgz          adds variant "before": wacht.User of that
//                                                   tarball (e.g. `npm pack` of main), same run
//   FLOOR_PARALLEL=16                               pass --parallel (default: the CLI's default)
//   FLOOR_PROFILE=1                                 CPU profiles of the program and provider
//                                                   processes (bench/lib/cpu-profile-preload.js)
//   FLOOR_PROFILE=heap                              heap profiles instead: what each process
//                                                   still holds when it exits, by allocation site
//   FLOOR_PROFILE=alloc                             the same, counting what was freed too: all
//                                                   that each process allocated, by site
//   FLOOR_ENV='PULUMI_SKIP_CHECKPOINTS=true'        extra environment for every pulumi run
//   FLOOR_OUT=/tmp/floor-1000.json                  the results file (default below)
//   FLOOR_FAST_CHANGES=1                            up creating N and destroy run with
//                                                   PULUMI_SKIP_CHECKPOINTS=true (large N)
//
// The native lane uses the generated Node.js SDK (sdk/nodejs, built with tsc as its postinstall
// does) and the packed package's plugin, named in the project's Pulumi.yaml.
// Writes bench/floor-results.local.json (git ignores it) after every N.
import { spawn } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { E2eProject, REPO_ROOT, requireCli } from "../test/e2e/helpers/project";
import { summarizeProfile, type ProfileSummary } from "./lib/cpu-profile";
import { summarizeHeapProfile, type HeapSummary } from "./lib/heap-profile";
import { startEmulatorProcess, type EmulatorProcess } from "./lib/emulator-process";
import { API_KEY } from "./lib/fixtures";
import { addNodeSdk, packedModules } from "./lib/packed-install";
import { cpuMs } from "./lib/proc";
import { sampleTree, type TreeUsage } from "./lib/process-tree";
import { OUTPUT_PROPERTIES, SECRET_OUTPUTS } from "../src/schema/user-field-lists";
import { startEmulator } from "../src/emulator";
import { configuredProvider } from "../test/helpers/provider";

const SIZES = (process.env["FLOOR_USERS"] ?? "250").split(",").map(Number);
const BEFORE = process.env["FLOOR_BEFORE"];
const VARIANTS: string[] = [
  ...(process.env["FLOOR_VARIANTS"] ?? "user,null").split(","),
  ...(BEFORE === undefined ? [] : ["before"]),
];
const TARGET = process.env["FLOOR_TARGET"] === "1";
const PARALLEL = process.env["FLOOR_PARALLEL"];
const PROFILE_KIND = process.env["FLOOR_PROFILE"];
const PROFILE = PROFILE_KIND === "1" || PROFILE_KIND === "heap" || PROFILE_KIND === "alloc";
// The steps that create and delete every resource run with PULUMI_SKIP_CHECKPOINTS=true: at
// N = 2,000 the file backend's checkpoint per step makes them take most of an hour, and the
// no-op steps (the per-user-cost goal) do not depend on how the stack was made.
const FAST_CHANGES = process.env["FLOOR_FAST_CHANGES"] === "1";
const FAST_STEPS = new Set(["up-create", "destroy"]);
const EXTRA_ENV = Object.fromEntries(
  (process.env["FLOOR_ENV"] ?? "")
    .split(/\s+/)
    .filter((kv) => kv.includes("="))
    .map((kv) => [kv.slice(0, kv.indexOf("=")), kv.slice(kv.indexOf("=") + 1)]),
);
const OUT = path.resolve(
  process.env["FLOOR_OUT"] ?? path.join(__dirname, "floor-results.local.json"),
);
const PASSWORD = "Floor-Bench-Password-42!";
const INLINE = path.join(REPO_ROOT, "scripts", "cli", "pulumi-inline.js");
const PROFILER_PRELOAD = path.join(__dirname, "lib", "cpu-profile-preload.js");
const PROJECT = "wacht-floor";

type VariantName = "user" | "before" | "null" | "wide" | "native";

/** The inputs every variant declares for resource `i` (the same for all). */
function declaration(i: number, password: unknown): Record<string, unknown> {
  const n = String(i).padStart(4, "0");
  return {
    emailAddress: "svc-" + n + "@example.com",
    firstName: "Service",
    lastName: "Account" + n,
    password,
    secondFactorPolicy: "none",
    publicMetadata: { kind: "service", n: i },
  };
}
/** The same function as the programs' source (its compiled text: no types). */
const DECLARATION = `\n${declaration.toString()}\n`;

function programFor(variant: VariantName, n: number): string {
  const head = `const pulumi = require("@pulumi/pulumi");
const password = new pulumi.Config().requireSecret("password");
${DECLARATION}`;
  if (variant === "user" || variant === "before") {
    return `${head}const wacht = require("pulumi-wacht");
for (let i = 0; i < ${n}; i++) new wacht.User("svc-" + String(i).padStart(4, "0"), declaration(i, password));
`;
  }
  if (variant === "native") {
    return `${head}const wacht = require("@wacht/pulumi");
for (let i = 0; i < ${n}; i++) new wacht.User("svc-" + String(i).padStart(4, "0"), declaration(i, password));
`;
  }
  // The null dynamic resource, written as a user would write one inline. The wide lane's create
  // and update also return the outputs a created wacht.User has (read from user-outputs.json).
  const outs = (from: string) => (variant === "wide" ? `{ ...userOutputs(), ...${from} }` : from);
  return `${head}${variant === "wide" ? USER_OUTPUTS_READER : ""}const provider = {
  async create(inputs) {
    return { id: inputs.emailAddress, outs: ${outs("inputs")} };
  },
  async diff(id, olds, news) {
    return { changes: olds.lastName !== news.lastName };
  },
  async read(id, props) {
    const fs = require("fs");
    const drifted = fs.existsSync("drift.json") && JSON.parse(fs.readFileSync("drift.json", "utf8")).includes(id);
    return { id, props: drifted ? { ...props, lastName: "Drifted" } : props };
  },
  async update(id, olds, news) {
    return { outs: ${outs("news")} };
  },
};
${variant === "wide" ? WIDE_CLASS : NULL_CLASS}
for (let i = 0; i < ${n}; i++) new Null("svc-" + String(i).padStart(4, "0"), declaration(i, password));
`;
}

const NULL_CLASS = `class Null extends pulumi.dynamic.Resource {
  constructor(name, args) {
    super(provider, name, args, undefined, "floor", "Null");
  }
}`;

/** Read in the provider process, so the captured outputs are not serialized with the provider. */
const USER_OUTPUTS_READER = `function userOutputs() {
  return JSON.parse(require("fs").readFileSync("user-outputs.json", "utf8"));
}
`;

/**
 * The wide lane: the null provider, registered much as wacht.User registers in the program (every
 * output property, undefined so nothing more is sent; its secret outputs; the SDK's per-property
 * stack traces off, as src/resource/user.ts turns them off unless PULUMI_DEBUG_PROMISE_LEAKS is
 * set), and returning a created User's outputs. It leaves out what User adds beyond that (the
 * resource-URN input, the schema properties, the image, the secret wrapping of inputs), so those
 * count as ours: user/wide is the part of the gap that is ours, wide/null the shape's.
 */
const WIDE_CLASS = `const OUTPUTS = ${JSON.stringify(OUTPUT_PROPERTIES)};
class Null extends pulumi.dynamic.Resource {
  constructor(name, args) {
    const props = Object.assign(Object.fromEntries(OUTPUTS.map((k) => [k, undefined])), args);
    const limit = Error.stackTraceLimit;
    Error.stackTraceLimit = 0;
    try {
      super(provider, name, props, { additionalSecretOutputs: ${JSON.stringify(SECRET_OUTPUTS)} }, "floor", "Wide");
    } finally {
      Error.stackTraceLimit = limit;
    }
  }
}`;

/** The outputs of one created wacht.User (the provider against an in-process emulator). */
async function createdUserOutputs(): Promise<Record<string, unknown>> {
  const emulator = await startEmulator({ port: 0, apiKey: API_KEY });
  try {
    const provider = await configuredProvider(emulator.url, API_KEY);
    const checked = await provider.check({}, declaration(1, PASSWORD));
    if ((checked.failures ?? []).length > 0) throw new Error(JSON.stringify(checked.failures));
    return (await provider.create(checked.inputs)).outs as Record<string, unknown>;
  } finally {
    await emulator.close();
  }
}

const TYPE: Record<VariantName, string> = {
  user: "pulumi-nodejs:dynamic/wacht:User",
  before: "pulumi-nodejs:dynamic/wacht:User",
  null: "pulumi-nodejs:dynamic/floor:Null",
  wide: "pulumi-nodejs:dynamic/floor:Wide",
  native: "wacht:index:User",
};

interface StepDef {
  key: string;
  label: string;
  args: (lane: Lane, n: number) => string[];
  /** What the CLI's summary must say (checked, so a broken run is never measured). */
  expect: (n: number) => Partial<Record<"created" | "updated" | "deleted" | "same", number>>;
  drift?: boolean;
}

const STEPS: StepDef[] = [
  {
    key: "preview-new",
    label: "preview of a new stack",
    args: () => ["preview"],
    expect: (n) => ({ created: n }),
  },
  {
    key: "up-create",
    label: "up creating N",
    args: () => ["up", "--yes"],
    expect: (n) => ({ created: n }),
  },
  { key: "noop-up", label: "no-op up", args: () => ["up", "--yes"], expect: (n) => ({ same: n }) },
  ...(TARGET
    ? [
        {
          key: "target-one",
          label: "no-op up --target (1 user)",
          args: (lane: Lane) => ["up", "--yes", "--target", urnOf(lane, "svc-0000")],
          // The CLI counts every resource the program registered as unchanged.
          expect: (n: number) => ({ same: n }),
        },
      ]
    : []),
  {
    key: "noop-preview-refresh",
    label: "no-op preview --refresh",
    args: () => ["preview", "--refresh"],
    expect: (n) => ({ same: n }),
  },
  {
    key: "noop-up-refresh",
    label: "no-op up --refresh",
    args: () => ["up", "--yes", "--refresh"],
    expect: (n) => ({ same: n }),
  },
  {
    key: "drift-up-refresh",
    label: "up --refresh, 1% drifted",
    args: () => ["up", "--yes", "--refresh"],
    expect: (n) => ({ updated: drifted(n) }),
    drift: true,
  },
  {
    key: "destroy",
    label: "destroy",
    args: () => ["destroy", "--yes"],
    expect: (n) => ({ deleted: n }),
  },
];

const drifted = (n: number) => Math.ceil(n / 100);

function urnOf(lane: Lane, name: string): string {
  return `urn:pulumi:${lane.project.stack}::${PROJECT}::${TYPE[lane.kind]}::${name}`;
}

const KINDS: Record<string, "created" | "updated" | "deleted" | "same"> = {
  "to create": "created",
  created: "created",
  "to update": "updated",
  updated: "updated",
  "to delete": "deleted",
  deleted: "deleted",
  unchanged: "same",
};

/** Counts in the CLI's "Resources:" summary (the stack itself included). */
function summaryCounts(stdout: string): Record<string, number> {
  const out: Record<string, number> = {};
  const block = /Resources:\n([\s\S]*?)(?:\n\n|$)/.exec(stdout)?.[1] ?? "";
  for (const m of block.matchAll(
    /(\d+) (to create|created|to update|updated|to delete|deleted|unchanged)/g,
  )) {
    const kind = KINDS[m[2]!]!;
    out[kind] = (out[kind] ?? 0) + Number(m[1]);
  }
  return out;
}

interface StateSize {
  fileBytes: number;
  resources: number;
  /** Median compact-JSON bytes of one resource of the measured type. */
  perResourceBytes: number;
  /** Bytes of `__provider` in that resource (inputs + outputs). */
  providerBytes: number;
  /** Bytes of that resource's inputs and outputs without `__provider` (the user's own data). */
  dataBytes?: { inputs: number; outputs: number };
}

function stateSize(project: E2eProject, stack: string, type: string): StateSize {
  const file = path.join(project.dir, ".state", ".pulumi", "stacks", PROJECT, `${stack}.json`);
  if (!fs.existsSync(file))
    return { fileBytes: 0, resources: 0, perResourceBytes: 0, providerBytes: 0 };
  const text = fs.readFileSync(file, "utf8");
  const checkpoint = JSON.parse(text) as {
    checkpoint?: { latest?: { resources?: Array<Record<string, unknown>> } };
  };
  const all = checkpoint.checkpoint?.latest?.resources ?? [];
  const ours = all.filter((r) => r["type"] === type);
  const sizes = ours.map((r) => Buffer.byteLength(JSON.stringify(r))).sort((a, b) => a - b);
  const one = ours[0] as
    { inputs?: Record<string, unknown>; outputs?: Record<string, unknown> } | undefined;
  const providerBytes = [one?.inputs?.["__provider"], one?.outputs?.["__provider"]]
    .map((p) => (p === undefined ? 0 : Buffer.byteLength(JSON.stringify(p))))
    .reduce((a, b) => a + b, 0);
  const without = (o: Record<string, unknown> | undefined) =>
    o === undefined ? 0 : Buffer.byteLength(JSON.stringify({ ...o, __provider: undefined }));
  return {
    fileBytes: Buffer.byteLength(text),
    resources: ours.length,
    perResourceBytes: sizes.length === 0 ? 0 : sizes[Math.floor(sizes.length / 2)]!,
    providerBytes,
    dataBytes: { inputs: without(one?.inputs), outputs: without(one?.outputs) },
  };
}

interface ProfileRole {
  role: "program" | "provider";
  /** A CPU profile's summary (FLOOR_PROFILE=1). */
  summary?: ProfileSummary;
  /** A heap profile's summary (FLOOR_PROFILE=heap). */
  heap?: HeapSummary;
}

const INCLUSIVE = [
  "transferProperties",
  "debuggablePromise",
  "serializeFunction",
  "serializeProperties",
  "serializeProperty",
  "deserializeProperties",
  "prepareResource",
  "getProvider",
  "checkUser",
  "diffUser",
  "readUser",
  "createUser",
  "updateUser",
  "toOutputs",
  "stringify",
  "parse",
  "garbage collector",
];

function summarizeProfiles(dir: string): ProfileRole[] {
  if (!fs.existsSync(dir)) return [];
  const out: ProfileRole[] = [];
  for (const f of fs.readdirSync(dir)) {
    const file = path.join(dir, f);
    const role = f.startsWith("program-") ? "program" : "provider";
    if (f.endsWith(".cpuprofile")) {
      out.push({ role, summary: summarizeProfile(file, { top: 15, inclusiveOf: INCLUSIVE }) });
    } else if (f.endsWith(".heapprofile")) {
      out.push({ role, heap: summarizeHeapProfile(file) });
    }
  }
  return out;
}

interface StepResult {
  n: number;
  variant: string;
  step: string;
  label: string;
  order: number;
  wallSeconds: number;
  requests: number;
  byKind: Record<string, number>;
  state: StateSize;
  usage: TreeUsage;
  /** CPU the emulator process spent during the step (the API's side; it shares the cores). */
  emulatorCpuMs: number;
  loadBefore: number[];
  loadAfter: number[];
  summary: Record<string, number>;
  profiles?: ProfileRole[];
}

function byKind(entries: readonly { method: string; path: string }[]): Record<string, number> {
  const out: Record<string, number> = {};
  for (const e of entries) {
    const k = `${e.method} ${e.path.replace(/\/\d+(?=\/|$)/g, "/:id")}`;
    out[k] = (out[k] ?? 0) + 1;
  }
  return out;
}

/** Runs `pulumi <args>` through pulumi-inline.js, sampling the process tree. */
function runPulumi(
  project: E2eProject,
  args: string[],
  env: NodeJS.ProcessEnv,
): Promise<{ code: number; stdout: string; stderr: string; usage: TreeUsage }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [INLINE, "--program", project.main, "--", ...args], {
      cwd: project.dir,
      env: { ...project.env, ...env },
      stdio: ["ignore", "pipe", "pipe"],
    });
    const sampler = sampleTree(child.pid!);
    let stdout = "";
    let stderr = "";
    child.stdout.setEncoding("utf8").on("data", (d: string) => (stdout += d));
    child.stderr.setEncoding("utf8").on("data", (d: string) => (stderr += d));
    child.on("error", reject);
    child.on("exit", (code) => {
      const usage = sampler.stop();
      resolve({ code: code ?? 1, stdout, stderr, usage });
    });
  });
}

interface Lane {
  /** The variant as named in FLOOR_VARIANTS, e.g. `user@skip`. */
  variant: string;
  kind: VariantName;
  /** Environment and arguments of this lane's pulumi runs (its `@` options). */
  env: NodeJS.ProcessEnv;
  args: string[];
  /** `up` runs with --skip-preview (the program and the refresh run once instead of twice). */
  skipPreview: boolean;
  project: E2eProject;
  emulator?: EmulatorProcess;
}

/** A variant's resource kind and CLI options: `user@skip@p16`. */
function parseVariant(variant: string): Pick<Lane, "kind" | "env" | "args" | "skipPreview"> {
  const [kind, ...options] = variant.split("@");
  if (!Object.hasOwn(TYPE, kind!)) {
    throw new Error(
      `unknown variant ${variant} (${Object.keys(TYPE).join(", ")}; @skip, @p<N>, @sp)`,
    );
  }
  const env: NodeJS.ProcessEnv = {};
  const args: string[] = PARALLEL ? ["--parallel", PARALLEL] : [];
  let skipPreview = false;
  for (const o of options) {
    if (o === "skip") env["PULUMI_SKIP_CHECKPOINTS"] = "true";
    else if (/^p\d+$/.test(o)) args.splice(0, args.length, "--parallel", o.slice(1));
    else if (o === "sp") skipPreview = true;
    else throw new Error(`unknown option @${o} of ${variant} (@skip, @p<N>, @sp)`);
  }
  return { kind: kind as VariantName, env, args, skipPreview };
}

async function setUp(
  variant: string,
  n: number,
  modulesDir: string,
  pluginDir: string | undefined,
): Promise<Lane> {
  const { kind, env, args, skipPreview } = parseVariant(variant);
  const emulator =
    kind === "null" || kind === "wide" ? undefined : await startEmulatorProcess(API_KEY);
  const project = await E2eProject.create({
    program: programFor(kind, n),
    stack: `floor-${variant.replace(/@/g, "-")}-${n}`,
    projectName: PROJECT,
    nodeModulesFrom: modulesDir,
    // The wide lane's provider reads a created User's outputs from the project (see WIDE_CLASS).
    ...(kind === "wide"
      ? { files: { "user-outputs.json": JSON.stringify(await createdUserOutputs()) } }
      : {}),
    // The native provider's plugin: the packed package's, named in the project as a user does
    // without `pulumi plugin install` (the engine downloads nothing here).
    ...(kind === "native"
      ? {
          files: {
            "Pulumi.yaml": `name: ${PROJECT}\nruntime: nodejs\nplugins:\n  providers:\n    - name: wacht\n      path: ${pluginDir!}\n`,
          },
        }
      : {}),
  });
  // The same stack config everywhere (the engine stores it in the default provider's entry).
  await project.config("wacht:apiKey", API_KEY, true);
  await project.config("wacht:baseUrl", emulator?.url ?? "http://127.0.0.1:9");
  // The floor, not the API's rate limit: pacing off (the request counts do not depend on it).
  await project.config("wacht:requestsPerMinute", "100000000");
  await project.config("password", PASSWORD, true);
  return { variant, kind, env, args, skipPreview, project, emulator };
}

async function runStep(
  lane: Lane,
  n: number,
  def: StepDef,
  order: number,
  profileRoot: string,
): Promise<StepResult> {
  const { project, emulator, variant } = lane;
  if (def.drift) {
    const k = drifted(n);
    if (emulator !== undefined) {
      const users = (await emulator.users()).slice(0, k);
      for (const u of users) await emulator.patchUser(u.user.id, { last_name: "Drifted" });
    } else {
      const ids = Array.from(
        { length: k },
        (_, i) => `svc-${String(i).padStart(4, "0")}@example.com`,
      );
      fs.writeFileSync(path.join(project.dir, "drift.json"), JSON.stringify(ids));
    }
  }
  await emulator?.clearRequests();
  const env: NodeJS.ProcessEnv = {
    ...EXTRA_ENV,
    ...(FAST_CHANGES && FAST_STEPS.has(def.key) ? { PULUMI_SKIP_CHECKPOINTS: "true" } : {}),
    ...lane.env,
  };
  const profileDir = path.join(profileRoot, `${n}-${variant}-${def.key}`);
  if (PROFILE) {
    fs.mkdirSync(profileDir, { recursive: true });
    env["NODE_OPTIONS"] = `--require ${PROFILER_PRELOAD}`;
    env["FLOOR_PROFILE_DIR"] = profileDir;
    if (PROFILE_KIND !== "1") env["FLOOR_PROFILE_KIND"] = PROFILE_KIND;
  }
  const args = [...def.args(lane, n), "--non-interactive", ...lane.args];
  if (lane.skipPreview && args[0] === "up") args.push("--skip-preview");
  const loadBefore = os.loadavg();
  const emulatorCpu0 = emulator === undefined ? 0 : cpuMs(emulator.pid);
  const t0 = performance.now();
  const r = await runPulumi(project, args, env);
  const wallSeconds = (performance.now() - t0) / 1000;
  const loadAfter = os.loadavg();
  const emulatorCpuMs = emulator === undefined ? 0 : cpuMs(emulator.pid) - emulatorCpu0;
  if (r.code !== 0) {
    throw new Error(
      `${variant} ${def.key} exited ${r.code}:\n${(r.stdout + r.stderr).slice(-4000)}`,
    );
  }
  const summary = summaryCounts(r.stdout);
  for (const [k, v] of Object.entries(def.expect(n))) {
    // The stack resource is counted too, except among the updated.
    const got = summary[k] ?? 0;
    const want = k === "updated" ? v : v + 1;
    if (got !== want) {
      throw new Error(
        `${variant} ${def.key}: expected ${k} = ${want}, the CLI said ${JSON.stringify(summary)}\n${r.stdout.slice(-2000)}`,
      );
    }
  }
  const log = emulator === undefined ? [] : await emulator.requests();
  return {
    n,
    variant,
    step: def.key,
    label: def.label,
    order,
    wallSeconds: Math.round(wallSeconds * 100) / 100,
    requests: log.length,
    byKind: byKind(log),
    state: stateSize(project, project.stack, TYPE[lane.kind]),
    usage: r.usage,
    emulatorCpuMs,
    loadBefore: loadBefore.map((x) => Math.round(x * 100) / 100),
    loadAfter: loadAfter.map((x) => Math.round(x * 100) / 100),
    summary,
    ...(PROFILE ? { profiles: summarizeProfiles(profileDir) } : {}),
  };
}

const fmt = (x: number, d = 1) => x.toFixed(d);

function printTable(n: number, results: StepResult[]): void {
  const base = "null";
  console.log(`\nN = ${n}`);
  const head = [
    "step",
    ...VARIANTS.map((v) => `${v} s`),
    ...VARIANTS.filter((v) => v !== base).map((v) => `${v}/${base}`),
    "requests",
    "state B/res",
    "peak RSS prog/prov MiB",
    "load",
  ];
  console.log(head.join(" | "));
  for (const def of STEPS) {
    const row = (v: string) =>
      results.find((r) => r.n === n && r.variant === v && r.step === def.key);
    const b = row(base);
    const cells = [def.label];
    for (const v of VARIANTS) cells.push(fmt(row(v)?.wallSeconds ?? NaN));
    for (const v of VARIANTS.filter((x) => x !== base)) {
      const r = row(v);
      cells.push(r && b ? fmt(r.wallSeconds / b.wallSeconds, 2) : "–");
    }
    cells.push(VARIANTS.map((v) => row(v)?.requests ?? "–").join("/"));
    cells.push(VARIANTS.map((v) => row(v)?.state.perResourceBytes ?? "–").join("/"));
    cells.push(
      VARIANTS.map((v) => {
        const r = row(v);
        return r
          ? `${fmt(r.usage.program.peakRssMiB, 0)}/${fmt(r.usage.provider.peakRssMiB, 0)}`
          : "–";
      }).join(" · "),
    );
    cells.push(fmt(row(VARIANTS[0]!)?.loadBefore[0] ?? NaN, 1));
    console.log(cells.join(" | "));
  }
}

async function main(): Promise<void> {
  const cli = requireCli();
  const modules = packedModules();
  const before = BEFORE === undefined ? undefined : packedModules(BEFORE);
  const pluginDir = VARIANTS.some((v) => v.startsWith("native")) ? addNodeSdk(modules) : undefined;
  const profileRoot = fs.mkdtempSync(path.join(os.tmpdir(), "wacht-floor-profiles-"));
  console.log(
    `Pulumi CLI ${cli.version} (${cli.source}); N = ${SIZES.join(", ")}; variants ${VARIANTS.join(", ")}; ` +
      `--parallel ${PARALLEL ?? "(CLI default)"}; ${modules.tarball}${before ? ` (before: ${before.tarball})` : ""}; extra env ${JSON.stringify(EXTRA_ENV)}; profile ${PROFILE}${FAST_CHANGES ? `; ${[...FAST_STEPS].join(", ")} with PULUMI_SKIP_CHECKPOINTS=true` : ""}`,
  );
  const results: StepResult[] = [];
  const started = new Date().toISOString();
  const file = OUT;
  // Written after every N (a long run that dies later keeps the sizes it finished).
  const write = (finished: boolean) =>
    fs.writeFileSync(
      file,
      JSON.stringify(
        {
          cli: cli.version,
          started,
          finished: finished ? new Date().toISOString() : null,
          sizes: SIZES,
          variants: VARIANTS,
          parallel: PARALLEL ?? null,
          extraEnv: EXTRA_ENV,
          profile: PROFILE,
          profileDir: PROFILE ? profileRoot : null,
          cpus: os.cpus().length,
          results,
        },
        null,
        2,
      ),
    );
  try {
    for (const n of SIZES) {
      const lanes: Lane[] = [];
      try {
        for (const v of VARIANTS) {
          lanes.push(await setUp(v, n, v === "before" ? before!.dir : modules.dir, pluginDir));
        }
        for (let s = 0; s < STEPS.length; s++) {
          const def = STEPS[s]!;
          for (let k = 0; k < lanes.length; k++) {
            const lane = lanes[(s + k) % lanes.length]!;
            const r = await runStep(lane, n, def, k, profileRoot);
            results.push(r);
            console.log(
              `N=${n} ${lane.variant.padEnd(6)} ${def.label.padEnd(26)} ${fmt(r.wallSeconds).padStart(7)} s  ` +
                `${String(r.requests).padStart(5)} req  state ${r.state.perResourceBytes} B/res (${r.state.fileBytes} B)  ` +
                `prog ${fmt(r.usage.program.peakRssMiB, 0)} MiB ${fmt(r.usage.program.cpuMs / 1000)} s  ` +
                `prov ${fmt(r.usage.provider.peakRssMiB, 0)} MiB ${fmt(r.usage.provider.cpuMs / 1000)} s  ` +
                `engine ${fmt(r.usage.engine.cpuMs / 1000)} s  emulator ${fmt(r.emulatorCpuMs / 1000)} s  load ${r.loadBefore[0]}→${r.loadAfter[0]}`,
            );
          }
        }
      } finally {
        for (const lane of lanes) {
          await lane.emulator?.close();
          lane.project.remove();
        }
      }
      printTable(n, results);
      write(false);
    }
  } finally {
    modules.remove();
    before?.remove();
  }
  write(true);
  console.log(`wrote ${file}${PROFILE ? `; profiles in ${profileRoot}` : ""}`);
  if (!PROFILE) fs.rmSync(profileRoot, { recursive: true, force: true });
}

main().catch((err: unknown) => {
  console.error(err instanceof Error ? (err.stack ?? err.message) : String(err));
  process.exit(1);
});
