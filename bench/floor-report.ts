// Markdown tables from bench:floor results (bench/floor-results.local.json or copies of it):
//
//   node -r ts-node/register/transpile-only bench/floor-report.ts FILE...            the tables
//   node -r ts-node/register/transpile-only bench/floor-report.ts --profiles FILE    top frames
//
// Per N: each step's wall time and CPU (program + provider + engine processes) per variant, the
// ratios to the null dynamic resource, requests, state bytes per resource, peak RSS of the program
// and provider processes and the load average; then the per-user wall time at each N.
import * as fs from "node:fs";
import type { ProfileSummary } from "./lib/cpu-profile";
import type { HeapSummary } from "./lib/heap-profile";
import type { TreeUsage } from "./lib/process-tree";

interface Result {
  n: number;
  variant: string;
  step: string;
  label: string;
  wallSeconds: number;
  requests: number;
  state: { perResourceBytes: number; providerBytes: number; fileBytes: number };
  usage: TreeUsage;
  emulatorCpuMs?: number;
  loadBefore: number[];
  profiles?: { role: string; summary?: ProfileSummary; heap?: HeapSummary }[];
}

interface Run {
  started: string;
  variants: string[];
  results: Result[];
}

const BASE = "null";
const f1 = (x: number) => (Number.isFinite(x) ? x.toFixed(1) : "–");
const f2 = (x: number) => (Number.isFinite(x) ? x.toFixed(2) : "–");
const cpu = (r: Result) =>
  (r.usage.program.cpuMs + r.usage.provider.cpuMs + r.usage.engine.cpuMs + r.usage.other.cpuMs) /
  1000;

function tables(runs: Run[]): void {
  const results = runs.flatMap((r) => r.results);
  const variants = [...new Set(runs.flatMap((r) => r.variants))];
  const others = variants.filter((v) => v !== BASE);
  const steps = [...new Map(results.map((r) => [r.step, r.label])).entries()];
  for (const n of [...new Set(results.map((r) => r.n))].sort((a, b) => a - b)) {
    const at = (v: string, step: string) =>
      results.find((r) => r.n === n && r.variant === v && r.step === step);
    console.log(`\n**N = ${n}** (wall s · CPU s of the pulumi run's processes)\n`);
    const head = [
      "step",
      ...variants.map((v) => `${v}`),
      ...others.map((v) => `${v}/${BASE} wall · CPU`),
      `requests (${others.join(", ")})`,
      `state B/resource (${variants.join(" · ")})`,
      `peak RSS program · provider MiB (${variants.join(" / ")})`,
      "load",
    ];
    console.log(`| ${head.join(" | ")} |`);
    console.log(`|${head.map(() => " --- ").join("|")}|`);
    for (const [step, label] of steps) {
      const base = at(BASE, step);
      const cells = [label];
      for (const v of variants) {
        const r = at(v, step);
        cells.push(r ? `${f1(r.wallSeconds)} · ${f1(cpu(r))}` : "–");
      }
      for (const v of others) {
        const r = at(v, step);
        cells.push(
          r && base ? `${f2(r.wallSeconds / base.wallSeconds)} · ${f2(cpu(r) / cpu(base))}` : "–",
        );
      }
      cells.push(others.map((v) => at(v, step)?.requests ?? "–").join(" · "));
      cells.push(variants.map((v) => at(v, step)?.state.perResourceBytes || "–").join(" · "));
      cells.push(
        variants
          .map((v) => {
            const r = at(v, step);
            return r
              ? `${r.usage.program.peakRssMiB.toFixed(0)} · ${r.usage.provider.peakRssMiB.toFixed(0)}`
              : "–";
          })
          .join(" / "),
      );
      const loads = variants.map((v) => at(v, step)?.loadBefore[0]).filter((x) => x !== undefined);
      cells.push(
        loads.length === 0
          ? "–"
          : `${Math.min(...loads).toFixed(1)}–${Math.max(...loads).toFixed(1)}`,
      );
      console.log(`| ${cells.join(" | ")} |`);
    }
  }
  const sizes = [...new Set(results.map((r) => r.n))].sort((a, b) => a - b);
  if (sizes.length < 2) return;
  console.log(
    `\n**Per-user wall time, ms** (${sizes.join(" → ")}; last column: largest N ÷ smallest)\n`,
  );
  const head = ["step", "variant", ...sizes.map(String), `${sizes.at(-1)}/${sizes[0]}`];
  console.log(`| ${head.join(" | ")} |`);
  console.log(`|${head.map(() => " --- ").join("|")}|`);
  for (const [step, label] of steps) {
    for (const v of variants) {
      const per = sizes.map((n) => {
        const r = results.find((x) => x.n === n && x.variant === v && x.step === step);
        return r ? (r.wallSeconds * 1000) / n : NaN;
      });
      console.log(
        `| ${label} | ${v} | ${per.map((x) => f1(x)).join(" | ")} | ${f2(per.at(-1)! / per[0]!)} |`,
      );
    }
  }
}

function profiles(run: Run): void {
  for (const r of run.results) {
    for (const p of r.profiles ?? []) {
      if (p.heap !== undefined) {
        console.log(
          `\n${r.variant}, ${r.label} (N = ${r.n}), ${p.role} process: ${p.heap.totalMib} MiB (live at exit, or allocated with FLOOR_PROFILE=alloc)`,
        );
        for (const [title, rows] of [
          ["by package", p.heap.packages],
          ["top self frames", p.heap.top],
          ["by our innermost frame", p.heap.ours],
        ] as const) {
          console.log(`  ${title}:`);
          for (const f of rows.slice(0, 8))
            console.log(
              `  ${String(f.mib).padStart(7)} MiB ${f.pct.toFixed(1).padStart(5)}%  ${f.frame}`,
            );
        }
        continue;
      }
      const s = p.summary;
      if (s === undefined) continue;
      console.log(
        `\n${r.variant}, ${r.label} (N = ${r.n}), ${p.role} process: ${s.busyMs.toFixed(0)} ms busy of ${s.totalMs.toFixed(0)} ms`,
      );
      console.log(`  by package: ${s.packages.map((x) => `${x.frame} ${x.pct}%`).join(", ")}`);
      const inc = s.inclusive.filter((x) => x.ms > 0);
      if (inc.length > 0) {
        console.log(
          `  inclusive: ${inc.map((x) => `${x.frame} ${x.ms.toFixed(0)} ms`).join(", ")}`,
        );
      }
      for (const f of s.top.slice(0, 8)) {
        console.log(`  ${f.pct.toFixed(1).padStart(5)}%  ${f.frame}`);
      }
    }
  }
}

const args = process.argv.slice(2);
if (args[0] === "--profiles") {
  profiles(JSON.parse(fs.readFileSync(args[1]!, "utf8")) as Run);
} else {
  tables(args.map((f) => JSON.parse(fs.readFileSync(f, "utf8")) as Run));
}
