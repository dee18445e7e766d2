// Issue #7 soak (`npm run soak`, WACHT_SOAK=1 only): the chaos scenario of test/engine/chaos.test.ts
// run longer — more users, more passes, several runs — with a NEW random seed each run (printed,
// so a failure can be replayed with WACHT_SOAK_SEED=<seed>). Figures for docs/reliability.md are
// printed as `[soak] …` lines.
import { runChaos, summarize, type ChaosReport } from "../helpers/chaos";

const RUNS = Number(process.env["WACHT_SOAK_RUNS"] ?? 3);
const USERS = Number(process.env["WACHT_SOAK_USERS"] ?? 600);
const fixedSeed = process.env["WACHT_SOAK_SEED"];

jest.setTimeout(Math.max(1, RUNS) * 240_000);

it(`reconciles ${USERS} users under faults, ${RUNS} runs, new seed each run`, async () => {
  const reports: ChaosReport[] = [];
  for (let run = 1; run <= RUNS; run++) {
    const seed =
      fixedSeed !== undefined ? Number(fixedSeed) + run - 1 : Math.floor(Math.random() * 2 ** 31);
    process.stdout.write(`[soak] run ${run}/${RUNS} seed=${seed}\n`);
    const report = await runChaos({
      seed,
      users: USERS,
      parallelism: 16,
      maxPasses: 30,
      timeoutMs: 300,
      slowMs: 600,
      // Odd runs: every fault surfaces (no client retries, faults before the handler). Even runs:
      // client retries on, and half the 5xx/drops strike after the write (answer lost).
      ...(run % 2 === 1
        ? { maxRetries: 0 }
        : { maxRetries: 2, afterRate: 0.5, retryAfterSeconds: 1 }),
      rates: { status5xx: 0.1, status429: 0.1, drop: 0.05, slow: 0.05 },
      log: (line) => process.stdout.write(`[soak] ${line}\n`),
    });
    process.stdout.write(`[soak] ${summarize(report)}\n`);
    reports.push(report);
  }
  const total = (f: (r: ChaosReport) => number) => reports.reduce((n, r) => n + f(r), 0);
  process.stdout.write(
    `[soak] TOTAL runs=${reports.length} faultsInjected=${total((r) => r.faultsInjected)} ` +
      `usersReconciled=${total((r) => r.users)} rpcFailures=${total((r) => r.failures.length)} ` +
      `mismatches=${total((r) => r.mismatches.length + r.stateMismatches.length)} ` +
      `duplicates=${total((r) => r.duplicates.length)} unclear=${total((r) => r.unclearFailures.length)}\n`,
  );
  for (const r of reports) {
    expect({ seed: r.seed, mismatches: r.mismatches }).toEqual({ seed: r.seed, mismatches: [] });
    expect({ seed: r.seed, states: r.stateMismatches }).toEqual({ seed: r.seed, states: [] });
    expect({ seed: r.seed, duplicates: r.duplicates }).toEqual({ seed: r.seed, duplicates: [] });
    expect({ seed: r.seed, partial: r.partialMismatches }).toEqual({ seed: r.seed, partial: [] });
    expect(r.unclearFailures.slice(0, 3)).toEqual([]);
    expect(r.convergedUnderFaults).toBe(true);
    expect(r.finalDiffsNotNone).toBe(0);
    expect(r.finalWrites).toBe(0);
  }
});
