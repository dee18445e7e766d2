// Items 2 and 6 of issue #6: users.update throughput of (a) our client, (b) a raw undici request
// with a pre-built body (the wire limit on this machine) and (c) the official @wacht/backend SDK,
// at concurrency 1 and 32, in interleaved rounds against the emulator in its own process; plus the
// emulator's raw request rate. The emulator's and this process's CPU use are sampled per run.
import { WachtClient } from "../src/client/wacht-client";
import type { EmulatorProcess } from "./lib/emulator-process";
import { API_KEY, seedUser } from "./lib/fixtures";
import { cpuMs } from "./lib/proc";
import { PATCH_FIELDS as FIELDS, rawUndici } from "./lib/raw-undici";
import { loadWachtSdk } from "./lib/sdk";
import { collectGarbage, median, round, runConcurrent } from "./lib/stats";

export type ClientName = "ours" | "raw" | "sdk";

/** The same three fields for every client: two strings and a metadata object. */

interface RunStats {
  perSecond: number;
  /** CPU the emulator process used per request, in µs. */
  emulatorCpuUsPerReq: number;
  /** Share of one core the emulator used during the run (100 = one full core). */
  emulatorCpuPct: number;
  /** Share of one core this (client) process used during the run. */
  clientCpuPct: number;
}

export interface ThroughputResult {
  calls: number;
  rounds: number;
  concurrencies: number[];
  /** Per concurrency and client: the per-round rates and their median. */
  perConcurrency: Record<
    string,
    Record<
      ClientName,
      {
        rounds: number[];
        median: number;
        emulatorCpuPct: number;
        clientCpuPct: number;
        emulatorCpuUsPerReq: number;
      }
    > & {
      ratioOursToRaw: number;
      ratioOursToSdk: number;
      ratioRounds: { oursToRaw: number[]; oursToSdk: number[] };
    }
  >;
  emulatorRaw: {
    getDetailsPerSecond: number;
    rounds: number[];
    concurrency: number;
    emulatorCpuPct: number;
  };
}

async function measure(
  emuPid: number,
  calls: number,
  concurrency: number,
  fn: (i: number) => Promise<unknown>,
): Promise<RunStats> {
  collectGarbage();
  const emu0 = cpuMs(emuPid);
  const self0 = process.cpuUsage();
  const run = await runConcurrent(calls, concurrency, fn);
  const emuUsed = cpuMs(emuPid) - emu0;
  const self = process.cpuUsage(self0);
  return {
    perSecond: run.perSecond,
    emulatorCpuUsPerReq: (emuUsed * 1000) / calls,
    emulatorCpuPct: (emuUsed / run.elapsedMs) * 100,
    clientCpuPct: ((self.user + self.system) / 1000 / run.elapsedMs) * 100,
  };
}

export async function runThroughput(
  emu: EmulatorProcess,
  opts: {
    calls: number;
    rounds: number;
    concurrencies: number[];
    users: number;
    log?: (s: string) => void;
  },
): Promise<ThroughputResult> {
  const dumps = await emu.seed(Array.from({ length: opts.users }, (_, i) => seedUser(i, "tp")));
  const ids = dumps.map((d) => d.user.id);
  const idAt = (i: number): string => ids[i % ids.length]!;

  // (a) our client, pacing off (requestsPerMinute: Infinity), its shared keep-alive Agent.
  const ours = new WachtClient({ apiKey: API_KEY, baseUrl: emu.url, requestsPerMinute: Infinity });
  // (b) raw undici: one keep-alive Pool (as many connections as our Agent), a body built once.
  const { pool, patch } = rawUndici(emu.url, API_KEY);
  const raw = async (i: number): Promise<void> => {
    const res = await patch(idAt(i));
    const bytes = await res.body.arrayBuffer();
    if (res.statusCode !== 200 || bytes.byteLength === 0)
      throw new Error(`raw PATCH: ${res.statusCode}`);
  };
  // (c) the official SDK (global fetch + FormData), its updateUser.
  const sdk = new (await loadWachtSdk()).WachtClient({ apiKey: API_KEY, baseUrl: emu.url });

  const clients: Record<ClientName, (i: number) => Promise<unknown>> = {
    ours: async (i) => {
      const u = await ours.users.update(idAt(i), FIELDS);
      if (u.first_name !== FIELDS.firstName) throw new Error("ours: unexpected response");
    },
    raw,
    sdk: async (i) => {
      const u = await sdk.users.updateUser(idAt(i), {
        first_name: FIELDS.firstName,
        last_name: FIELDS.lastName,
        public_metadata: FIELDS.publicMetadata,
      });
      if (u.id !== idAt(i)) throw new Error("sdk: unexpected response");
    },
  };
  const names: ClientName[] = ["ours", "raw", "sdk"];

  // Warm-up: connections, JIT, the emulator's code paths.
  for (const c of opts.concurrencies)
    for (const n of names) await runConcurrent(Math.min(500, opts.calls), c, clients[n]);

  const per: ThroughputResult["perConcurrency"] = {};
  for (const c of opts.concurrencies) {
    const samples: Record<ClientName, RunStats[]> = { ours: [], raw: [], sdk: [] };
    for (let r = 0; r < opts.rounds; r++) {
      // Rotate the order every round so no client always runs first (or after the same one).
      const order = names.map((_, j) => names[(j + r) % names.length]!);
      for (const n of order) {
        const s = await measure(emu.pid, opts.calls, c, clients[n]);
        samples[n].push(s);
        opts.log?.(`  c=${c} round ${r + 1} ${n}: ${round(s.perSecond)} req/s`);
      }
    }
    const summary = (n: ClientName) => ({
      rounds: samples[n].map((s) => round(s.perSecond)),
      median: round(median(samples[n].map((s) => s.perSecond))),
      emulatorCpuPct: round(median(samples[n].map((s) => s.emulatorCpuPct))),
      clientCpuPct: round(median(samples[n].map((s) => s.clientCpuPct))),
      emulatorCpuUsPerReq: round(median(samples[n].map((s) => s.emulatorCpuUsPerReq))),
    });
    const toRaw = samples.ours.map((s, r) => s.perSecond / samples.raw[r]!.perSecond);
    const toSdk = samples.ours.map((s, r) => s.perSecond / samples.sdk[r]!.perSecond);
    per[String(c)] = {
      ours: summary("ours"),
      raw: summary("raw"),
      sdk: summary("sdk"),
      ratioOursToRaw: round(median(toRaw), 3),
      ratioOursToSdk: round(median(toSdk), 3),
      ratioRounds: {
        oursToRaw: toRaw.map((x) => round(x, 3)),
        oursToSdk: toSdk.map((x) => round(x, 3)),
      },
    };
  }

  // Item 6: the emulator's raw rate on its cheapest authenticated route.
  const getConcurrency = 32;
  const getDetails = async (i: number): Promise<void> => {
    const res = await pool.request({
      method: "GET",
      path: `/users/${idAt(i)}/details`,
      headers: { authorization: `Bearer ${API_KEY}` },
    });
    await res.body.arrayBuffer();
    if (res.statusCode !== 200) throw new Error(`GET details: ${res.statusCode}`);
  };
  await runConcurrent(500, getConcurrency, getDetails);
  const gets: RunStats[] = [];
  for (let r = 0; r < opts.rounds; r++)
    gets.push(await measure(emu.pid, opts.calls, getConcurrency, getDetails));
  await pool.close();
  return {
    calls: opts.calls,
    rounds: opts.rounds,
    concurrencies: opts.concurrencies,
    perConcurrency: per,
    emulatorRaw: {
      getDetailsPerSecond: round(median(gets.map((g) => g.perSecond))),
      rounds: gets.map((g) => round(g.perSecond)),
      concurrency: getConcurrency,
      emulatorCpuPct: round(median(gets.map((g) => g.emulatorCpuPct))),
    },
  };
}
