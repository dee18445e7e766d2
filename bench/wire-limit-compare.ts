// Before/after of the client at the wire limit, in ONE run: this checkout's client, the client of
// an earlier commit, raw undici (bytes) and raw undici + JSON.parse, interleaved in rotating rounds
// against the canned-JSON server process of bench/wire-limit.ts. Used for BENCHMARKS.md's
// before/after figures:
//
//   git archive <commit> src | (mkdir -p /tmp/before && tar -x -C /tmp/before)
//   ln -s "$PWD/node_modules" /tmp/before/node_modules; cp tsconfig.json /tmp/before/
//   BEFORE_SRC=/tmp/before/src node --expose-gc -r ts-node/register/transpile-only bench/wire-limit-compare.ts
import { createRequire } from "node:module";
import * as path from "node:path";
import { WachtClient } from "../src/client/wacht-client";
import { PATCH_FIELDS as FIELDS, rawUndici } from "./lib/raw-undici";
import { median, round, runConcurrent } from "./lib/stats";
import { measure, startServer } from "./wire-limit";

const KEY = "sk_bench_compare_0123456789";

async function main(): Promise<void> {
  const beforeSrc = process.env["BEFORE_SRC"];
  if (beforeSrc === undefined) throw new Error("set BEFORE_SRC to an earlier checkout's src/");
  // An earlier build of the client, loaded by path.
  const loaded = createRequire(__filename)(path.join(beforeSrc, "client", "wacht-client")) as {
    WachtClient: typeof WachtClient;
  };
  const Before = loaded.WachtClient;
  const rounds = Number(process.env["ROUNDS"] ?? 7);
  const calls = Number(process.env["CALLS"] ?? 8000);
  const server = await startServer();
  const ids = Array.from({ length: 200 }, (_, i) => String(310000000000000000n + BigInt(i + 1)));
  const idAt = (i: number): string => ids[i % ids.length]!;
  const opts = { apiKey: KEY, baseUrl: server.url, requestsPerMinute: Infinity };
  const after = new WachtClient(opts);
  const before = new Before(opts);
  const { pool, patch } = rawUndici(server.url, KEY);
  const clients: Record<string, (i: number) => Promise<unknown>> = {
    after: (i) => after.users.update(idAt(i), FIELDS),
    before: (i) => before.users.update(idAt(i), FIELDS),
    raw: async (i) => (await patch(idAt(i))).body.arrayBuffer(),
    rawJson: async (i) => JSON.parse(await (await patch(idAt(i))).body.text()) as unknown,
  };
  const names = Object.keys(clients);
  try {
    for (const n of names) await runConcurrent(3000, 32, clients[n]!);
    const samples: Record<string, { rate: number; cpu: number; server: number }[]> = {};
    for (let r = 0; r < rounds; r++) {
      for (const n of names.map((_, j) => names[(j + r) % names.length]!)) {
        const s = await measure(server.pid, calls, 32, clients[n]!);
        (samples[n] ??= []).push({
          rate: s.perSecond,
          cpu: s.clientCpuUsPerCall,
          server: s.serverCpuUsPerCall,
        });
      }
    }
    for (const n of names) {
      const s = samples[n]!;
      console.log(
        `${n.padEnd(8)} ${round(median(s.map((x) => x.rate)))} req/s · ${round(median(s.map((x) => x.cpu)))} µs client CPU/call · server ${round(median(s.map((x) => x.server)))} µs/call`,
      );
    }
    for (const who of ["before", "after"])
      for (const base of ["rawJson", "raw"]) {
        const rate = samples[who]!.map((x, r) => x.rate / samples[base]![r]!.rate);
        const cpu = samples[who]!.map((x, r) => samples[base]![r]!.cpu / x.cpu);
        const show = (v: number[]) =>
          `${round(median(v), 3)} [${round(Math.min(...v), 3)}–${round(Math.max(...v), 3)}]`;
        console.log(`${who} / ${base}: req/s ${show(rate)} · CPU ${show(cpu)}`);
      }
  } finally {
    await pool.close();
    await server.close();
  }
}

main().then(
  () => process.exit(0),
  (e: unknown) => {
    console.error(e);
    process.exit(1);
  },
);
