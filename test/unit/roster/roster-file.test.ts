// Roster files (issue 14): the loader validates with the User schema and every problem names the
// file, line and column; secrets are only config references; aliases are parsed; a directory is
// read whole before failing.
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import {
  parseRosterFile,
  RosterError,
  rosterName,
  type RosterProblem,
} from "../../../src/roster/roster-file";
import * as pulumi from "@pulumi/pulumi";
import { readRoster } from "../../../src/roster/read-roster";

const LIMITS = { usernameMinLength: 3, usernameMaxLength: 30 };

function problemsOf(file: string, text: string): RosterProblem[] {
  try {
    parseRosterFile(file, text, LIMITS);
  } catch (err) {
    if (err instanceof RosterError) return [...err.problems];
    throw err;
  }
  throw new Error("expected a RosterError");
}

describe("parseRosterFile", () => {
  it("accepts a valid YAML account and keeps the roster-only keys apart", () => {
    const entry = parseRosterFile(
      "users/ada.yaml",
      [
        "emailAddress: ada@example.com",
        "firstName: Ada",
        "publicMetadata: { kind: admin }",
        "password: { config: adaPassword }",
        "passwordVersion: 1",
        "aliases: [ada-lovelace]",
        "",
      ].join("\n"),
      LIMITS,
    );
    expect(entry).toEqual({
      name: "ada",
      file: "users/ada.yaml",
      args: {
        emailAddress: "ada@example.com",
        firstName: "Ada",
        publicMetadata: { kind: "admin" },
        passwordVersion: 1,
      },
      password: { config: "adaPassword" },
      aliases: ["ada-lovelace"],
    });
  });

  it("accepts JSON, with private metadata as a config reference", () => {
    const entry = parseRosterFile(
      "users/svc.json",
      JSON.stringify(
        { userId: "123456789", privateMetadata: { config: "ops:svcPrivate" } },
        null,
        2,
      ),
      LIMITS,
    );
    expect(entry.name).toBe("svc");
    expect(entry.args).toEqual({ userId: "123456789" });
    expect(entry.privateMetadata).toEqual({ config: "ops:svcPrivate" });
  });

  it("names the line and column of a value the User schema rejects", () => {
    const problems = problemsOf(
      "users/bob.yaml",
      ["emailAddress: bob@example.com", "username: bo", "secondFactorPolicy: always", ""].join(
        "\n",
      ),
    );
    expect(problems).toEqual([
      {
        file: "users/bob.yaml",
        line: 2,
        column: 11,
        message: expect.stringContaining("username must be at least 3 characters"),
      },
      {
        file: "users/bob.yaml",
        line: 3,
        column: 21,
        message: "secondFactorPolicy must be one of: none, optional, enforced",
      },
    ]);
  });

  it("points at the key of an unknown property, with the same reason as check", () => {
    const problems = problemsOf(
      "users/eve.yaml",
      [
        "emailAddress: eve@example.com",
        "publicMetadata:",
        "  kind: admin",
        "fristName: Eve",
        "",
      ].join("\n"),
    );
    expect(problems).toEqual([
      {
        file: "users/eve.yaml",
        line: 4,
        column: 1,
        message: 'unknown property "fristName": wacht.User does not manage it (check the spelling)',
      },
    ]);
  });

  it("refuses a literal password and points at it", () => {
    const problems = problemsOf(
      "users/x.yml",
      ["username: xavier", "password: Hunter2-hunter2", ""].join("\n"),
    );
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatchObject({ file: "users/x.yml", line: 2, column: 11 });
    expect(problems[0]!.message).toContain(
      'password must be a reference to stack config, { config: "<key>" }',
    );
    // The message never repeats the value.
    expect(problems[0]!.message).not.toContain("Hunter2");
  });

  it("reports a JSON syntax error at its position", () => {
    const problems = problemsOf("users/j.json", '{\n  "username": "jay",\n  "disabled": tru\n}\n');
    expect(problems.length).toBeGreaterThan(0);
    expect(problems[0]).toMatchObject({ file: "users/j.json", line: 3 });
  });

  it("reports every YAML syntax error at the parser's line and column, not at 1:1", () => {
    const at = (text: string) =>
      problemsOf("users/broken.yaml", text).map((p) => `${p.line}:${p.column}: ${p.message}`);
    // A reserved character (the example: line 4, column 11).
    expect(
      at("emailAddress: b@example.com\nfirstName: B\nlastName: Roken\nusername: @broken\n"),
    ).toEqual(["4:11: Plain value cannot start with reserved character @"]);
    // An unclosed quote: the parser notices at the end of the file; the message says where it opened.
    expect(at('username: bob\nfirstName: "Bob\nlastName: B\n')).toEqual([
      '4:1: Missing closing "quote (the " quote opened at line 2, column 12 is not closed)',
    ]);
    // An unclosed flow mapping, and an unclosed flow sequence.
    expect(at("username: bob\npublicMetadata: { kind: admin\nlastName: B\n")).toEqual([
      "3:1: Flow map in block collection must be sufficiently indented and end with a } (the { opened at line 2, column 17 is not closed)",
    ]);
    expect(at("username: bob\naliases: [a, b\nlastName: B\n")).toEqual([
      "3:1: Flow sequence in block collection must be sufficiently indented and end with a ] (the [ opened at line 2, column 10 is not closed)",
    ]);
    // Bad indentation: a key indented under a plain value.
    expect(at("username: bob\npublicMetadata:\n  kind: admin\n    team: x\n")).toEqual([
      "3:9: Nested mappings are not allowed in compact mappings",
      "3:9: Implicit keys need to be on a single line",
    ]);
    // A tab as indentation.
    expect(at("username: bob\npublicMetadata:\n\tkind: admin\n")).toEqual([
      "3:1: Tabs are not allowed as indentation",
    ]);
    // A duplicate key, at the second one, naming the first.
    expect(at("username: bob\nfirstName: B\nusername: bobby\n")).toEqual([
      "3:1: Map keys must be unique: username is already given at line 1, column 1",
    ]);
    expect(at("username: bob\npublicMetadata:\n  kind: a\n  kind: b\n")).toEqual([
      "4:3: Map keys must be unique: kind is already given at line 3, column 3",
    ]);
    // Keys are compared as written, and also by value where the value is exact: 0x10 is 16.
    expect(at("username: bob\npublicMetadata:\n  16: a\n  0x10: b\n")).toEqual([
      "4:3: Map keys must be unique: 0x10 is already given at line 3, column 3",
    ]);
  });

  it("parses a .json file as strict JSON: a trailing comma, a comment or a single quote is refused where it is", () => {
    expect(
      problemsOf("users/t.json", '{\n  "username": "tess",\n  "aliases": ["tessa",]\n}\n'),
    ).toEqual([
      {
        file: "users/t.json",
        line: 3,
        column: 23,
        message: "not valid JSON: a value is expected here (no trailing comma)",
      },
    ]);
    expect(problemsOf("users/t.json", '{\n  "username": "tess",\n}\n')).toEqual([
      expect.objectContaining({
        line: 3,
        column: 1,
        message:
          "not valid JSON: a property name in double quotes is expected here (no trailing comma)",
      }),
    ]);
    expect(problemsOf("users/t.json", '// tess\n{"username": "tess"}\n')).toEqual([
      expect.objectContaining({
        line: 1,
        column: 1,
        message: "not valid JSON: JSON has no comments",
      }),
    ]);
    expect(problemsOf("users/t.JSON", "{'username': 'tess'}")).toEqual([
      expect.objectContaining({
        line: 1,
        column: 2,
        message: expect.stringContaining("double quotes"),
      }),
    ]);
    // The same text in a YAML file is YAML, and valid; strict JSON with a BOM is JSON.
    expect(parseRosterFile("users/t.yaml", '{"username": "tess",}', LIMITS).args).toEqual({
      username: "tess",
    });
    expect(parseRosterFile("users/t.json", '\uFEFF{"username": "tess"}', LIMITS).args).toEqual({
      username: "tess",
    });
  });

  it("reports a cross-field rule at the property it names", () => {
    // adopt and userId together: the schema's path is ["adopt"].
    const problems = problemsOf(
      "users/a.yaml",
      ['userId: "42"', "adopt:", "  email: a@example.com", ""].join("\n"),
    );
    expect(problems).toEqual([
      {
        file: "users/a.yaml",
        line: 3,
        column: 3,
        message: "adopt and userId cannot both be set: declare the user by id or by natural key",
      },
    ]);
  });

  it("hints at quoting a numeric userId", () => {
    const problems = problemsOf("users/n.yaml", "userId: 123456789012345678\n");
    expect(problems).toEqual([
      expect.objectContaining({ line: 1, column: 9, message: expect.stringContaining("quote it") }),
    ]);
  });

  it("refuses a document that is not a mapping, and a zod-schema key", () => {
    expect(problemsOf("users/l.yaml", "- a\n- b\n")).toEqual([
      expect.objectContaining({
        line: 1,
        column: 1,
        message: expect.stringContaining("a mapping"),
      }),
    ]);
    expect(problemsOf("users/s.yaml", "username: sam_s\npublicMetadataSchema: {}\n")).toEqual([
      expect.objectContaining({
        line: 2,
        column: 1,
        message: expect.stringContaining("it takes a zod schema"),
      }),
    ]);
  });

  it("derives the resource name from the file name", () => {
    expect(rosterName("a/b/ops-admin.yaml")).toBe("ops-admin");
    expect(rosterName("x.JSON")).toBe("x");
  });
});

describe("readRoster", () => {
  let dir: string;
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), "roster-"));
  });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  it("reads every account file in name order and ignores other files", () => {
    fs.writeFileSync(path.join(dir, "b.yaml"), "username: bravo\n");
    fs.writeFileSync(path.join(dir, "a.json"), '{"username": "alpha"}');
    fs.writeFileSync(path.join(dir, "README.md"), "# accounts\n");
    expect(readRoster(dir, LIMITS).map((e) => [e.name, e.args])).toEqual([
      ["a", { username: "alpha" }],
      ["b", { username: "bravo" }],
    ]);
  });

  it("lists the problems of every file, a duplicate name and an alias that is another file", () => {
    fs.writeFileSync(path.join(dir, "a.yaml"), "username: a\n");
    fs.writeFileSync(path.join(dir, "a.json"), '{"username": "alpha"}');
    fs.writeFileSync(path.join(dir, "c.yaml"), "username: charlie\naliases: [a.json-twin, d]\n");
    fs.writeFileSync(path.join(dir, "d.yaml"), "username: delta\nenabled: true\n");
    let error: unknown;
    try {
      readRoster(dir, LIMITS);
    } catch (err) {
      error = err;
    }
    expect(error).toBeInstanceOf(RosterError);
    const lines = (error as RosterError).message.split("\n");
    expect(lines[0]).toBe("the roster has 3 problems:");
    expect(lines.slice(1).map((l) => l.trim().split(": ")[0])).toEqual([
      `${path.join(dir, "a.yaml")}:1:1`,
      `${path.join(dir, "d.yaml")}:2:1`,
      `${path.join(dir, "c.yaml")}:1:1`,
    ]);
    expect(lines[1]).toContain('the resource name "a" is already given by');
    expect(lines[2]).toContain('unknown property "enabled"');
    expect(lines[3]).toContain('alias "d" is the name of another roster file');
  });

  it("shows a file inside the current directory by its relative path, as the README does", () => {
    // A program runs in its project directory, with the roster in users/ below it.
    const project = fs.realpathSync(dir);
    fs.mkdirSync(path.join(project, "users"));
    fs.writeFileSync(
      path.join(project, "users", "bob.yaml"),
      ["emailAddress: bob@example.com", "username: bobby", "secondFactorPolicy: always", ""].join(
        "\n",
      ),
    );
    const cwd = process.cwd();
    let error: unknown;
    try {
      process.chdir(project);
      readRoster(path.join(project, "users"), LIMITS);
    } catch (err) {
      error = err;
    } finally {
      process.chdir(cwd);
    }
    expect(error).toBeInstanceOf(RosterError);
    expect((error as RosterError).message).toBe(
      "the roster has 1 problem:\n" +
        "  users/bob.yaml:3:21: secondFactorPolicy must be one of: none, optional, enforced",
    );
    // The problem keeps the path it was read from, for scripts.
    expect((error as RosterError).problems[0]!.file).toBe(path.join(project, "users", "bob.yaml"));
  });

  it("works with its documented defaults: Wacht's username limits (3 to 30)", () => {
    fs.writeFileSync(path.join(dir, "a.yaml"), "username: alpha\n");
    expect(readRoster(dir).map((e) => e.args)).toEqual([{ username: "alpha" }]);
    fs.writeFileSync(path.join(dir, "b.yaml"), "username: bo\n");
    expect(() => readRoster(dir)).toThrow("username must be at least 3 characters");
  });

  it("reports every pair of files that declare one account, at each file's key", () => {
    const write = (name: string, text: string) => fs.writeFileSync(path.join(dir, name), text);
    // A copy-paste: the same email in another case.
    write("ada.yaml", "firstName: Ada\nemailAddress: ada@example.com\n");
    write("ada-copy.yaml", "emailAddress: Ada@Example.com\nfirstName: Ada\n");
    // The same username three times: every file names the two others.
    write("u1.yaml", "username: ops\n");
    write("u2.json", '{\n  "firstName": "O",\n  "username": "ops"\n}\n');
    write("u3.yaml", "adopt: { username: ops }\n");
    // The same id, written with a leading zero; adopting an email another file creates.
    write("id1.yaml", 'userId: "42"\n');
    write("id2.yaml", 'firstName: X\nuserId: "042"\n');
    write("grace.yaml", "adopt:\n  email: grace@example.com\n");
    write("grace2.yaml", "emailAddress: GRACE@example.com\n");
    // Different accounts: no problem.
    write("zed.yaml", "emailAddress: zed@example.com\nusername: zed\n");
    let error: unknown;
    try {
      readRoster(dir);
    } catch (err) {
      error = err;
    }
    expect(error).toBeInstanceOf(RosterError);
    const f = (name: string) => path.join(dir, name);
    expect(
      (error as RosterError).problems.map(
        (p) => `${path.basename(p.file)}:${p.line}:${p.column}: ${p.message}`,
      ),
    ).toEqual([
      `ada-copy.yaml:1:15: emailAddress ada@example.com is also declared by ${f("ada.yaml")}:2:15: one file per account (a copied file would create or claim the same account twice)`,
      `ada.yaml:2:15: emailAddress ada@example.com is also declared by ${f("ada-copy.yaml")}:1:15: one file per account (a copied file would create or claim the same account twice)`,
      `grace.yaml:2:10: adopt.email grace@example.com is also declared by ${f("grace2.yaml")}:1:15: one file per account (a copied file would create or claim the same account twice)`,
      `grace2.yaml:1:15: emailAddress grace@example.com is also declared by ${f("grace.yaml")}:2:10: one file per account (a copied file would create or claim the same account twice)`,
      `id1.yaml:1:9: userId 42 is also declared by ${f("id2.yaml")}:2:9: one file per account (a copied file would create or claim the same account twice)`,
      `id2.yaml:2:9: userId 42 is also declared by ${f("id1.yaml")}:1:9: one file per account (a copied file would create or claim the same account twice)`,
      `u1.yaml:1:11: username ops is also declared by ${f("u2.json")}:3:15, ${f("u3.yaml")}:1:20: one file per account (a copied file would create or claim the same account twice)`,
      `u2.json:3:15: username ops is also declared by ${f("u1.yaml")}:1:11, ${f("u3.yaml")}:1:20: one file per account (a copied file would create or claim the same account twice)`,
      `u3.yaml:1:20: adopt.username ops is also declared by ${f("u1.yaml")}:1:11, ${f("u2.json")}:3:15: one file per account (a copied file would create or claim the same account twice)`,
    ]);
  });

  it("is a Pulumi RunError, so a program prints its message alone, once, without a stack", () => {
    fs.writeFileSync(path.join(dir, "b.yaml"), "username: b\n");
    let error: unknown;
    try {
      readRoster(dir);
    } catch (err) {
      error = err;
    }
    expect(error).toBeInstanceOf(RosterError);
    expect(pulumi.RunError.isInstance(error)).toBe(true);
  });

  it("names the directory it cannot read", () => {
    expect(() => readRoster(path.join(dir, "missing"), LIMITS)).toThrow(
      `cannot read the roster directory ${path.join(dir, "missing")}`,
    );
  });
});

describe("examples/gitops/users", () => {
  it("is a valid roster: every example account loads", () => {
    const dir = path.resolve(__dirname, "..", "..", "..", "examples", "gitops", "users");
    const entries = readRoster(dir, LIMITS);
    expect(entries.map((e) => e.name)).toEqual(["ada", "deploy-bot", "grace"]);
    expect(entries[0]!.password).toEqual({ config: "adaPassword" });
    expect(entries[0]!.aliases).toEqual(["ada-lovelace"]);
  });
});
