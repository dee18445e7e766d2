// Linux /proc readers for another process: resident memory (VmRSS, peak VmHWM) and CPU time.
import { readFileSync } from "node:fs";

/** Clock ticks per second of /proc/<pid>/stat times (USER_HZ; 100 on every Linux we run on). */
const CLOCK_TICKS = 100;

function statusField(pid: number, field: "VmRSS" | "VmHWM"): number {
  const text = readFileSync(`/proc/${pid}/status`, "utf8");
  const m = new RegExp(`^${field}:\\s+(\\d+) kB`, "m").exec(text);
  if (m === null) throw new Error(`no ${field} in /proc/${pid}/status`);
  return Number(m[1]) / 1024;
}

/** Resident set size of `pid` in MiB. */
export function rssMiB(pid: number): number {
  return statusField(pid, "VmRSS");
}

/** Peak resident set size of `pid` in MiB. */
export function peakRssMiB(pid: number): number {
  return statusField(pid, "VmHWM");
}

/** User + system CPU time of `pid` in ms. */
export function cpuMs(pid: number): number {
  const text = readFileSync(`/proc/${pid}/stat`, "utf8");
  // Fields after the parenthesised command name; utime and stime are fields 14 and 15.
  const rest = text.slice(text.lastIndexOf(")") + 2).split(" ");
  return ((Number(rest[11]) + Number(rest[12])) / CLOCK_TICKS) * 1000;
}

/** Samples the RSS of `pid` every `intervalMs` until stopped; returns the maximum seen. */
export function sampleRss(pid: number, intervalMs = 50): { stop(): number } {
  let max = rssMiB(pid);
  const timer = setInterval(() => {
    try {
      max = Math.max(max, rssMiB(pid));
    } catch {
      // the process exited; keep the last maximum
    }
  }, intervalMs);
  return {
    stop() {
      clearInterval(timer);
      try {
        max = Math.max(max, rssMiB(pid));
      } catch {
        // exited
      }
      return max;
    },
  };
}
