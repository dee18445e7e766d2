// loadRoster under pulumi.runtime mocks (no sockets): one wacht.User per file named after it,
// secrets read from stack config as secrets, aliases from the file, a relative profileImage
// resolved against the roster directory, and nothing declared when a file is invalid.
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import type * as pulumi from "@pulumi/pulumi";
import { captureRegistration } from "../../helpers/capture";
import { loadRoster, RosterError, type User } from "../../../src";

jest.setTimeout(30_000);

let dir: string;
beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), "load-roster-"));
});
afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

function aliasUrns(user: User): Promise<string[]> {
  const aliases = (user as unknown as { __aliases?: pulumi.Input<string>[] }).__aliases ?? [];
  return Promise.all(
    aliases.map(
      (a) =>
        new Promise<string>((resolve) => {
          (a as pulumi.Output<string>).apply((u) => {
            resolve(u);
            return u;
          });
        }),
    ),
  );
}

it("declares one User per file with secrets from config, aliases and a resolved image path", async () => {
  fs.writeFileSync(
    path.join(dir, "ada.yaml"),
    [
      "emailAddress: ada@example.com",
      "password: { config: adaPassword }",
      "privateMetadata: { config: ops:adaPrivate }",
      "profileImage: img/ada.png",
      "aliases: [ada-lovelace]",
      "",
    ].join("\n"),
  );
  fs.writeFileSync(path.join(dir, "bot.json"), '{"username": "deploy-bot"}');
  let roster: ReturnType<typeof loadRoster> | undefined;
  const captured = await captureRegistration(
    () => {
      roster = loadRoster(dir);
      return Object.values(roster.users);
    },
    {
      project: "gitops",
      config: {
        "gitops:adaPassword": "Correct-horse-1",
        "ops:adaPrivate": '{"vault":"kv/ada"}',
      },
      secretKeys: ["gitops:adaPassword", "ops:adaPrivate"],
    },
  );
  const byName = Object.fromEntries(captured.map((c) => [c.name, c]));
  expect(Object.keys(byName).sort()).toEqual(["ada", "bot"]);
  expect(byName["ada"]!.type).toBe("pulumi-nodejs:dynamic/wacht:User");
  expect(byName["ada"]!.inputs).toMatchObject({
    emailAddress: "ada@example.com",
    password: "Correct-horse-1",
    privateMetadata: { vault: "kv/ada" },
    profileImage: path.join(dir, "img", "ada.png"),
  });
  expect(byName["ada"]!.secretInputs).toEqual(
    expect.arrayContaining(["password", "privateMetadata"]),
  );
  expect(byName["bot"]!.inputs).toMatchObject({ username: "deploy-bot" });
  expect(byName["bot"]!.inputs).not.toHaveProperty("aliases");
  expect(await aliasUrns(roster!.users["ada"]!)).toEqual([
    "urn:pulumi:test::gitops::pulumi-nodejs:dynamic/wacht:User::ada-lovelace",
  ]);
  expect(await aliasUrns(roster!.users["bot"]!)).toEqual([]);
});

it("throws the RosterError before declaring anything", async () => {
  fs.writeFileSync(path.join(dir, "a.yaml"), "username: alpha\n");
  fs.writeFileSync(path.join(dir, "b.yaml"), "username: b\n");
  const captured: unknown[] = [];
  let error: unknown;
  try {
    captured.push(
      ...(await captureRegistration(() => {
        try {
          loadRoster(dir);
        } catch (err) {
          error = err;
        }
      })),
    );
  } catch (err) {
    error = err;
  }
  expect(error).toBeInstanceOf(RosterError);
  expect((error as RosterError).problems).toEqual([
    expect.objectContaining({ file: path.join(dir, "b.yaml"), line: 1, column: 11 }),
  ]);
  expect(captured).toEqual([]);
});

it("names every missing config reference at once, each at its file, line and column", async () => {
  fs.writeFileSync(
    path.join(dir, "ada.yaml"),
    "username: ada\npassword: { config: adaPassword }\n",
  );
  fs.writeFileSync(
    path.join(dir, "zed.yaml"),
    "username: zed\npassword: { config: zedPassword }\nprivateMetadata:\n  config: ops:zedPrivate\n",
  );
  fs.writeFileSync(
    path.join(dir, "bot.json"),
    '{\n  "username": "deploy-bot",\n  "privateMetadata": { "config": "ops:botPrivate" }\n}\n',
  );
  let error: unknown;
  const captured = await captureRegistration(
    () => {
      try {
        loadRoster(dir);
      } catch (err) {
        error = err;
      }
    },
    {
      project: "proj",
      config: { "proj:adaPassword": "Correct-horse-1", "ops:botPrivate": "{not json PRIVATE" },
      secretKeys: ["proj:adaPassword", "ops:botPrivate"],
    },
  );
  expect(captured).toEqual([]);
  expect(error).toBeInstanceOf(RosterError);
  expect((error as RosterError).problems).toEqual([
    {
      file: path.join(dir, "bot.json"),
      line: 3,
      column: 34,
      message:
        "privateMetadata: the stack config ops:botPrivate is not JSON: set it to the JSON private metadata (the value is not shown)",
    },
    {
      file: path.join(dir, "zed.yaml"),
      line: 2,
      column: 21,
      message:
        "password: the stack config proj:zedPassword is not set: run `pulumi config set --secret zedPassword <value>`",
    },
    {
      file: path.join(dir, "zed.yaml"),
      line: 4,
      column: 11,
      message:
        "privateMetadata: the stack config ops:zedPrivate is not set: run `pulumi config set --secret ops:zedPrivate <JSON>`",
    },
  ]);
  expect((error as RosterError).message).toMatch(/^the roster has 3 problems:\n/);
  expect((error as RosterError).message).not.toContain("PRIVATE");
});

it("reads the username limits from wacht config", async () => {
  fs.writeFileSync(path.join(dir, "a.yaml"), "username: ab\n");
  let error: unknown;
  await captureRegistration(
    () => {
      try {
        loadRoster(dir);
      } catch (err) {
        error = err;
      }
    },
    { config: { "wacht:usernameMinLength": "2" } },
  );
  expect(error).toBeUndefined();
  // The same file with Wacht's default minimum (3) is refused.
  await captureRegistration(() => {
    try {
      loadRoster(dir);
    } catch (err) {
      error = err;
    }
  });
  expect(error).toBeInstanceOf(RosterError);
  expect((error as RosterError).message).toContain("username must be at least 3 characters");
});

it("applies the roster's onDelete to every file that does not give its own", async () => {
  fs.writeFileSync(path.join(dir, "ada.yaml"), "emailAddress: ada@example.com\n");
  fs.writeFileSync(path.join(dir, "ops.yaml"), 'userId: "42"\n');
  fs.writeFileSync(path.join(dir, "bot.yaml"), "username: deploy-bot\nonDelete: delete\n");
  const captured = await captureRegistration(() =>
    Object.values(loadRoster(dir, { onDelete: "disable" }).users),
  );
  const onDelete = Object.fromEntries(captured.map((c) => [c.name, c.inputs["onDelete"]]));
  expect(onDelete).toEqual({ ada: "disable", ops: "disable", bot: "delete" });
  // Without the option, each user keeps its own default (the provider's: delete or retain).
  const plain = await captureRegistration(() => Object.values(loadRoster(dir).users));
  expect(plain.find((c) => c.name === "ada")!.inputs["onDelete"]).toBeUndefined();
});

it("refuses an onDelete option that is not a policy, naming the choices", () => {
  expect(() => loadRoster(dir, { onDelete: "archive" as never })).toThrow(
    'loadRoster: onDelete must be one of retain, disable, delete (got "archive")',
  );
});
