jest.setTimeout(300_000);

// The census's messages through the real CLI: one run says one consistent thing, once. A refresh
// also calls diff, against the declaration recorded in state; after the program switched
// `undeclared` from "report" to "disable" that recorded declaration is stale, and its warning
// ("`pulumi up` will fail until …") contradicted the plan's ("`pulumi up` will disable them").
import { expectSuccess, stage, type Stage } from "./helpers/fixtures";

const ADA = "320000000000000011";
const MALLORY = "320000000000000012";
const TRUDY = "320000000000000013";

const program = (undeclared: "report" | "disable"): string => `
const wacht = require("pulumi-wacht");
const ada = new wacht.User("ada", { userId: "${ADA}", firstName: "Ada" });
new wacht.UserCensus("admins", {
  selector: { all: true },
  declaredUserIds: [ada.userId],
  undeclared: "${undeclared}",
});
`;

/** The census warnings of the Diagnostics section (the summary of what a run without --diff said). */
function censusWarnings(stdout: string): string[] {
  const diagnostics = stdout.slice(stdout.indexOf("Diagnostics:"));
  return diagnostics
    .split("\n")
    .filter((l) => /warning: wacht\.UserCensus "admins": \d+ undeclared/.test(l));
}

describe("census messages through the real CLI", () => {
  let s: Stage;
  afterAll(async () => s?.close());

  test("report → disable: `up --refresh` says once that it will disable them, then does", async () => {
    s = await stage({
      program: program("report"),
      seed: [{ id: ADA, first_name: "Ada", last_name: "L", email: "ada@corp.example" }],
    });
    expectSuccess(await s.project.run(["up", "--yes", "--non-interactive"]));

    s.emulator.users.seed([{ id: MALLORY, email: "mallory@corp.example", username: "mallory" }]);
    s.project.setProgram(program("disable"));
    const up = expectSuccess(
      await s.project.run(["up", "--refresh", "--yes", "--skip-preview", "--non-interactive"]),
    );
    const warnings = censusWarnings(up.stdout);
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toContain(`1 undeclared account: ${MALLORY} (mallory@corp.example`);
    expect(warnings[0]).toContain("`pulumi up` will disable them (never delete).");
    expect(up.all).not.toContain("will fail until");
    // Attached to the census, at info severity (its resource's Diagnostics).
    expect(up.stdout).toMatch(
      new RegExp(
        `pulumi-nodejs:dynamic/wacht:UserCensus \\(admins\\):\\n(?:\\s+.*\\n)*?\\s+wacht\\.UserCensus "admins": disabled 1 undeclared account: ${MALLORY}`,
      ),
    );
    expect(s.emulator.users.get(MALLORY)?.user.disabled).toBe(true);
  });

  test("the drift check (`preview --refresh --diff`) warns once", async () => {
    s.emulator.users.seed([{ id: TRUDY, email: "trudy@corp.example", username: "trudy" }]);
    const preview = expectSuccess(
      await s.project.run(["preview", "--refresh", "--diff", "--non-interactive"]),
    );
    // With --diff (as the drift workflow runs it) the CLI prints the warnings on stderr.
    const warnings = preview.stderr
      .split("\n")
      .filter((l) => l.includes('wacht.UserCensus "admins": '));
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toContain(`1 undeclared account: ${TRUDY} (trudy@corp.example`);
    expect(warnings[0]).toContain("`pulumi up` will disable them (never delete).");
    expect(s.emulator.users.get(TRUDY)?.user.disabled).toBe(false);
  });
});
