// Peak memory and CPU of every process under one root (the `pulumi` run of a bench step and what
// it starts: the program, the engine, the provider plugins), grouped by role. Linux /proc only:
// children come from /proc/<pid>/task/<tid>/children (a Go parent may fork from any thread),
// the peak from VmHWM, CPU from /proc/<pid>/stat. Sampled every `intervalMs`; a process is read
// until its last sample before it exits, so its CPU may lack up to one interval.
import { readdirSync, readFileSync } from "node:fs";
import { cpuMs } from "./proc";

/** What a process is, from its command line. */
export type Role = "program" | "engine" | "provider" | "other";

export interface RoleUsage {
  /** The highest VmHWM of any one process of this role, in MiB. */
  peakRssMiB: number;
  /** Sum of the CPU time of the processes of this role, in ms. */
  cpuMs: number;
  processes: number;
}

export type TreeUsage = Record<Role, RoleUsage>;

function childrenOf(pid: number): number[] {
  const out: number[] = [];
  let tasks: string[];
  try {
    tasks = readdirSync(`/proc/${pid}/task`);
  } catch {
    return out;
  }
  for (const tid of tasks) {
    try {
      const text = readFileSync(`/proc/${pid}/task/${tid}/children`, "utf8").trim();
      if (text !== "") for (const c of text.split(" ")) out.push(Number(c));
    } catch {
      // the thread or the process is gone
    }
  }
  return out;
}

function peakMiB(pid: number): number | undefined {
  try {
    const m = /^VmHWM:\s+(\d+) kB/m.exec(readFileSync(`/proc/${pid}/status`, "utf8"));
    return m === null ? undefined : Number(m[1]) / 1024;
  } catch {
    return undefined;
  }
}

/**
 * The role of a command line: the program is the process that serves the program to the CLI
 * (scripts/cli/pulumi-inline.js); a provider is the dynamic-provider host or a native plugin.
 */
export function roleOf(cmdline: string): Role {
  if (cmdline.includes("pulumi-inline.js")) return "program";
  // The launcher (a shell script) execs node on the host; the pid keeps its role from then on.
  if (/dynamic-provider\/index\.js|native\/main\.js/.test(cmdline)) return "provider";
  if (/(^|\/)pulumi\0/.test(cmdline)) return "engine";
  return "other";
}

interface Seen {
  role: Role;
  peak: number;
  cpu: number;
}

/** Starts sampling the tree under `root`; `stop()` returns the usage per role. */
export function sampleTree(root: number, intervalMs = 100): { stop(): TreeUsage } {
  const seen = new Map<number, Seen>();
  const visit = (pid: number) => {
    let s = seen.get(pid);
    if (s === undefined) {
      let cmdline: string;
      try {
        cmdline = readFileSync(`/proc/${pid}/cmdline`, "utf8");
      } catch {
        return;
      }
      s = { role: roleOf(cmdline), peak: 0, cpu: 0 };
      seen.set(pid, s);
    } else if (s.role === "other") {
      // A launcher script execs node: classify again until the command line says what it is.
      try {
        s.role = roleOf(readFileSync(`/proc/${pid}/cmdline`, "utf8"));
      } catch {
        // gone
      }
    }
    s.peak = Math.max(s.peak, peakMiB(pid) ?? 0);
    try {
      s.cpu = cpuMs(pid);
    } catch {
      // gone: keep the last reading
    }
    for (const c of childrenOf(pid)) visit(c);
  };
  const tick = () => visit(root);
  tick();
  const timer = setInterval(tick, intervalMs);
  return {
    stop() {
      clearInterval(timer);
      tick();
      const usage: TreeUsage = {
        program: { peakRssMiB: 0, cpuMs: 0, processes: 0 },
        engine: { peakRssMiB: 0, cpuMs: 0, processes: 0 },
        provider: { peakRssMiB: 0, cpuMs: 0, processes: 0 },
        other: { peakRssMiB: 0, cpuMs: 0, processes: 0 },
      };
      for (const s of seen.values()) {
        const u = usage[s.role];
        u.peakRssMiB = Math.max(u.peakRssMiB, s.peak);
        u.cpuMs += s.cpu;
        u.processes++;
      }
      return usage;
    },
  };
}
