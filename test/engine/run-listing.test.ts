// Engine path (issue #14): in ONE real dynamic-provider host process, the wacht.User reads of a
// refresh and the wacht.UserCensus read share one listing of the deployment. Each resource type
// is served by its own implementation, loaded by its shim through the package's factories
// (`pulumi-wacht/provider-impl`, `pulumi-wacht/census-impl`), which hand both the process's
// listings (src/provider/live/run-listings.ts). 600 users + 1 undeclared: ⌈601/500⌉ = 2 list requests
// in all, where separate listings cost 4.
import * as path from "node:path";
import { captureOne } from "../helpers/capture";
import { assertResolvable, startHost, userUrn, type EngineHost } from "../helpers/engine-host";
import { calls, configuredProvider } from "../helpers/provider";
import { startEmulator, type EmulatorHandle } from "../../src/emulator";
import { User, UserCensus } from "../../src";

jest.setTimeout(60_000);

const repoRoot = path.resolve(__dirname, "..", "..");
const API_KEY = "sk_" + "runListingEngineKey_0123456789abcdefghijklmnop".slice(0, 43);
const censusUrn = "urn:pulumi:test::wacht-test::pulumi-nodejs:dynamic/wacht:UserCensus::admins";
const EVE = "341000000000000999";
const users = Array.from({ length: 600 }, (_, i) => ({
  id: String(341000000000000000n + BigInt(i)),
  first_name: `U${i}`,
  email: `u${i}@example.com`,
}));

let emu: EmulatorHandle;
let host: EngineHost | undefined;

beforeAll(async () => {
  assertResolvable(repoRoot, "pulumi-wacht/provider-impl");
  assertResolvable(repoRoot, "pulumi-wacht/census-impl");
  emu = await startEmulator({
    port: 0,
    apiKey: API_KEY,
    seed: [...users, { id: EVE, username: "eve", email: "eve@corp.example" }],
  });
});

afterAll(async () => {
  await host?.close();
  await emu?.close();
});

it("a refresh of 10 users and the census, concurrently in one host process: 2 list requests", async () => {
  const userProvider = (await captureOne(() => new User("svc", { userId: "1" }))).providerText;
  const censusProvider = (
    await captureOne(
      () =>
        new UserCensus("admins", {
          selector: { emailDomains: ["corp.example"] },
          declaredUserIds: [],
        }),
      { config: { "wacht:apiKey": API_KEY }, secretKeys: ["wacht:apiKey"] },
    )
  ).providerText;
  // The states of the last run (made in this process, like an earlier `pulumi up`).
  const earlier = await configuredProvider(emu.url, API_KEY);
  const managed: { id: string; outs: Record<string, unknown>; inputs: Record<string, unknown> }[] =
    [];
  for (const u of users.slice(0, 10)) {
    const checked = await earlier.check({}, { userId: u.id, firstName: u.first_name });
    const inputs = { ...(checked.inputs as Record<string, unknown>), __provider: userProvider };
    managed.push({ id: u.id, outs: (await earlier.create(inputs)).outs, inputs });
  }

  host = await startHost({
    cwd: repoRoot,
    env: { WACHT_API_KEY: undefined, WACHT_BASE_URL: undefined },
  });
  await host.configure({ "wacht:apiKey": API_KEY, "wacht:baseUrl": emu.url });
  const h = host;
  const census = await h.check(
    censusUrn,
    {},
    {
      selector: { emailDomains: ["corp.example"] },
      declaredUserIds: [],
      __provider: censusProvider,
    },
  );
  expect(census.failures).toEqual([]);
  emu.clearRequests();
  const [censusRead] = await Promise.all([
    h.read("wacht-user-census", censusUrn, { ...census.inputs, inspected: {} }, census.inputs),
    ...managed.map((m) =>
      h.read(m.id, userUrn(`u${m.id}`), { ...m.outs, __provider: userProvider }, m.inputs),
    ),
  ]);
  expect(censusRead.properties["undeclaredAccounts"]).toEqual([
    expect.objectContaining({ id: EVE }),
  ]);
  const log = calls(emu);
  expect(log.filter((c) => c === "GET /users")).toHaveLength(2);
  expect(log.filter((c) => c !== "GET /users")).toEqual([`GET /users/${EVE}/details`]);
});
