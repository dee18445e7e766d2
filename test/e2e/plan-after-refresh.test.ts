jest.setTimeout(300_000);

// What a reviewer reads in a PR's plan (`pulumi preview --refresh --diff`, examples/gitops) after
// the stack was refreshed: only what the declaration changes. A refresh's inputs are rebuilt from
// the state, so every declared value that no request reads back (create-only parts, check-only
// settings) must be in the state, or the plan would show it as newly added (`+ emailAddress`).
// A moved expiry alone is a visible change that costs no request.
import { expectSuccess, stage, writes, type Stage } from "./helpers/fixtures";

const program = `
const pulumi = require("@pulumi/pulumi");
const wacht = require("pulumi-wacht");
const { z } = require("zod");
const cfg = new pulumi.Config();
new wacht.User("contractor", {
  emailAddress: "contractor@example.com",
  firstName: cfg.get("firstName") ?? "Casey",
  lastName: "Contractor",
  password: cfg.requireSecret("password"),
  passwordVersion: 1,
  disableAfter: cfg.get("disableAfter") ?? "2099-01-01T00:00:00Z",
  allowLockout: true,
  publicMetadata: { kind: "contractor" },
  publicMetadataSchema: z.object({ kind: z.string() }),
});
new wacht.User("svc-bot", {
  username: "svc-bot-plan",
  emailAddress: "svc-bot-plan@example.com",
  firstName: cfg.get("firstName") ?? "Casey",
  lastName: "Bot",
  skipPasswordCheck: true,
  onConflict: "fail",
});
new wacht.User("svc-quiet", { username: "svc-quiet-plan", emailAddress: "svc-quiet@example.com", firstName: "Q", lastName: "Bot", skipPasswordCheck: true });
`;

describe("a plan after a refresh shows only what the declaration changes", () => {
  let s: Stage;

  beforeAll(async () => {
    s = await stage({ program });
    await s.project.config("password", "Pw-e2e-Contractor-Horse-71!", true);
    expectSuccess(await s.project.run(["up", "--yes"]));
    const refresh = expectSuccess(await s.project.run(["refresh", "--yes"]));
    expect(refresh.all).not.toMatch(/\[diff: /); // the refresh's inputs are the declaration's
  });
  afterAll(async () => s.close());

  it("a renamed user: `~ firstName`, and no declared value shown as added", async () => {
    await s.project.config("firstName", "Casey2");
    const preview = await s.project.run(["preview", "--refresh", "--diff"]);
    expectSuccess(preview);
    expect(preview.all).toMatch(/~ firstName\s*: "Casey" => "Casey2"/);
    expect(preview.all).toMatch(/wacht:User::svc-bot\]/); // its plan too
    for (const key of [
      "emailAddress",
      "allowLockout",
      "disableAfter",
      "publicMetadataSchema",
      "skipPasswordCheck",
      "onConflict",
      "passwordHandle",
    ]) {
      expect(preview.all).not.toMatch(new RegExp(`[+~-] ${key}\\b`));
    }
    await s.project.config("firstName", "Casey");
  });

  it("a moved expiry is shown (`~ disableAfter`) and applied with no request", async () => {
    await s.project.config("disableAfter", "2098-06-30T00:00:00Z");
    const preview = await s.project.run(["preview", "--diff", "--expect-no-changes"]);
    expect(preview.code).not.toBe(0); // a change a reviewer must see
    expect(preview.all).toMatch(
      /~ disableAfter\s*: "2099-01-01T00:00:00Z" => "2098-06-30T00:00:00Z"/,
    );
    const before = s.emulator.requests().length;
    expectSuccess(await s.project.run(["up", "--yes"]));
    expect(writes(s.emulator.requests().slice(before))).toEqual([]);
    const next = await s.project.run(["preview", "--expect-no-changes"]);
    expect(next.code).toBe(0);
  });
});
