// Items 3 and 5 (memory) of issue #6, through the REAL Pulumi dynamic-provider host over gRPC
// (test/helpers/engine-host.ts, cwd = repo root, so the serialized shim loads
// pulumi-wacht/provider-impl from dist/ like a user's program does).
import * as path from "node:path";
import { startHost, userUrn, type EngineHost, type Props } from "../test/helpers/engine-host";
import { countKinds, type EmulatorProcess } from "./lib/emulator-process";
import { API_KEY, declarationFor, seedUser } from "./lib/fixtures";
import type { Invariants } from "./lib/invariants";
import { peakRssMiB, rssMiB, sampleRss } from "./lib/proc";
import { percentile, round, runConcurrent } from "./lib/stats";

const repoRoot = path.resolve(__dirname, "..");

async function configuredHost(url: string): Promise<EngineHost> {
  const host = await startHost({
    cwd: repoRoot,
    env: { WACHT_API_KEY: undefined, WACHT_BASE_URL: undefined },
  });
  await host.configure({
    "wacht:apiKey": API_KEY,
    "wacht:baseUrl": url,
    "wacht:requestsPerMinute": "100000000",
  });
  return host;
}

export interface RpcStats {
  calls: number;
  concurrency: number;
  perSecond: number;
  p50Ms: number;
  p95Ms: number;
}

function rpcStats(
  run: { calls: number; perSecond: number; latencies: number[] },
  c: number,
): RpcStats {
  return {
    calls: run.calls,
    concurrency: c,
    perSecond: round(run.perSecond),
    p50Ms: round(percentile(run.latencies, 50), 3),
    p95Ms: round(percentile(run.latencies, 95), 3),
  };
}

export interface HostResult {
  check: RpcStats[];
  diff: RpcStats[];
  lifecycle: {
    users: number;
    sequential: { msPerUser: number; p50Ms: number; p95Ms: number };
    concurrent: { concurrency: number; usersPerSecond: number; msPerUser: number };
    requestsPerUser: { details: number; patch: number; other: number };
  };
}

/** Check/Diff RPC throughput and latency, and create → diff → update per user. */
export async function runHostOverhead(
  emu: EmulatorProcess,
  inv: Invariants,
  providerText: string,
  opts: { rpcCalls: number; lifecycleUsers: number; concurrency: number },
): Promise<HostResult> {
  const [one] = await emu.seed([seedUser(0, "rpc")]);
  const id = one!.user.id;
  const decl = declarationFor(id, 0, "rpc");
  const host = await configuredHost(emu.url);
  try {
    const urn = userUrn("rpc");
    const news = { ...decl, __provider: providerText };
    const checked = await host.check(urn, {}, news);
    if (checked.failures.length > 0) throw new Error(JSON.stringify(checked.failures));
    const created = await host.create(urn, checked.inputs);
    const olds = created.properties;

    await emu.clearRequests();
    const check: RpcStats[] = [];
    const diff: RpcStats[] = [];
    for (const c of [1, opts.concurrency]) {
      await runConcurrent(200, c, () => host.check(urn, {}, news)); // warm-up
      check.push(
        rpcStats(
          await runConcurrent(opts.rpcCalls, c, () => host.check(urn, olds, news), {
            latencies: true,
          }),
          c,
        ),
      );
      let some = 0;
      await runConcurrent(200, c, () => host.diff(id, urn, olds, checked.inputs));
      diff.push(
        rpcStats(
          await runConcurrent(
            opts.rpcCalls,
            c,
            async () => {
              if ((await host.diff(id, urn, olds, checked.inputs)).changes !== "none") some++;
            },
            { latencies: true },
          ),
          c,
        ),
      );
      inv.equal(`host: ${opts.rpcCalls} no-op Diff RPCs (c=${c}) all answer "none"`, some, 0);
    }
    inv.equal("host: Check and Diff RPCs make 0 requests", (await emu.requests()).length, 0);

    // Lifecycle per user: Check → Create (adopt by userId, one field differs) → Diff (none) →
    // Check (program edit) → Diff (some) → Update.
    const m = opts.lifecycleUsers;
    const seeds = await emu.seed(
      Array.from({ length: 2 * m }, (_, i) => ({ ...seedUser(i, "lc"), first_name: "Seeded" })),
    );
    const lifecycle = async (i: number): Promise<void> => {
      const uid = seeds[i]!.user.id;
      const u = userUrn(`lc${i}`);
      const d = declarationFor(uid, i, "lc");
      const c1 = await host.check(u, {}, { ...d, __provider: providerText });
      const made = await host.create(u, c1.inputs);
      const noop = await host.diff(uid, u, made.properties, c1.inputs);
      if (noop.changes !== "none")
        throw new Error(`lifecycle ${uid}: no-op diff said ${noop.changes}`);
      const c2 = await host.check(u, c1.inputs, {
        ...d,
        lastName: "Edited",
        __provider: providerText,
      });
      const changed = await host.diff(uid, u, made.properties, c2.inputs);
      if (changed.changes !== "some")
        throw new Error(`lifecycle ${uid}: diff said ${changed.changes}`);
      const updated = await host.update(uid, u, made.properties, c2.inputs);
      if (updated.properties["lastName"] !== "Edited")
        throw new Error(`lifecycle ${uid}: not updated`);
    };
    await emu.clearRequests();
    const seq = await runConcurrent(m, 1, lifecycle, { latencies: true });
    const conc = await runConcurrent(m, opts.concurrency, (i) => lifecycle(m + i));
    const kinds = countKinds(await emu.requests());
    inv.equal(
      `host lifecycle of ${2 * m} users: 2 details GETs + 2 PATCHes each (create, update), nothing else`,
      kinds,
      { list: 0, details: 4 * m, patch: 4 * m, other: 0, total: 8 * m },
    );
    return {
      check,
      diff,
      lifecycle: {
        users: 2 * m,
        sequential: {
          msPerUser: round(seq.elapsedMs / m, 2),
          p50Ms: round(percentile(seq.latencies, 50), 2),
          p95Ms: round(percentile(seq.latencies, 95), 2),
        },
        concurrent: {
          concurrency: opts.concurrency,
          usersPerSecond: round(conc.perSecond),
          msPerUser: round(conc.elapsedMs / m, 2),
        },
        requestsPerUser: {
          details: kinds.details / (2 * m),
          patch: kinds.patch / (2 * m),
          other: kinds.other / (2 * m),
        },
      },
    };
  } finally {
    await host.close();
  }
}

export interface MemoryResult {
  users: number;
  concurrency: number;
  /** The `pulumi up` process: 10k Create RPCs, then 10k Diff RPCs. */
  up: {
    baselineRssMiB: number;
    afterCreateRssMiB: number;
    afterDiffRssMiB: number;
    peakRssMiB: number;
    createPerSecond: number;
    diffPerSecond: number;
  };
  /** The `pulumi refresh` process: 10k Read RPCs with delta refresh. */
  refresh: {
    baselineRssMiB: number;
    afterRssMiB: number;
    peakRssMiB: number;
    readPerSecond: number;
    ms: number;
    listCalls: number;
    detailsGets: number;
  };
}

/** Provider process memory with `n` users in state, sampled from /proc/<pid>/status. */
export async function runHostMemory(
  emu: EmulatorProcess,
  inv: Invariants,
  providerText: string,
  n: number,
  concurrency: number,
): Promise<MemoryResult> {
  const dumps = await emu.seed(Array.from({ length: n }, (_, i) => seedUser(i, "mem")));
  const ids = dumps.map((d) => d.user.id);
  const decls = ids.map((id, i) => ({ ...declarationFor(id, i, "mem"), __provider: providerText }));
  const states: Props[] = new Array<Props>(n);
  const inputs: Props[] = new Array<Props>(n);

  const up = await configuredHost(emu.url);
  let upResult: MemoryResult["up"];
  try {
    const baselineRssMiB = rssMiB(up.pid);
    const sampler = sampleRss(up.pid);
    await emu.clearRequests();
    const created = await runConcurrent(n, concurrency, async (i) => {
      const u = userUrn(`mem${i}`);
      const c = await up.check(u, {}, decls[i]!);
      const made = await up.create(u, c.inputs);
      // Share one copy of the provider text in this process (the host got its own copy per RPC).
      states[i] = { ...made.properties, __provider: providerText };
      inputs[i] = { ...c.inputs, __provider: providerText };
    });
    const afterCreateRssMiB = rssMiB(up.pid);
    const createKinds = countKinds(await emu.requests());
    inv.equal(
      `host: ${n} Creates of matching users make ${n} details GETs and nothing else`,
      createKinds,
      {
        list: 0,
        details: n,
        patch: 0,
        other: 0,
        total: n,
      },
    );
    let some = 0;
    const diffed = await runConcurrent(n, concurrency, async (i) => {
      if ((await up.diff(ids[i]!, userUrn(`mem${i}`), states[i]!, inputs[i]!)).changes !== "none")
        some++;
    });
    inv.equal(`host: ${n} no-op Diffs answer "none"`, some, 0);
    upResult = {
      baselineRssMiB: round(baselineRssMiB),
      afterCreateRssMiB: round(afterCreateRssMiB),
      afterDiffRssMiB: round(rssMiB(up.pid)),
      peakRssMiB: round(Math.max(sampler.stop(), peakRssMiB(up.pid))),
      createPerSecond: round(created.perSecond),
      diffPerSecond: round(diffed.perSecond),
    };
  } finally {
    await up.close();
  }

  const refresh = await configuredHost(emu.url);
  try {
    const baselineRssMiB = rssMiB(refresh.pid);
    const sampler = sampleRss(refresh.pid);
    await emu.clearRequests();
    let gone = 0;
    const read = await runConcurrent(n, concurrency, async (i) => {
      const r = await refresh.read(ids[i]!, userUrn(`mem${i}`), states[i]!, inputs[i]);
      if (r.id !== ids[i]) gone++;
    });
    const kinds = countKinds(await emu.requests());
    const total = (await emu.users()).length;
    const bound = Math.ceil(total / 500) + 1;
    inv.check(
      `host refresh of ${n} unchanged users (${total} in the deployment): ≤ ${bound} list calls, 0 details GETs`,
      kinds.list >= 1 &&
        kinds.list <= bound &&
        kinds.details === 0 &&
        kinds.other + kinds.patch === 0,
      JSON.stringify(kinds),
    );
    inv.equal(`host refresh of ${n}: every user still exists`, gone, 0);
    return {
      users: n,
      concurrency,
      up: upResult,
      refresh: {
        baselineRssMiB: round(baselineRssMiB),
        afterRssMiB: round(rssMiB(refresh.pid)),
        peakRssMiB: round(Math.max(sampler.stop(), peakRssMiB(refresh.pid))),
        readPerSecond: round(read.perSecond),
        ms: round(read.elapsedMs),
        listCalls: kinds.list,
        detailsGets: kinds.details,
      },
    };
  } finally {
    await refresh.close();
  }
}
