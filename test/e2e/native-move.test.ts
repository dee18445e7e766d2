// Moving over (issue #18 part 7): a TypeScript stack moves a user from the dynamic
// `pulumi-nodejs:dynamic/wacht:User` to the native `wacht:index:User` without touching it. The old
// entry is dropped with `pulumi state delete` (nothing is called), and the new resource takes the
// user over with the `import` resource option (a Read and a Diff, no write); from then on it is a
// plain declaration by userId. The native provider here is the default one, configured from the
// stack's wacht:* config. The program registers wacht:index:User as a plain CustomResource, as
// the generated Node.js SDK does.
import * as path from "node:path";
import { expectSuccess, stage, writes, type Stage } from "./helpers/fixtures";
import { REPO_ROOT } from "./helpers/project";

jest.setTimeout(240_000);

const PULUMI_YAML = `name: wacht-move
runtime: nodejs
plugins:
  providers:
    - name: wacht
      path: ${path.join(REPO_ROOT, "plugin")}
`;

const FIELDS = `firstName: "Alice", lastName: "Liddell", publicMetadata: { team: "platform" }`;

const DYNAMIC = `
const wacht = require("pulumi-wacht");
const alice = new wacht.User("alice", {
  emailAddress: "alice@example.com", password: "Pa55word!move", ${FIELDS},
});
exports.aliceId = alice.userId;
`;

/** The native declaration; `importId` adds the import option (the move's one run). */
function native(userId: string, importId?: string): string {
  const opts = importId === undefined ? "{}" : `{ import: "${importId}" }`;
  return `
const pulumi = require("@pulumi/pulumi");
const alice = new pulumi.CustomResource("wacht:index:User", "alice", {
  userId: "${userId}", ${FIELDS},
}, ${opts});
exports.aliceId = alice.id;
`;
}

let s: Stage;

beforeAll(async () => {
  s = await stage({
    program: DYNAMIC,
    projectName: "wacht-move",
    files: { "Pulumi.yaml": PULUMI_YAML },
  });
});

afterAll(async () => {
  await s?.close();
});

test("a user managed by the dynamic resource moves to wacht:index:User with no write to it", async () => {
  expectSuccess(await s.project.run(["up", "--yes", "--skip-preview"]));
  const { deployment } = await s.project.exportState();
  const old = deployment.resources.find((r) => r.type === "pulumi-nodejs:dynamic/wacht:User");
  const userId = String(old?.outputs?.["userId"]);
  expect(userId).toMatch(/^\d+$/);

  s.emulator.clearRequests();
  expectSuccess(await s.project.run(["state", "delete", old!.urn, "--yes"]));
  s.project.setProgram(native(userId, userId));
  const moved = expectSuccess(await s.project.run(["up", "--yes", "--skip-preview"]));
  expect(moved.stdout).toMatch(/= 1 imported/);
  expect(writes(s.emulator.requests())).toEqual([]);

  s.project.setProgram(native(userId));
  expectSuccess(await s.project.run(["preview", "--expect-no-changes"]));
  const after = await s.project.exportState();
  const types = after.deployment.resources.map((r) => r.type);
  expect(types).toContain("wacht:index:User");
  expect(types).not.toContain("pulumi-nodejs:dynamic/wacht:User");
  expect(s.emulator.users.get(userId)?.user).toMatchObject({ first_name: "Alice" });
});
