// Summaries of V8 CPU profiles (`node --cpu-prof`): self time by frame, time by package, and the
// inclusive time of named functions. Used by bench/floor.ts to say where a step's time goes.
import { readFileSync } from "node:fs";

export interface CallFrame {
  functionName: string;
  url: string;
  lineNumber: number;
}

interface ProfileNode {
  id: number;
  callFrame: CallFrame;
  children?: number[];
}

interface CpuProfile {
  nodes: ProfileNode[];
  startTime: number;
  endTime: number;
  samples: number[];
  timeDeltas: number[];
}

export interface Frame {
  frame: string;
  ms: number;
  /** Share of the profile's busy time (everything but `(idle)`), in percent. */
  pct: number;
}

export interface ProfileSummary {
  /** Wall time the profile covers, in ms. */
  totalMs: number;
  /** Sampled time that was not `(idle)`, in ms. */
  busyMs: number;
  /** Frames by self time, highest first. */
  top: Frame[];
  /** Self time by package (`@pulumi/pulumi`, `pulumi-wacht`, `node`, `(garbage collector)` …). */
  packages: Frame[];
  /** Inclusive time of the functions asked for (nested calls of the same function counted once). */
  inclusive: Frame[];
}

/** The package a script URL belongs to. */
export function packageOf(url: string, functionName: string): string {
  if (url === "") {
    if (functionName.startsWith("(")) return functionName;
    return "(serialized provider or eval)";
  }
  if (url.startsWith("node:")) return "node";
  const at = url.lastIndexOf("node_modules/");
  if (at !== -1) {
    const m = /^(@[^/]+\/[^/]+|[^/]+)/.exec(url.slice(at + "node_modules/".length));
    if (m !== null) return m[1]!;
  }
  if (/\/dist\/|\/src\//.test(url)) return "pulumi-wacht";
  if (url.includes("/scripts/cli/")) return "scripts/cli";
  return "(program)";
}

/** A frame as `name file:line`, the file relative to node_modules or the repository. */
export function frameName(cf: CallFrame): string {
  const name = cf.functionName === "" ? "(anonymous)" : cf.functionName;
  if (cf.url === "") return name;
  const file = cf.url.includes("node_modules/")
    ? cf.url.slice(cf.url.lastIndexOf("node_modules/") + "node_modules/".length)
    : cf.url.replace(/^file:\/\/.*?\/(dist|src|scripts|bench)\//, "$1/");
  return `${name} ${file}:${cf.lineNumber + 1}`;
}

const round = (x: number) => Math.round(x * 10) / 10;

/** Summarises one `.cpuprofile` file. */
export function summarizeProfile(
  file: string,
  opts: { top?: number; inclusiveOf?: readonly string[] } = {},
): ProfileSummary {
  const profile = JSON.parse(readFileSync(file, "utf8")) as CpuProfile;
  const byId = new Map<number, ProfileNode>();
  for (const n of profile.nodes) byId.set(n.id, n);
  const self = new Map<number, number>();
  for (let i = 0; i < profile.samples.length; i++) {
    const id = profile.samples[i]!;
    self.set(id, (self.get(id) ?? 0) + (profile.timeDeltas[i] ?? 0) / 1000);
  }
  let busy = 0;
  const frames = new Map<string, number>();
  const packages = new Map<string, number>();
  for (const [id, ms] of self) {
    const cf = byId.get(id)!.callFrame;
    if (cf.functionName === "(idle)") continue;
    busy += ms;
    const f = frameName(cf);
    frames.set(f, (frames.get(f) ?? 0) + ms);
    const p = packageOf(cf.url, cf.functionName);
    packages.set(p, (packages.get(p) ?? 0) + ms);
  }
  // Inclusive time: walk from the root, adding a node's subtree to a function only when no
  // ancestor is the same function (recursion and nested awaits are counted once).
  const wanted = new Set(opts.inclusiveOf ?? []);
  const inclusive = new Map<string, number>();
  const subtree = new Map<number, number>();
  const total = (id: number): number => {
    const cached = subtree.get(id);
    if (cached !== undefined) return cached;
    const n = byId.get(id)!;
    let t = n.callFrame.functionName === "(idle)" ? 0 : (self.get(id) ?? 0);
    for (const c of n.children ?? []) t += total(c);
    subtree.set(id, t);
    return t;
  };
  const walk = (id: number, open: ReadonlySet<string>) => {
    const n = byId.get(id)!;
    const name = n.callFrame.functionName;
    let next = open;
    if (wanted.has(name) && !open.has(name)) {
      inclusive.set(name, (inclusive.get(name) ?? 0) + total(id));
      next = new Set(open).add(name);
    }
    for (const c of n.children ?? []) walk(c, next);
  };
  if (profile.nodes.length > 0) walk(profile.nodes[0]!.id, new Set());
  const list = (m: Map<string, number>, limit: number): Frame[] =>
    [...m.entries()]
      .sort((a, b) => b[1] - a[1])
      .slice(0, limit)
      .map(([frame, ms]) => ({ frame, ms: round(ms), pct: round((ms / busy) * 100) }));
  return {
    totalMs: round((profile.endTime - profile.startTime) / 1000),
    busyMs: round(busy),
    top: list(frames, opts.top ?? 12),
    packages: list(packages, 8),
    inclusive: list(inclusive, wanted.size),
  };
}
