// Chaos reconcile harness (issue #7): a small "engine" loop over the REAL dynamic-provider host.
// N declared wacht.User resources (adopted seeded users whose fields differ, adopt-by-email, and
// newly created users) are reconciled with bounded parallelism against the emulator injecting
// seeded random faults (5xx, message-only 429, dropped connections, responses slower than the
// client timeout). Like the engine: Check → Create (no state) or Diff → Update (state); a failed
// RPC keeps the old state, or the ErrorResourceInitFailed properties (partial failure), and the
// user is retried in the next pass (a user re-running `pulumi up`). After the faulty passes the
// faults are turned off and the live users, the states, duplicates and a no-op pass are checked.
// Used by test/engine/chaos.test.ts (fixed seed) and test/soak/chaos-soak.test.ts (random seed).
//
// engine-host.ts's RpcError carries the decoded ErrorResourceInitFailed (`initFailed`).
import * as fs from "node:fs";
import type { EmulatorHandle, UserDump } from "../../src/emulator";
import { mulberry32 } from "../../src/emulator/prng";
import { userUrn, type InitFailed, type Props } from "./engine-host";
import { seedUser } from "./seed";
import { startEngine } from "./with-engine";

/** Fault rates per API request (the probability mode of the emulator). */
export interface ChaosRates {
  status5xx: number;
  status429: number;
  drop: number;
  slow: number;
}

export interface ChaosOptions {
  seed: number;
  /** Declared users (about 2/3 adopted seeded users, 1/3 created). */
  users: number;
  /** Concurrent RPCs (the engine's --parallel). */
  parallelism: number;
  /** Bound on faulty passes. */
  maxPasses: number;
  /** Client per-attempt timeout (wacht:timeoutMs); slow responses take `slowMs` > this. */
  timeoutMs: number;
  slowMs: number;
  /** wacht:maxRetries (0: every fault surfaces as an RPC failure; see docs/reliability.md). */
  maxRetries: number;
  rates: ChaosRates;
  /** Share of 5xx and drops that strike after the handler ran (change saved, answer lost). */
  afterRate?: number;
  /** N of the random 429s' "Retry after N seconds" (the emulator's default is 60). */
  retryAfterSeconds?: number;
  /** Progress lines (pass summaries). */
  log?: (line: string) => void;
}

/** A declared user and what it should look like live. */
interface Declared {
  name: string;
  urn: string;
  decl: Props;
  kind: "userId" | "adopt" | "create";
  /** Id of the seeded user (adopt kinds); created users are found by email. */
  seededId?: string;
  email: string;
}

interface Resource {
  id: string;
  outs: Props;
  inputs: Props;
}

/** One failed RPC as the engine would print it. */
export interface FailureRecord {
  pass: number;
  user: string;
  rpc: string;
  message: string;
  partial: boolean;
}

export interface ChaosReport {
  seed: number;
  users: number;
  passes: number;
  /** True when a faulty pass finished with no failure (before the faults were turned off). */
  convergedUnderFaults: boolean;
  /** RPCs that failed, by pass. */
  failuresPerPass: number[];
  failures: FailureRecord[];
  /** Failures whose message shows neither an API status + server message nor a clear transport error. */
  unclearFailures: FailureRecord[];
  /** Partial failures (ErrorResourceInitFailed) whose properties disagreed with the server. */
  partialMismatches: string[];
  /**
   * Partial failures whose properties a late write explains: an attempt the client abandoned (a
   * delay fault longer than the attempt's timeout) that the server still applied when its delay
   * ended, after the read that built the properties. The next pass converges them (asserted by
   * `mismatches` and `stateMismatches`).
   */
  lateWrites: string[];
  /** API requests made while faults were on, and those that got a fault. */
  requestsUnderFaults: number;
  faultsInjected: number;
  faultsByKind: Record<string, number>;
  /** Users written by the calm pass after the faults were turned off (0 when converged). */
  calmPassWrites: number;
  /** Declared fields whose live value differs from the declaration (must be empty). */
  mismatches: string[];
  /** States that differ from the live user (must be empty). */
  stateMismatches: string[];
  /** Emails/usernames held by more than one live user (must be empty). */
  duplicates: string[];
  /** Final pass: Diffs that were not "none" and write requests logged (both must be 0). */
  finalDiffsNotNone: number;
  finalWrites: number;
  durationMs: number;
}

/** The message of a surfaced failure must say what failed and why, in the server's words. */
export const API_FAILURE =
  /\b([45]\d\d) (GET|PATCH|POST|DELETE) \/users[^\s:]*: (Something went wrong|Rate limit exceeded\. Retry after \d+ seconds|[A-Z][^\n]+)/;
export const TRANSPORT_FAILURE =
  /\b(GET|PATCH|POST|DELETE) \/users[^\s:]*: (timed out after \d+ ms|[^\n]*(socket|closed|reset|ECONNRESET|UND_ERR|other side)[^\n]*)/i;

const PLANS = ["none", "optional", "enforced"] as const;

/** The declarations and the seed users they refer to, deterministic for `seed`. */
function declare(seed: number, n: number, emu: EmulatorHandle, provider: string): Declared[] {
  const rnd = mulberry32(seed ^ 0x5eed);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rnd() * xs.length)] as T;
  const tag = `s${seed >>> 0}`;
  const out: Declared[] = [];
  for (let i = 0; i < n; i++) {
    const name = `u${i}`;
    const email = `chaos.${tag}.${i}@example.com`;
    const roll = rnd();
    const publicMetadata = { tier: pick(["gold", "silver"]), n: i, tags: ["a", String(i)] };
    const privateMetadata = { vault: `kv/${tag}/${i}`, level: i % 7 };
    if (roll < 0.66) {
      const id = seedUser(emu, {
        first_name: `Old${i}`,
        last_name: "Keep",
        username: `c_${tag}_${i}`,
        email,
        public_metadata: { tier: "old" },
        private_metadata: { vault: "old" },
        second_factor_policy: "optional",
        has_backup_codes: true,
      }).user.id;
      const byEmail = roll < 0.1;
      const decl: Props = {
        ...(byEmail ? { adopt: { email } } : { userId: id }),
        firstName: rnd() < 0.8 ? `First${i}` : `Old${i}`,
        lastName: rnd() < 0.3 ? `Last${i}` : "Keep",
        secondFactorPolicy: pick(PLANS),
        publicMetadata,
        privateMetadata,
        ...(rnd() < 0.1 ? { disabled: true } : {}),
      };
      out.push({
        name,
        urn: userUrn(name),
        decl: { ...decl, __provider: provider },
        kind: byEmail ? "adopt" : "userId",
        seededId: id,
        email,
      });
    } else {
      const decl: Props = {
        emailAddress: email,
        username: `n_${tag}_${i}`,
        firstName: `New${i}`,
        lastName: `Made${i}`,
        skipPasswordCheck: true,
        publicMetadata,
        privateMetadata,
      };
      out.push({
        name,
        urn: userUrn(name),
        decl: { ...decl, __provider: provider },
        kind: "create",
        email,
      });
    }
  }
  return out;
}

/** Runs `task` over `items` with at most `limit` in flight. */
async function pool<T>(items: readonly T[], limit: number, task: (t: T) => Promise<void>) {
  let next = 0;
  const workers = Array.from({ length: Math.min(limit, items.length) }, async () => {
    while (next < items.length) {
      const item = items[next++] as T;
      await task(item);
    }
  });
  await Promise.all(workers);
}

function sameJson(a: unknown, b: unknown): boolean {
  const canon = (v: unknown): unknown =>
    Array.isArray(v)
      ? v.map(canon)
      : v !== null && typeof v === "object"
        ? Object.fromEntries(
            Object.keys(v)
              .sort()
              .map((k) => [k, canon((v as Props)[k])]),
          )
        : v;
  return JSON.stringify(canon(a)) === JSON.stringify(canon(b));
}

/** Declared field → the live UserDetails field. */
const LIVE_FIELD: Record<string, keyof UserDump["user"]> = {
  firstName: "first_name",
  lastName: "last_name",
  username: "username",
  disabled: "disabled",
  secondFactorPolicy: "second_factor_policy",
  publicMetadata: "public_metadata",
  privateMetadata: "private_metadata",
  emailAddress: "primary_email_address",
};

/** State (outputs) field → the live UserDetails field, for "the state matches the server". */
const STATE_FIELD: Record<string, keyof UserDump["user"]> = {
  userId: "id",
  firstName: "first_name",
  lastName: "last_name",
  username: "username",
  disabled: "disabled",
  secondFactorPolicy: "second_factor_policy",
  publicMetadata: "public_metadata",
  privateMetadata: "private_metadata",
  primaryEmailAddress: "primary_email_address",
};

/** Differences between a state and the live user (field names and both values, for the report). */
export function stateVsLive(outs: Props, live: UserDump["user"]): string[] {
  const diffs: string[] = [];
  for (const [field, liveField] of Object.entries(STATE_FIELD)) {
    if (!(field in outs)) continue;
    if (!sameJson(outs[field], live[liveField] ?? null)) {
      diffs.push(
        `${field}: state ${JSON.stringify(outs[field])} live ${JSON.stringify(live[liveField])}`,
      );
    }
  }
  return diffs;
}

/** Runs the whole scenario: its own emulator and host, closed at the end. */
export async function runChaos(opts: ChaosOptions): Promise<ChaosReport> {
  const report = await runChaosInner(opts);
  if (process.env["CHAOS_REPORT"]) {
    fs.writeFileSync(process.env["CHAOS_REPORT"], JSON.stringify(report, null, 1));
  }
  return report;
}

async function runChaosInner(opts: ChaosOptions): Promise<ChaosReport> {
  const started = Date.now();
  const log = opts.log ?? (() => undefined);
  const engine = await startEngine({
    name: "chaos",
    apiKey: `sk_chaos_${"k".repeat(40)}`,
    emulator: { rateLimitPerMinute: false, requestLogLimit: 10_000_000 },
    config: {
      "wacht:timeoutMs": String(opts.timeoutMs),
      "wacht:maxRetries": String(opts.maxRetries),
      // The emulator's own rate limit is off (faults stand in for it), so is client pacing.
      "wacht:requestsPerMinute": "1000000",
    },
  });
  try {
    const { emu, host: h, provider } = engine;
    const declared = declare(opts.seed, opts.users, emu, provider);
    const state = new Map<string, Resource>();
    const failures: FailureRecord[] = [];
    const partialMismatches: string[] = [];
    const lateWrites: string[] = [];
    const failuresPerPass: number[] = [];
    emu.clearRequests();
    const { status5xx, status429, drop, slow } = opts.rates;
    emu.faults.setProbability({
      seed: opts.seed,
      rates: {
        status500: status5xx / 3,
        status502: status5xx / 3,
        status503: status5xx / 3,
        status429,
        drop,
        delay: { rate: slow, ms: opts.slowMs },
      },
      ...(opts.afterRate !== undefined && { afterRate: opts.afterRate }),
      ...(opts.retryAfterSeconds !== undefined && { retryAfterSeconds: opts.retryAfterSeconds }),
    });

    /** One `pulumi up` over every declared user; returns the number of writes it made. */
    const pass = async (
      n: number,
      final: boolean,
    ): Promise<{ failed: number; notNone: number }> => {
      let failed = 0;
      let notNone = 0;
      await pool(declared, opts.parallelism, async (d) => {
        const prior = state.get(d.name);
        let rpc = "Check";
        try {
          const checked = await h.check(d.urn, prior?.inputs ?? {}, d.decl);
          if (checked.failures.length > 0) {
            throw new Error(`check failures: ${JSON.stringify(checked.failures)}`);
          }
          if (prior === undefined) {
            rpc = "Create";
            const created = await h.create(d.urn, checked.inputs);
            state.set(d.name, { id: created.id, outs: created.properties, inputs: checked.inputs });
            notNone++;
            return;
          }
          rpc = "Diff";
          const diff = await h.diff(prior.id, d.urn, prior.outs, checked.inputs);
          if (diff.replaces.length > 0)
            throw new Error(`unexpected replace: ${diff.replaces.join(", ")}`);
          if (diff.changes === "none") return;
          notNone++;
          rpc = "Update";
          const updated = await h.update(prior.id, d.urn, prior.outs, checked.inputs);
          state.set(d.name, { id: prior.id, outs: updated.properties, inputs: checked.inputs });
        } catch (err) {
          failed++;
          const e = err as { details?: string; message?: string; initFailed?: InitFailed };
          const message = e.details ?? e.message ?? String(err);
          failures.push({
            pass: n,
            user: d.name,
            rpc,
            message,
            partial: e.initFailed !== undefined,
          });
          if (final) return;
          if (e.initFailed !== undefined) {
            // The engine stores the partial-failure properties as the resource's state.
            const live = emu.users.get(e.initFailed.id)?.user;
            const diffs =
              live === undefined ? ["user missing"] : stateVsLive(e.initFailed.properties, live);
            // No other RPC writes this user meanwhile (one RPC per user at a time), so the
            // properties must equal the server's state, unless an abandoned attempt of this RPC
            // landed after the read: wait for any such attempt, then look for it in the log.
            if (diffs.length > 0) {
              const id = e.initFailed.id;
              await new Promise((r) => setTimeout(r, opts.slowMs + 100));
              const late = emu
                .requests()
                .some(
                  (q) =>
                    q.fault !== null &&
                    q.fault.includes("delay") &&
                    q.method !== "GET" &&
                    q.path.startsWith(`/users/${id}`),
                );
              (late ? lateWrites : partialMismatches).push(
                `${d.name} (${rpc}): ${diffs.join("; ")}`,
              );
            }
            state.set(d.name, {
              id: e.initFailed.id,
              outs: e.initFailed.properties,
              inputs: prior?.inputs ?? {},
            });
          }
        }
      });
      return { failed, notNone };
    };

    let passes = 0;
    let convergedUnderFaults = false;
    for (let n = 1; n <= opts.maxPasses; n++) {
      passes = n;
      const t0 = Date.now();
      const { failed } = await pass(n, false);
      failuresPerPass.push(failed);
      log(`pass ${n}: ${failed} failed RPCs, ${Date.now() - t0} ms`);
      if (failed === 0) {
        convergedUnderFaults = true;
        break;
      }
    }
    const underFaults = emu.requests();
    emu.faults.clear();
    const faulted = underFaults.filter((q) => q.fault !== null);
    const faultsByKind: Record<string, number> = {};
    for (const q of faulted) {
      const kind = (q.fault ?? "").replace(/ \(random\).*$/, "").replace(/ \(random\)$/, "");
      faultsByKind[kind] = (faultsByKind[kind] ?? 0) + 1;
    }

    // A calm `pulumi up` after the bad minute (writes nothing when the faulty passes converged).
    emu.clearRequests();
    const calm = await pass(passes + 1, false);
    failuresPerPass.push(calm.failed);
    const calmPassWrites = emu.requests().filter((q) => q.method !== "GET").length;

    // Live users vs the declaration, states vs live users, duplicates.
    const live = emu.users.list().map((u) => u.user);
    const byId = new Map(live.map((u) => [u.id, u]));
    const mismatches: string[] = [];
    const stateMismatches: string[] = [];
    for (const d of declared) {
      const res = state.get(d.name);
      const user =
        d.seededId !== undefined
          ? byId.get(d.seededId)
          : live.find((u) => u.primary_email_address === d.email);
      if (user === undefined) {
        mismatches.push(`${d.name}: no live user`);
        continue;
      }
      for (const [field, want] of Object.entries(d.decl)) {
        const liveField = LIVE_FIELD[field];
        if (liveField === undefined) continue;
        if (!sameJson(user[liveField], want)) {
          mismatches.push(
            `${d.name}.${field}: declared ${JSON.stringify(want)} live ${JSON.stringify(user[liveField])}`,
          );
        }
      }
      if (res === undefined) stateMismatches.push(`${d.name}: no state`);
      else {
        if (res.id !== user.id)
          stateMismatches.push(`${d.name}: state id ${res.id} live ${user.id}`);
        for (const x of stateVsLive(res.outs, user)) stateMismatches.push(`${d.name}: ${x}`);
      }
    }
    const duplicates: string[] = [];
    const seen = new Map<string, number>();
    for (const u of live) {
      for (const key of [
        `email:${u.primary_email_address ?? ""}`,
        `username:${u.username ?? ""}`,
      ]) {
        if (key.endsWith(":")) continue;
        seen.set(key, (seen.get(key) ?? 0) + 1);
      }
    }
    for (const [key, count] of seen) if (count > 1) duplicates.push(`${key} ×${count}`);

    // The final pass must be a no-op: every Diff "none", no write request.
    emu.clearRequests();
    const final = await pass(passes + 2, true);
    const finalWrites = emu.requests().filter((q) => q.method !== "GET").length;

    const unclearFailures = failures.filter(
      (f) => !API_FAILURE.test(f.message) && !TRANSPORT_FAILURE.test(f.message),
    );
    return {
      seed: opts.seed,
      users: declared.length,
      passes,
      convergedUnderFaults,
      failuresPerPass,
      failures,
      unclearFailures,
      partialMismatches,
      lateWrites,
      requestsUnderFaults: underFaults.length,
      faultsInjected: faulted.length,
      faultsByKind,
      calmPassWrites,
      mismatches,
      stateMismatches,
      duplicates,
      finalDiffsNotNone: final.notNone + final.failed,
      finalWrites,
      durationMs: Date.now() - started,
    };
  } finally {
    await engine.close();
  }
}

/** The one-line figures printed by the tests and copied into docs/reliability.md. */
export function summarize(r: ChaosReport): string {
  const partial = r.failures.filter((f) => f.partial).length;
  return (
    `seed=${r.seed} users=${r.users} passes=${r.passes} convergedUnderFaults=${r.convergedUnderFaults} ` +
    `failuresPerPass=[${r.failuresPerPass.join(",")}] rpcFailures=${r.failures.length} (partial ${partial}, late writes ${r.lateWrites.length}) ` +
    `requests=${r.requestsUnderFaults} faults=${r.faultsInjected} ${JSON.stringify(r.faultsByKind)} ` +
    `calmPassWrites=${r.calmPassWrites} mismatches=${r.mismatches.length} stateMismatches=${r.stateMismatches.length} ` +
    `duplicates=${r.duplicates.length} unclear=${r.unclearFailures.length} finalDiffsNotNone=${r.finalDiffsNotNone} ` +
    `finalWrites=${r.finalWrites} ${r.durationMs} ms`
  );
}
