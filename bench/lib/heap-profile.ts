// Summaries of V8 sampling heap profiles (bench/lib/cpu-profile-preload.js with
// FLOOR_PROFILE_KIND=heap, or =alloc to count what was freed too): the bytes by allocating frame
// (self), by package, and by the innermost frame of our own code or the program on the stack.
// Alone: `node -r ts-node/register/transpile-only bench/lib/heap-profile.ts FILE.heapprofile...`
import { readFileSync } from "node:fs";
import { frameName, packageOf, type CallFrame } from "./cpu-profile";

interface HeapNode {
  callFrame: CallFrame;
  selfSize: number;
  children: HeapNode[];
}

export interface HeapFrame {
  frame: string;
  mib: number;
  pct: number;
}

export interface HeapSummary {
  totalMib: number;
  top: HeapFrame[];
  packages: HeapFrame[];
  /** Bytes by the innermost frame on the allocating stack outside node and @pulumi/pulumi. */
  ours: HeapFrame[];
}

const MIB = 1024 * 1024;

export function summarizeHeapProfile(file: string, limit = 12): HeapSummary {
  const { head } = JSON.parse(readFileSync(file, "utf8")) as { head: HeapNode };
  const top = new Map<string, number>();
  const packages = new Map<string, number>();
  const ours = new Map<string, number>();
  let total = 0;
  const walk = (node: HeapNode, owner: string) => {
    const pkg = packageOf(node.callFrame.url, node.callFrame.functionName);
    const own =
      pkg !== "node" &&
      pkg !== "@pulumi/pulumi" &&
      !pkg.startsWith("(") &&
      node.callFrame.url !== "";
    const nextOwner = own ? frameName(node.callFrame) : owner;
    if (node.selfSize > 0) {
      total += node.selfSize;
      const f = frameName(node.callFrame);
      top.set(f, (top.get(f) ?? 0) + node.selfSize);
      packages.set(pkg, (packages.get(pkg) ?? 0) + node.selfSize);
      ours.set(nextOwner, (ours.get(nextOwner) ?? 0) + node.selfSize);
    }
    for (const c of node.children) walk(c, nextOwner);
  };
  walk(head, "(none of ours on the stack)");
  const list = (m: Map<string, number>): HeapFrame[] =>
    [...m.entries()]
      .sort((a, b) => b[1] - a[1])
      .slice(0, limit)
      .map(([frame, bytes]) => ({
        frame,
        mib: Math.round((bytes / MIB) * 10) / 10,
        pct: Math.round((bytes / total) * 1000) / 10,
      }));
  return {
    totalMib: Math.round((total / MIB) * 10) / 10,
    top: list(top),
    packages: list(packages),
    ours: list(ours),
  };
}

if (require.main === module) {
  for (const f of process.argv.slice(2)) {
    const s = summarizeHeapProfile(f);
    console.log(`\n${f}: ${s.totalMib} MiB (live at exit, or allocated with FLOOR_PROFILE=alloc)`);
    for (const [title, rows] of [
      ["by package", s.packages],
      ["top self frames", s.top],
      ["by our innermost frame", s.ours],
    ] as const) {
      console.log(`  ${title}`);
      for (const r of rows)
        console.log(
          `    ${String(r.mib).padStart(7)} MiB ${String(r.pct).padStart(5)}%  ${r.frame}`,
        );
    }
  }
}
