// Items 1 and 4 of issue #6: request accounting for N declared users through the provider
// implementation (in-process, as the host runs it), against the emulator in its own process.
// Every count is taken from the emulator's request log and checked as an invariant.
import type { RequestLogEntry, UserDump } from "../src/emulator";
import type { TestProvider } from "../test/helpers/provider";
import { countKinds, type EmulatorProcess } from "./lib/emulator-process";
import { benchProvider, canonical, declarationFor, seedUser } from "./lib/fixtures";
import type { Invariants } from "./lib/invariants";
import { nowMs, round, runConcurrent } from "./lib/stats";

type Props = Record<string, unknown>;

/** Out-of-band drift patterns: the control-route edit and the PATCH parts that must undo it. */
const DRIFTS: Array<{ edit: (j: number) => Record<string, unknown>; parts: string[] }> = [
  { edit: () => ({ first_name: "Drifted" }), parts: ["first_name"] },
  {
    edit: () => ({ last_name: "Drifted", public_metadata: { team: "elsewhere" } }),
    parts: ["last_name", "public_metadata"],
  },
  { edit: () => ({ disabled: true }), parts: ["disabled"] },
  { edit: () => ({ second_factor_policy: "none" }), parts: ["second_factor_policy"] },
  {
    edit: (j) => ({ username: `drift${j}`, private_metadata: { vault: "kv/moved" } }),
    parts: ["private_metadata", "username"],
  },
];

export interface AccountingResult {
  n: number;
  k: number;
  concurrency: number;
  create: { ms: number; requests: ReturnType<typeof countKinds> };
  noopDiff: { requests: number; changed: number; usPerDiff: number };
  refreshDelta: {
    ms: number;
    listCalls: number;
    listCallBound: number;
    detailsGets: number;
    changedUsers: number;
    other: number;
  };
  refreshFull: { ms: number; listCalls: number; detailsGets: number; other: number };
  refreshFew: { reads: number; listCalls: number; detailsGets: number };
  upAfterDrift: {
    diffRequests: number;
    diffSome: number;
    ms: number;
    patches: number;
    detailsGets: number;
    other: number;
    onlyDriftedFields: boolean;
  };
  upAfterDeclarationChange: { diffSome: number; patches: number; onlyChangedFields: boolean };
  finalNoopDiff: { requests: number; changed: number };
}

function patchParts(log: readonly RequestLogEntry[]): Map<string, string[]> {
  const out = new Map<string, string[]>();
  for (const r of log) {
    if (r.method !== "PATCH") continue;
    const id = r.path.split("/")[2]!;
    out.set(id, (r.multipart ?? []).map((p) => p.name ?? "?").sort());
  }
  return out;
}

export async function runAccounting(
  emu: EmulatorProcess,
  inv: Invariants,
  n: number,
  k: number,
  concurrency: number,
): Promise<AccountingResult> {
  const dumps: UserDump[] = await emu.seed(
    Array.from({ length: n }, (_, i) => seedUser(i, "acct")),
  );
  const ids = dumps.map((d) => d.user.id);
  const declared = ids.map((id, i) => declarationFor(id, i, "acct"));
  const provider = await benchProvider(emu.url);
  const inputs: Props[] = [];
  for (const decl of declared) {
    const checked = await provider.check({}, decl);
    if ((checked.failures ?? []).length > 0) throw new Error(JSON.stringify(checked.failures));
    inputs.push(checked.inputs as Props);
  }

  // Create (adopt by userId; the declaration equals the seed): one details GET each, no PATCH.
  await emu.clearRequests();
  const states: Props[] = new Array<Props>(n);
  const created = await runConcurrent(n, concurrency, async (i) => {
    states[i] = (await provider.create(inputs[i]!)).outs as Props;
  });
  const createKinds = countKinds(await emu.requests());
  inv.equal(`create of ${n} matching users: ${n} details GETs and nothing else`, createKinds, {
    list: 0,
    details: n,
    patch: 0,
    other: 0,
    total: n,
  });

  // No-op diff: pure, zero requests, no changes.
  await emu.clearRequests();
  const t0 = nowMs();
  let changed = 0;
  for (let i = 0; i < n; i++) {
    if ((await provider.diff(ids[i]!, states[i]!, inputs[i]!)).changes) changed++;
  }
  const diffMs = nowMs() - t0;
  const noopRequests = (await emu.requests()).length;
  inv.equal(`no-op diff of ${n} users makes 0 requests`, noopRequests, 0);
  inv.equal(`no-op diff of ${n} users reports 0 changes`, changed, 0);

  // k users drift out of band (dashboard edits), spread over the id range.
  const drifted = new Map<string, { j: number; parts: string[] }>();
  for (let j = 0; j < k; j++) {
    const i = Math.floor((j * n) / k) + (j % 7);
    const pattern = DRIFTS[j % DRIFTS.length]!;
    await emu.patchUser(ids[i]!, pattern.edit(j));
    drifted.set(ids[i]!, { j, parts: pattern.parts });
  }
  const driftedIdx = ids.map((id, i) => (drifted.has(id) ? i : -1)).filter((i) => i >= 0);

  // Refresh in a NEW provider process, many concurrent reads (as the engine refreshes).
  const readAll = async (p: TestProvider) => {
    const out: Props[] = new Array<Props>(n);
    const run = await runConcurrent(n, concurrency, async (i) => {
      const r = await p.read(ids[i]!, states[i]!);
      out[i] = { id: r.id, props: r.props, inputs: r.inputs };
    });
    return { out, ms: run.elapsedMs };
  };
  await emu.clearRequests();
  const deltaProvider = await benchProvider(emu.url);
  const delta = await readAll(deltaProvider);
  const deltaLog = await emu.requests();
  const deltaKinds = countKinds(deltaLog);
  // Exactly ⌈M/500⌉ list calls (M = users in the deployment), whatever the concurrency.
  const bound = Math.ceil((await emu.users()).length / 500);
  inv.equal(`delta refresh of ${n}: list calls = ⌈M/500⌉ = ${bound}`, deltaKinds.list, bound);
  inv.equal(
    "delta refresh: list calls counted by the provider equal the log",
    deltaProvider.refreshStats().listCalls,
    deltaKinds.list,
  );
  const gotten = deltaLog
    .filter((r) => r.method === "GET" && r.path.endsWith("/details"))
    .map((r) => r.path.split("/")[2]!)
    .sort();
  inv.equal(
    `delta refresh: one details GET per changed user (${k}) and no other`,
    gotten,
    [...drifted.keys()].sort(),
  );
  inv.equal("delta refresh: no other requests", deltaKinds.other + deltaKinds.patch, 0);

  // The same refresh without delta refresh: ground truth for what the states must be.
  await emu.clearRequests();
  const fullProvider = await benchProvider(emu.url, { "wacht:deltaRefresh": "false" });
  const full = await readAll(fullProvider);
  const fullKinds = countKinds(await emu.requests());
  inv.equal(`full refresh (deltaRefresh=false): ${n} details GETs, no list`, fullKinds, {
    list: 0,
    details: n,
    patch: 0,
    other: 0,
    total: n,
  });
  let mismatches = 0;
  for (let i = 0; i < n; i++) {
    if (canonical(delta.out[i]) !== canonical(full.out[i])) mismatches++;
  }
  inv.equal("delta refresh returns exactly the states and inputs of a full refresh", mismatches, 0);
  const caught = driftedIdx.filter(
    (i) => canonical((delta.out[i] as { props: Props }).props) !== canonical(states[i]),
  ).length;
  inv.equal(`delta refresh catches the drift of all ${k} drifted users`, caught, k);

  // Few resources, one read at a time: the first read lists (no waiting for others), so the
  // same ⌈M/500⌉ list calls and no details GET of an unchanged user.
  await emu.clearRequests();
  const fewProvider = await benchProvider(emu.url);
  const few = 5;
  const unchanged = ids.map((_, i) => i).filter((i) => !drifted.has(ids[i]!));
  for (const i of unchanged.slice(0, few)) await fewProvider.read(ids[i]!, states[i]!);
  const fewKinds = countKinds(await emu.requests());
  inv.equal(`refresh of ${few} unchanged users one at a time: ${bound} list calls only`, fewKinds, {
    list: bound,
    details: 0,
    patch: 0,
    other: 0,
    total: bound,
  });

  // `up` after the refresh: diff against the refreshed states, update only what differs.
  const refreshed = delta.out.map((r) => (r as { props: Props }).props);
  await emu.clearRequests();
  const some: number[] = [];
  for (let i = 0; i < n; i++) {
    if ((await deltaProvider.diff(ids[i]!, refreshed[i]!, inputs[i]!)).changes) some.push(i);
  }
  const upDiffRequests = (await emu.requests()).length;
  inv.equal(`up: diff of ${n} after the refresh makes 0 requests`, upDiffRequests, 0);
  inv.equal(`up: exactly the ${k} drifted users differ`, some, driftedIdx);
  const updatedStates = [...refreshed];
  const up = await runConcurrent(some.length, concurrency, async (j) => {
    const i = some[j]!;
    updatedStates[i] = (await deltaProvider.update(ids[i]!, refreshed[i]!, inputs[i]!))
      .outs as Props;
  });
  const upLog = await emu.requests();
  const upKinds = countKinds(upLog);
  inv.equal(`up with ${k} drifted users: exactly ${k} PATCHes`, upKinds.patch, k);
  // The lost-update guard uses the refresh's own recent read (live/live-users.ts): no GET.
  inv.equal(
    `up right after the refresh: ${k} PATCHes and nothing else`,
    upKinds.total,
    upKinds.patch,
  );
  const parts = patchParts(upLog);
  const wrongParts = [...drifted].filter(
    ([id, d]) => JSON.stringify(parts.get(id)) !== JSON.stringify(d.parts),
  );
  inv.check(
    "up: each PATCH carries only the drifted fields",
    wrongParts.length === 0 && parts.size === k,
    wrongParts.length === 0
      ? `${k} PATCHes, parts as drifted`
      : wrongParts
          .slice(0, 3)
          .map(
            ([id, d]) =>
              `${id}: sent ${JSON.stringify(parts.get(id))}, drifted ${d.parts.join(",")}`,
          )
          .join("; "),
  );
  const live = new Map((await emu.users()).map((d) => [d.user.id, d.user]));
  const notReverted = driftedIdx.filter((i) => {
    const u = live.get(ids[i]!)!;
    const d = declared[i]!;
    return (
      u.first_name !== d["firstName"] ||
      u.last_name !== d["lastName"] ||
      u.username !== d["username"] ||
      u.disabled !== false ||
      u.second_factor_policy !== "optional" ||
      canonical(u.public_metadata) !== canonical(d["publicMetadata"]) ||
      canonical(u.private_metadata) !== canonical(d["privateMetadata"])
    );
  });
  inv.equal("up: every drifted user is back to its declaration", notReverted.length, 0);

  // `up` after a program edit: k other users get a new lastName; only last_name is sent.
  const editedIdx = Array.from(
    { length: k },
    (_, j) => Math.floor((j * n) / k) + Math.floor(n / k / 2),
  ).filter((i) => !drifted.has(ids[i]!));
  const edited = [...inputs];
  for (const i of editedIdx) {
    edited[i] = (await provider.check({}, { ...declared[i]!, lastName: `Renamed${i}` }))
      .inputs as Props;
  }
  await emu.clearRequests();
  const some2: number[] = [];
  for (let i = 0; i < n; i++) {
    if ((await provider.diff(ids[i]!, updatedStates[i]!, edited[i]!)).changes) some2.push(i);
  }
  inv.equal("up after a program edit: exactly the edited users differ", some2, editedIdx);
  await runConcurrent(some2.length, concurrency, async (j) => {
    const i = some2[j]!;
    updatedStates[i] = (await provider.update(ids[i]!, updatedStates[i]!, edited[i]!))
      .outs as Props;
  });
  const editLog = await emu.requests();
  const editParts = patchParts(editLog);
  const onlyLastName = [...editParts.values()].every((p) => JSON.stringify(p) === '["last_name"]');
  inv.check(
    `up after a program edit of ${editedIdx.length} users: ${editedIdx.length} PATCHes with only last_name`,
    countKinds(editLog).patch === editedIdx.length && onlyLastName,
    `${countKinds(editLog).patch} PATCHes, parts ${JSON.stringify([...new Set([...editParts.values()].map((p) => p.join(",")))])}`,
  );

  // And nothing left to do.
  await emu.clearRequests();
  let left = 0;
  for (let i = 0; i < n; i++) {
    if ((await provider.diff(ids[i]!, updatedStates[i]!, edited[i]!)).changes) left++;
  }
  const finalRequests = (await emu.requests()).length;
  inv.equal("final no-op diff: 0 requests, 0 changes", [finalRequests, left], [0, 0]);

  return {
    n,
    k,
    concurrency,
    create: { ms: round(created.elapsedMs), requests: createKinds },
    noopDiff: { requests: noopRequests, changed, usPerDiff: round((diffMs * 1000) / n, 2) },
    refreshDelta: {
      ms: round(delta.ms),
      listCalls: deltaKinds.list,
      listCallBound: bound,
      detailsGets: deltaKinds.details,
      changedUsers: k,
      other: deltaKinds.other + deltaKinds.patch,
    },
    refreshFull: {
      ms: round(full.ms),
      listCalls: fullKinds.list,
      detailsGets: fullKinds.details,
      other: fullKinds.other + fullKinds.patch,
    },
    refreshFew: { reads: few, listCalls: fewKinds.list, detailsGets: fewKinds.details },
    upAfterDrift: {
      diffRequests: upDiffRequests,
      diffSome: some.length,
      ms: round(up.elapsedMs),
      patches: upKinds.patch,
      detailsGets: upKinds.details,
      other: upKinds.other + upKinds.list,
      onlyDriftedFields: wrongParts.length === 0,
    },
    upAfterDeclarationChange: {
      diffSome: some2.length,
      patches: countKinds(editLog).patch,
      onlyChangedFields: onlyLastName,
    },
    finalNoopDiff: { requests: finalRequests, changed: left },
  };
}
