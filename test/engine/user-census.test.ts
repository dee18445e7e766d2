// Engine path (issue 14): wacht.UserCensus through the REAL dynamic-provider host over gRPC,
// against the emulator on 127.0.0.1:0. The serialized shim loads `pulumi-wacht/census-impl` by
// package name (cwd = repo root, self link). Check → Create → a dashboard admin → Read → Diff
// (warning names it) → Update fails (report) → Update disables (disable) → Read clean.
import { RpcError, UNKNOWN, type EngineHost } from "../helpers/engine-host";
import { withEngine } from "../helpers/with-engine";
import type { EmulatorHandle } from "../../src/emulator";
import { UserCensus } from "../../src";
import { byProperty } from "../helpers/check-failures";

jest.setTimeout(60_000);

const API_KEY = "sk_" + "censusEngineKey_0123456789abcdefghijklmnopq".slice(0, 43);
const CENSUS_TYPE = "pulumi-nodejs:dynamic/wacht:UserCensus";
const urn = `urn:pulumi:test::wacht-test::${CENSUS_TYPE}::admins`;
const ADA = "320000000000000001";
const MALLORY = "320000000000000002";

// One sequence: the first Check asserts that nothing before it (Configure included) sent a request.
const engine = withEngine({
  name: "census",
  apiKey: API_KEY,
  emulator: {
    seed: [
      { id: ADA, username: "ada", email: "ada@corp.example", public_metadata: { kind: "admin" } },
    ],
  },
  capture: () => new UserCensus("admins", { selector: { all: true }, declaredUserIds: [ADA] }),
  captureOptions: { config: { "wacht:apiKey": API_KEY }, secretKeys: ["wacht:apiKey"] },
  implementation: "pulumi-wacht/census-impl",
  clearEach: false,
});
let emu: EmulatorHandle;
let provider: string;
let host: EngineHost;

beforeAll(() => {
  ({ emu, provider, host } = engine);
  expect(engine.captured.type).toBe(CENSUS_TYPE);
  expect(engine.captured.providerIsSecret).toBe(false);
});

describe("wacht.UserCensus through the real dynamic-provider host reports, then disables, an undeclared account", () => {
  it("the serialized provider is the shim: no key, not secret, loads census-impl by name", async () => {
    expect(provider).toContain("pulumi-wacht/census-impl");
    expect(provider).not.toContain(API_KEY);
    expect(provider.length).toBeLessThan(16_384);
  });

  it("Check applies the defaults, passes a preview unknown, and names a bad property", async () => {
    // The program sends the declared ids under an internal input (no plan prints them).
    const ok = await host.check(
      urn,
      {},
      { selector: { all: true }, __declaredUserIds: [ADA], __provider: provider },
    );
    expect(ok.failures).toEqual([]);
    expect(ok.inputs).toMatchObject({
      allowlist: [],
      undeclared: "report",
      __declaredUserIds: [ADA],
    });
    const preview = await host.check(
      urn,
      {},
      { selector: { all: true }, __declaredUserIds: UNKNOWN, __provider: provider },
    );
    expect(preview.failures).toEqual([]);
    expect(preview.inputs["__declaredUserIds"]).toBe(UNKNOWN);
    const bad = await host.check(
      urn,
      {},
      {
        selector: { all: true },
        __declaredUserIds: [ADA],
        undeclared: "delete",
        __provider: provider,
      },
    );
    expect(byProperty(bad.failures)).toEqual([
      { property: "undeclared", reason: "undeclared must be one of: report, disable" },
    ]);
    expect(emu.requests()).toEqual([]);
  });

  it("Create → Read finds a dashboard admin → Diff names it → Update fails (report) → Update disables (disable)", async () => {
    const checked = await host.check(
      urn,
      {},
      { selector: { all: true }, __declaredUserIds: [ADA], __provider: provider },
    );
    const created = await host.create(urn, checked.inputs);
    expect(created.id).toBe("wacht-user-census");
    expect(created.properties["undeclaredAccounts"]).toEqual([]);

    engine.seed({
      id: MALLORY,
      username: "mallory",
      email: "mallory@corp.example",
      private_metadata: { pin: "SECRET-1234" },
    });
    emu.clearRequests();
    const read = await host.read(created.id, urn, created.properties, checked.inputs);
    expect(read.properties["undeclaredAccounts"]).toEqual([
      {
        id: MALLORY,
        email: "mallory@corp.example",
        username: "mallory",
      },
    ]);
    expect(JSON.stringify(read.properties)).not.toContain("SECRET-1234");
    expect(emu.requests().map((r) => `${r.method} ${r.path}`)).toEqual([
      "GET /users",
      `GET /users/${MALLORY}/details`,
    ]);

    const diff = await host.diff(created.id, urn, read.properties, checked.inputs);
    expect(diff.changes).toBe("some");
    await host.waitForOutput(
      `1 undeclared account: ${MALLORY} (mallory@corp.example, username mallory`,
    );

    let failure: unknown;
    try {
      await host.update(created.id, urn, read.properties, checked.inputs);
    } catch (err) {
      failure = err;
    }
    expect(failure).toBeInstanceOf(RpcError);
    expect((failure as RpcError).details).toContain(
      `  - ${MALLORY} (mallory@corp.example, username mallory`,
    );
    expect((failure as RpcError).details).toContain('opt in to undeclared: "disable"');
    expect(emu.users.get(MALLORY)?.user.disabled).toBe(false);

    const disabling = await host.check(urn, checked.inputs, {
      ...checked.inputs,
      undeclared: "disable",
    });
    emu.clearRequests();
    const updated = await host.update(created.id, urn, read.properties, disabling.inputs);
    expect(updated.properties["disabledAccounts"]).toEqual([
      expect.objectContaining({ id: MALLORY }),
    ]);
    expect(
      emu
        .requests()
        .filter((r) => r.method !== "GET")
        .map((r) => `${r.method} ${r.path}`),
    ).toEqual([`PATCH /users/${MALLORY}`]);
    expect(emu.users.get(MALLORY)?.user.disabled).toBe(true);

    const clean = await host.read(created.id, urn, updated.properties, disabling.inputs);
    expect(clean.properties["undeclaredAccounts"]).toEqual([]);
    expect((await host.diff(created.id, urn, clean.properties, disabling.inputs)).changes).toBe(
      "none",
    );
  });

  it("`up --refresh` after switching report → disable says one thing, once: it will disable them", async () => {
    // The last `up` (its own provider process) recorded a report-mode census with nothing found.
    const last = await engine.startHost();
    const recorded = await last.check(
      urn,
      {},
      { selector: { all: true }, __declaredUserIds: [ADA], __provider: provider },
    );
    const lastUp = await last.create(urn, recorded.inputs);
    expect(lastUp.properties["undeclared"]).toBe("report");
    const TRUDY = "320000000000000003";
    engine.seed({ id: TRUDY, username: "trudy", email: "trudy@corp.example" });

    // This `up --refresh`, in a new process: the refresh (read, then a diff against the RECORDED
    // declaration), then the program's check and diff with undeclared: "disable", then update.
    const run = await engine.startHost();
    const refreshed = await run.read(lastUp.id, urn, lastUp.properties, recorded.inputs);
    expect(refreshed.properties["undeclaredAccounts"]).toEqual([
      expect.objectContaining({ id: TRUDY }),
    ]);
    const refreshDiff = await run.diff(lastUp.id, urn, refreshed.properties, recorded.inputs);
    expect(refreshDiff.changes).toBe("some");
    const program = await run.check(urn, recorded.inputs, {
      ...recorded.inputs,
      undeclared: "disable",
    });
    for (let i = 0; i < 2; i++) {
      const planned = await run.diff(lastUp.id, urn, refreshed.properties, program.inputs);
      expect(planned.changes).toBe("some");
    }
    await run.update(lastUp.id, urn, refreshed.properties, program.inputs);
    expect(emu.users.get(TRUDY)?.user.disabled).toBe(true);

    const out = await run.waitForOutput(`disabled 1 undeclared account: ${TRUDY}`);
    const warnings = out
      .split("\n")
      .filter((l) => l.includes("wacht.UserCensus: 1 undeclared account"));
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toContain(`${TRUDY} (trudy@corp.example, username trudy`);
    expect(warnings[0]).toContain("`pulumi up` will disable them (never delete).");
    expect(out).not.toContain("will fail until");
  });
});
