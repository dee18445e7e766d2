jest.setTimeout(600_000);

// A package upgrade as users do it: the state is written by one packed version, then the program
// runs with another packed version whose code differs. The serialized provider loads the package
// by name (docs/decisions/0003-provider-shim.md), so its text does not change: no spurious diff,
// and the NEW code runs for refresh, update and delete (pulumi/pulumi#12401 is the failure mode).
import * as fs from "node:fs";
import { startEmulator, type EmulatorHandle } from "../../src/emulator";
import { E2E_API_KEY, writes } from "./helpers/fixtures";
import { install, packTwoVersions, programWith, type TwoVersions } from "./helpers/packages";
import { E2eProject } from "./helpers/project";

const USER_ID = "310000000000000031";
const program = `
const wacht = require("pulumi-wacht");
new wacht.User("svc-upgrade", { userId: "${USER_ID}", firstName: "Up", lastName: "Grade", onDelete: "disable" });
`;

describe("upgrading the package between runs", () => {
  let versions: TwoVersions;
  let programDir: string;
  let emulator: EmulatorHandle;
  let project: E2eProject;

  beforeAll(async () => {
    versions = await packTwoVersions("0.1.1-e2e.1");
    programDir = await programWith(versions.first.tarball, "3.248.0");
    emulator = await startEmulator({
      apiKey: E2E_API_KEY,
      seed: [{ id: USER_ID, first_name: "up", last_name: "old", email: "svc-upgrade@example.com" }],
    });
    project = await E2eProject.create({ program, nodeModulesFrom: programDir });
    await project.config("wacht:apiKey", E2E_API_KEY, true);
    await project.config("wacht:baseUrl", emulator.url);
  }, 600_000);
  afterAll(async () => {
    await emulator?.close();
    project?.remove();
    for (const d of [versions?.dir, programDir])
      if (d) fs.rmSync(d, { recursive: true, force: true });
  });

  const agents = () => [...new Set(emulator.requests().map((e) => e.userAgent ?? ""))];

  test("state from one version, a run with the next: no diff, and the new code runs", async () => {
    const first = await project.run(["up", "--yes", "--non-interactive"]);
    expect(first.code).toBe(0);
    expect(agents()).toEqual([expect.stringContaining(`pulumi-wacht/${versions.first.version}`)]);
    const providerBefore = (await project.exportState()).deployment.resources.find((r) =>
      r.urn.endsWith("::svc-upgrade"),
    )?.inputs?.__provider;

    await install(programDir, [versions.second.tarball]);
    emulator.clearRequests();
    const preview = await project.run(["preview", "--expect-no-changes", "--non-interactive"]);
    expect(preview.code).toBe(0);
    expect(writes(emulator.requests())).toEqual([]);

    emulator.users.patch(USER_ID, { last_name: "Drifted" });
    emulator.clearRequests();
    const up = await project.run(["up", "--refresh", "--yes", "--non-interactive"]);
    expect(up.code).toBe(0);
    expect(up.stdout).toMatch(/~ 1 updated/);
    expect(agents()).toEqual([expect.stringContaining(`pulumi-wacht/${versions.second.version}`)]);
    const providerAfter = (await project.exportState()).deployment.resources.find((r) =>
      r.urn.endsWith("::svc-upgrade"),
    )?.inputs?.__provider;
    expect(providerAfter).toBe(providerBefore);

    emulator.clearRequests();
    const destroy = await project.run(["destroy", "--yes", "--non-interactive"]);
    expect(destroy.code).toBe(0);
    expect(emulator.users.get(USER_ID)!.user.disabled).toBe(true);
    expect(agents()).toEqual([expect.stringContaining(`pulumi-wacht/${versions.second.version}`)]);
  });
});
