// Item 5 of issue #6 (CPU): the cost of the pure field diff per user, timed over 10 000 realistic
// (state, declaration) pairs in-process; and the heap those 10 000 states take.
import { diffUser } from "../src/diff/user-diff";
import type { UserDump } from "../src/emulator";
import { liveUser } from "../src/provider/live/live-user";
import { toOutputs, declarationOf } from "../src/diff/declaration-state";
import { buildUserInputsSchema } from "../src/schema/user-inputs";
import { ApiUserDetailsSchema } from "../src/schema/wire";
import type { EmulatorProcess } from "./lib/emulator-process";
import { benchProvider, declarationFor, seedUser } from "./lib/fixtures";
import type { Invariants } from "./lib/invariants";
import { collectGarbage, median, nowMs, round } from "./lib/stats";

export interface DiffCostResult {
  users: number;
  repetitions: number;
  noChangeUsPerUser: number;
  oneFieldChangedUsPerUser: number;
  stateJsonBytesPerUser: number;
  heapMiBForStates: number;
  /** `check` per declaration, in-process (the work of a Check RPC without gRPC). */
  checkUsPerUser: number;
  /** Of which: building the zod inputs schema, which `checkUser` does on every call. */
  schemaBuildUsPerCall: number;
  /** Parsing one declaration with a schema built once (what check would cost if it were cached). */
  cachedSchemaParseUs: number;
}

export async function runDiffCost(
  emu: EmulatorProcess,
  inv: Invariants,
  n: number,
  repetitions: number,
): Promise<DiffCostResult> {
  const dumps: UserDump[] = await emu.seed(Array.from({ length: n }, (_, i) => seedUser(i, "dc")));
  const provider = await benchProvider(emu.url);
  const inputs: Record<string, unknown>[] = [];
  const edited: Record<string, unknown>[] = [];
  const checkStart = nowMs();
  for (const [i, d] of dumps.entries()) {
    const decl = declarationFor(d.user.id, i, "dc");
    const checked = (await provider.check({}, decl)).inputs as Record<string, unknown>;
    inputs.push(checked);
    edited.push({ ...checked, publicMetadata: { team: "moved", tier: "gold" } });
  }
  const checkUs = ((nowMs() - checkStart) * 1000) / n;
  const limits = { usernameMinLength: 3, usernameMaxLength: 30 };
  const builds = 300;
  let t0 = nowMs();
  for (let i = 0; i < builds; i++) buildUserInputsSchema(limits);
  const buildUs = ((nowMs() - t0) * 1000) / builds;
  const schema = buildUserInputsSchema(limits);
  const sample = declarationFor(dumps[0]!.user.id, 0, "dc");
  for (let i = 0; i < 200; i++) schema.safeParse(sample);
  t0 = nowMs();
  for (let i = 0; i < 2000; i++) schema.safeParse(sample);
  const cachedParseUs = ((nowMs() - t0) * 1000) / 2000;
  // The states exactly as create would write them: the details of each user (as GET returns
  // them, parsed by the client's schema) under its declaration.
  const built = dumps.map((d, i) =>
    toOutputs(liveUser(ApiUserDetailsSchema.parse(d.user)), declarationOf(inputs[i]!)),
  );
  // Heap of 10 000 independent states, as decoded from the engine's messages (no shared strings).
  const serialized = built.map((s) => JSON.stringify(s));
  const jsonBytes = serialized.reduce((sum, s) => sum + s.length, 0) / n;
  // Measured as the heap held WITH the states minus the heap after dropping them (full GCs).
  let states: ReturnType<typeof toOutputs>[] = serialized.map(
    (s) => JSON.parse(s) as ReturnType<typeof toOutputs>,
  );
  collectGarbage();
  collectGarbage();
  const heapWith = process.memoryUsage().heapUsed;
  const count = states.length;
  states = [];
  collectGarbage();
  collectGarbage();
  const heapMiB = (heapWith - process.memoryUsage().heapUsed) / 1024 / 1024;
  states = serialized.map((s) => JSON.parse(s) as ReturnType<typeof toOutputs>);
  if (states.length !== count) throw new Error("unreachable");

  const time = (news: Record<string, unknown>[], expectChange: boolean): number => {
    const samples: number[] = [];
    for (let r = 0; r < repetitions + 1; r++) {
      let wrong = 0;
      const t0 = nowMs();
      for (let i = 0; i < n; i++)
        if (diffUser(states[i]!, news[i]!).changes !== expectChange) wrong++;
      const us = ((nowMs() - t0) * 1000) / n;
      if (r > 0) samples.push(us); // the first pass warms the JIT up
      if (wrong > 0)
        inv.check(
          `diffUser over ${n} states (expect change: ${expectChange})`,
          false,
          `${wrong} wrong`,
        );
    }
    return median(samples);
  };
  const noChange = time(inputs, false);
  const oneField = time(edited, true);
  inv.check(`diffUser over ${n} states gives the expected answer`, true, "all correct");
  return {
    users: n,
    repetitions,
    noChangeUsPerUser: round(noChange, 2),
    oneFieldChangedUsPerUser: round(oneField, 2),
    stateJsonBytesPerUser: Math.round(jsonBytes),
    heapMiBForStates: round(heapMiB, 1),
    checkUsPerUser: round(checkUs, 1),
    schemaBuildUsPerCall: round(buildUs, 1),
    cachedSchemaParseUs: round(cachedParseUs, 1),
  };
}
