// Roster files that declare their account's memberships (issue #22 part 6): `organizations:` and
// `workspaces:` map ids to role names; every problem names the file, line and column, like every
// other roster key; loadRoster declares one membership per id, a child of the file's user, named
// `<file>@<id>`, and returns the `<organizationId>/<userId>` pairs for the census.
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import * as pulumi from "@pulumi/pulumi";
import { captureRegistration } from "../../helpers/capture";
import { loadRoster, RosterError } from "../../../src";
import { parseRosterFile, type RosterProblem } from "../../../src/roster/roster-file";

jest.setTimeout(30_000);

const LIMITS = { usernameMinLength: 3, usernameMaxLength: 30 };
const ORG = "540000000000000001";
const ORG2 = "540000000000000002";
const WS = "540000000000000011";
const ADA = "310000000000000001";

function problemsOf(file: string, text: string): Omit<RosterProblem, "file">[] {
  try {
    parseRosterFile(file, text, LIMITS);
  } catch (err) {
    if (err instanceof RosterError) return err.problems.map(({ file: _f, ...p }) => p);
    throw err;
  }
  throw new Error("expected a RosterError");
}

describe("organizations: and workspaces: in a roster file", () => {
  it("parses role names by id, keeping an unquoted 18-digit id exact and leaving the User args alone", () => {
    const entry = parseRosterFile(
      "users/ada.yaml",
      [
        "username: ada",
        "organizations:",
        `  ${ORG}: [Admin]`, // a YAML number: its value lost digits, the text did not
        `  "${ORG2}": [Member, Billing]`,
        "workspaces:",
        `  "${WS}": [Member]`,
        "",
      ].join("\n"),
      LIMITS,
    );
    expect(entry.args).toEqual({ username: "ada" });
    expect(entry.memberships).toEqual({
      organizations: { [ORG]: ["Admin"], [ORG2]: ["Member", "Billing"] },
      workspaces: { [WS]: ["Member"] },
    });
  });

  it("reads two different unquoted 18-digit ids as two ids, though their YAML numbers are equal", () => {
    // As numbers both are 540000000000000000: the parser's duplicate-key check compared those.
    expect(Number(ORG)).toBe(Number(ORG2));
    const entry = parseRosterFile(
      "users/x.yaml",
      ["username: xavier", "organizations:", `  ${ORG}: [Admin]`, `  ${ORG2}: [Member]`, ""].join(
        "\n",
      ),
      LIMITS,
    );
    expect(entry.memberships).toEqual({
      organizations: { [ORG]: ["Admin"], [ORG2]: ["Member"] },
    });
    const flow = parseRosterFile(
      "users/y.yaml",
      `username: yves\nworkspaces: { ${WS}: [Member], 540000000000000012: [Admin] }\n`,
      LIMITS,
    );
    expect(flow.memberships).toEqual({
      workspaces: { [WS]: ["Member"], "540000000000000012": ["Admin"] },
    });
  });

  it("still refuses the same unquoted id twice, at the second, naming the first as written", () => {
    expect(
      problemsOf(
        "users/x.yaml",
        [
          "username: xavier", // 1
          "organizations:", // 2
          `  ${ORG}: [Admin]`, // 3
          `  ${ORG2}: [Member]`, // 4
          `  ${ORG}: [Billing]`, // 5: the id of line 3 again
          "",
        ].join("\n"),
      ),
    ).toEqual([
      {
        line: 5,
        column: 3,
        message: `Map keys must be unique: ${ORG} is already given at line 3, column 3`,
      },
    ]);
    // Written differently, one id: our own check names it (as for "042" and "42").
    expect(
      problemsOf(
        "users/x.yaml",
        ["username: xavier", "organizations:", `  ${ORG}: [Admin]`, `  0${ORG}: [Member]`, ""].join(
          "\n",
        ),
      ),
    ).toEqual([
      {
        line: 4,
        column: 3,
        message: `organizations: organization ${ORG} is already given at line 3, column 3: list each organization once, with all its roles`,
      },
    ]);
  });

  it("accepts JSON and canonical ids, and a file without memberships has none", () => {
    const entry = parseRosterFile(
      "users/bot.json",
      JSON.stringify({ username: "deploy-bot", organizations: { [`0${ORG}`]: ["Admin"] } }),
      LIMITS,
    );
    expect(entry.memberships).toEqual({ organizations: { [ORG]: ["Admin"] } });
    expect(parseRosterFile("users/cal.yaml", "username: cal\n", LIMITS)).not.toHaveProperty(
      "memberships",
    );
  });

  it("names every bad id, list and role at its line and column, with what to write", () => {
    const problems = problemsOf(
      "users/bad.yaml",
      [
        "username: bad", // 1
        "organizations:", // 2
        "  acme: [Admin]", // 3: not an id
        `  "${ORG}": []`, // 4: empty list
        `  "0${ORG}": [Member]`, // 5: the same organization again
        `  "${ORG2}": Admin`, // 6: not a list
        "workspaces:", // 7
        `  "${WS}": [Member, "", Member]`, // 8: empty name, a name twice
        "",
      ].join("\n"),
    );
    expect(problems).toEqual([
      {
        line: 3,
        column: 3,
        message: `organizations: "acme" is not an organization id: give the organization's Wacht id, a decimal int64 such as "540000000000000001"`,
      },
      {
        line: 4,
        column: 25,
        message: `organizations.${ORG} lists no role: give at least one role name, e.g. [Member] (the list is the membership's whole role set)`,
      },
      {
        line: 5,
        column: 3,
        message: `organizations: organization ${ORG} is already given at line 4, column 3: list each organization once, with all its roles`,
      },
      {
        line: 6,
        column: 25,
        message: `organizations.${ORG2} must be a list of role names, e.g. [Admin]`,
      },
      {
        line: 8,
        column: 34,
        message: `workspaces.${WS}: a role is named by a non-empty string, e.g. Admin`,
      },
      { line: 8, column: 38, message: `workspaces.${WS} names the role Member twice` },
    ]);
  });

  it("refuses a value that is not a mapping, at the value", () => {
    expect(problemsOf("users/x.yaml", `username: xyz\norganizations: [${ORG}]\n`)).toEqual([
      {
        line: 2,
        column: 16,
        message: `organizations must be a mapping of organization id to role names, e.g. organizations: { "540000000000000001": [Admin] }`,
      },
    ]);
  });
});

describe("loadRoster declares the memberships", () => {
  let dir: string;
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), "roster-memberships-"));
  });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  function urnOf(r: pulumi.Resource): Promise<string> {
    return new Promise((resolve) => r.urn.apply((u) => resolve(u)));
  }

  it("one membership per id, a child of the file's user named <file>@<id>, and the census pairs", async () => {
    fs.writeFileSync(
      path.join(dir, "ada.yaml"),
      [
        `userId: "${ADA}"`,
        "organizations:",
        `  "${ORG}": [Admin]`,
        "workspaces:",
        `  "${WS}": [Member]`,
        "",
      ].join("\n"),
    );
    fs.writeFileSync(path.join(dir, "cal.yaml"), "username: cal\n");
    let roster: ReturnType<typeof loadRoster> | undefined;
    const captured = await captureRegistration(
      () => {
        roster = loadRoster(dir);
        return [
          ...Object.values(roster.users),
          ...Object.values(roster.organizationMemberships),
          ...Object.values(roster.workspaceMemberships),
        ];
      },
      { project: "gitops" },
    );
    const byName = Object.fromEntries(captured.map((c) => [c.name, c]));
    expect(Object.keys(byName).sort()).toEqual(["ada", `ada@${ORG}`, `ada@${WS}`, "cal"]);
    expect(byName[`ada@${ORG}`]).toMatchObject({
      type: "pulumi-nodejs:dynamic/wacht:OrganizationMembership",
      inputs: { organizationId: ORG, userId: ADA, roles: ["Admin"] },
    });
    expect(byName[`ada@${WS}`]).toMatchObject({
      type: "pulumi-nodejs:dynamic/wacht:WorkspaceMembership",
      inputs: { workspaceId: WS, userId: ADA, roles: ["Member"] },
    });
    // Children of the user: deleting the file deletes them first.
    expect(await urnOf(roster!.organizationMemberships[`ada@${ORG}`]!)).toBe(
      `urn:pulumi:test::gitops::pulumi-nodejs:dynamic/wacht:User$pulumi-nodejs:dynamic/wacht:OrganizationMembership::ada@${ORG}`,
    );
    const pairs = await new Promise<string[]>((resolve) =>
      roster!.memberships.apply((p) => resolve(p)),
    );
    expect(pairs).toEqual([`${ORG}/${ADA}`]);
  });
});
