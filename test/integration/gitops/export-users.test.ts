// Export (issue 14) against the emulator: the files it writes are accepted by the roster loader
// and, declared through the User provider, make ZERO write requests on the first `up` (create
// with userId). Private metadata only as a config reference. The CLI reads the same env as the
// client and writes the same files.
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import * as YAML from "yaml";
import { WachtClient } from "../../../src/client";
import { startEmulator, type EmulatorHandle, type SeedUser } from "../../../src/emulator";
import { runCli } from "../../../src/cli/run-cli";
import { exportUsers } from "../../../src/export/export-users";
import { readRoster } from "../../../src/roster/read-roster";
import { closedLoopbackUrl } from "../../helpers/closed-port";
import { calls, configuredProvider } from "../../helpers/provider";

const KEY = "sk_test_export_key_0000000000000000000000000000000";
const ADA = "330000000000000001";
const BOB = "330000000000000002";
const CAL = "330000000000000003";
const LIMITS = { usernameMinLength: 3, usernameMaxLength: 30 };
const seed: SeedUser[] = [
  {
    id: ADA,
    first_name: "Ada",
    last_name: "Lovelace",
    username: "ada",
    email: "ada@corp.example",
    public_metadata: { kind: "admin", teams: ["infra", "sec"] },
    private_metadata: { vault: "PRIVATE-kv/ada" },
    second_factor_policy: "enforced",
    has_backup_codes: true,
  },
  {
    id: BOB,
    first_name: "",
    last_name: "",
    email: "bob.builder@corp.example",
    disabled: true,
    public_metadata: { kind: "service" },
  },
  {
    id: CAL,
    first_name: "Cal",
    username: "cal",
    email: "cal@gmail.example",
    public_metadata: { kind: "customer" },
  },
];

let emulator: EmulatorHandle;
let client: WachtClient;
let dir: string;

beforeAll(async () => {
  emulator = await startEmulator({ port: 0, apiKey: KEY, seed });
  client = new WachtClient({ apiKey: KEY, baseUrl: emulator.url });
});
afterAll(async () => emulator.close());
beforeEach(() => {
  emulator.reset();
  dir = fs.mkdtempSync(path.join(os.tmpdir(), "wacht-export-"));
});
afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

it("writes one YAML file per selected user; the loader reads them; never private data", async () => {
  const result = await exportUsers(client, {
    select: { publicMetadata: { key: "kind", in: ["admin", "service"] } },
    outDir: dir,
  });
  expect(result.users).toEqual([
    { name: "ada", userId: ADA },
    { name: "bob-builder", userId: BOB },
  ]);
  expect(fs.readdirSync(dir).sort()).toEqual(["ada.yaml", "bob-builder.yaml"]);
  const text = fs.readFileSync(path.join(dir, "ada.yaml"), "utf8");
  expect(text).not.toContain("PRIVATE");
  expect(text).not.toContain("privateMetadata");
  const entries = readRoster(dir, LIMITS);
  expect(entries.map((e) => [e.name, e.args])).toEqual([
    [
      "ada",
      {
        userId: ADA,
        firstName: "Ada",
        lastName: "Lovelace",
        username: "ada",
        disabled: false,
        secondFactorPolicy: "enforced",
        publicMetadata: { kind: "admin", teams: ["infra", "sec"] },
      },
    ],
    // Empty names are left out (Wacht cannot clear a name); no username, so none is declared.
    [
      "bob-builder",
      {
        userId: BOB,
        disabled: true,
        secondFactorPolicy: "optional",
        publicMetadata: { kind: "service" },
      },
    ],
  ]);
});

it("the first up over exported files makes 0 write requests", async () => {
  await exportUsers(client, { outDir: dir });
  const provider = await configuredProvider(emulator.url, KEY);
  const entries = readRoster(dir, LIMITS);
  expect(entries).toHaveLength(3);
  emulator.clearRequests();
  for (const entry of entries) {
    const checked = await provider.check({}, entry.args);
    expect(checked.failures ?? []).toEqual([]);
    const created = await provider.create(checked.inputs as Record<string, unknown>);
    expect(created.id).toBe(entry.args["userId"]);
  }
  const writes = calls(emulator).filter((c) => !c.startsWith("GET "));
  expect(writes).toEqual([]);
  expect(calls(emulator).length).toBeGreaterThanOrEqual(3);
});

it("private metadata, when asked for, is a config reference and the value never appears", async () => {
  const result = await exportUsers(client, {
    select: { userIds: [ADA] },
    includePrivateMetadata: true,
    format: "json",
    outDir: dir,
  });
  const json = JSON.parse(fs.readFileSync(path.join(dir, "ada.json"), "utf8")) as Record<
    string,
    unknown
  >;
  expect(json["privateMetadata"]).toEqual({ config: "ada-privateMetadata" });
  expect(JSON.stringify(result)).not.toContain("PRIVATE");
  expect(result.configKeys).toEqual([{ key: "ada-privateMetadata", userId: ADA }]);
  // By id: one details GET, no listing.
  expect(calls(emulator)).toEqual([`GET /users/${ADA}/details`]);
});

it("empty metadata is left undeclared (not managed) and asks for no config key; the first up writes nothing", async () => {
  const DAN = "330000000000000004";
  emulator.users.seed([{ id: DAN, first_name: "Dan", username: "dan", email: "dan@corp.example" }]);
  const result = await exportUsers(client, {
    select: { userIds: [ADA, DAN] },
    includePrivateMetadata: true,
    outDir: dir,
  });
  // Only Ada has private metadata: only she needs a secret set before preview.
  expect(result.configKeys).toEqual([{ key: "ada-privateMetadata", userId: ADA }]);
  const dan = fs.readFileSync(path.join(dir, "dan.yaml"), "utf8");
  expect(dan).not.toContain("publicMetadata");
  expect(dan).not.toContain("privateMetadata");
  const entries = readRoster(dir, LIMITS);
  expect(entries.find((e) => e.name === "dan")).toEqual({
    name: "dan",
    file: expect.any(String),
    args: {
      userId: DAN,
      firstName: "Dan",
      username: "dan",
      disabled: false,
      secondFactorPolicy: "optional",
    },
    aliases: [],
  });
  expect(entries.find((e) => e.name === "ada")?.privateMetadata).toEqual({
    config: "ada-privateMetadata",
  });

  // Dan's declaration through the provider: adopted by userId, 0 write requests.
  const provider = await configuredProvider(emulator.url, KEY);
  emulator.clearRequests();
  const daniel = entries.find((e) => e.name === "dan")!;
  const checked = await provider.check({}, daniel.args);
  expect(checked.failures ?? []).toEqual([]);
  expect((await provider.create(checked.inputs as Record<string, unknown>)).id).toBe(DAN);
  expect(calls(emulator).filter((c) => !c.startsWith("GET "))).toEqual([]);
});

it("--format ts writes one program declaring each user by userId", async () => {
  const result = await exportUsers(client, {
    select: { emailDomains: ["corp.example"] },
    format: "ts",
    includePrivateMetadata: true,
  });
  expect(result.files.map((f) => f.path)).toEqual(["index.ts"]);
  const program = result.files[0]!.content;
  expect(program).toContain(`"ada": new wacht.User("ada", {`);
  expect(program).toContain(`    userId: "${ADA}",`);
  expect(program).toContain(
    '    privateMetadata: config.requireSecretObject("ada-privateMetadata"),',
  );
  expect(program).not.toContain("cal");
  expect(program).not.toContain("PRIVATE");
  expect(fs.readdirSync(dir)).toEqual([]); // no outDir: nothing written
});

it("refuses to overwrite a file that is not a roster file without --force, before writing anything", async () => {
  await exportUsers(client, { select: { userIds: [CAL] }, format: "ts", outDir: dir });
  await expect(
    exportUsers(client, { select: { userIds: [ADA] }, format: "ts", outDir: dir }),
  ).rejects.toThrow(
    `export would overwrite ${path.join(dir, "index.ts")}: remove them or pass --force`,
  );
  expect(fs.readdirSync(dir)).toEqual(["index.ts"]);
});

it("beside a roster: no second file for a declared account, whatever the extension; --skip-declared exports the rest", async () => {
  // grace.json-like: Ada declared by id in JSON; Cal created by the roster (username); a file
  // named like Bob's export for another account, with an alias.
  fs.writeFileSync(path.join(dir, "ada.json"), `{ "userId": "${ADA}", "firstName": "Ada" }\n`);
  fs.writeFileSync(path.join(dir, "cally.yaml"), "username: cal\naliases: [bob-builder]\n");
  const before = fs.readdirSync(dir).sort();
  await expect(exportUsers(client, { outDir: dir })).rejects.toThrow(
    `export would write a second file for accounts the roster in ${dir} already declares: ` +
      `user ${ADA} is already declared by ${path.join(dir, "ada.json")}; user ${CAL} is already declared by ${path.join(dir, "cally.yaml")}. ` +
      `Pass --skip-declared ${dir} to export only the accounts it does not declare, or --force to replace their files`,
  );
  expect(fs.readdirSync(dir).sort()).toEqual(before);

  const result = await exportUsers(client, { outDir: dir, skipDeclared: dir });
  expect(result.skipped).toEqual([
    { userId: ADA, file: path.join(dir, "ada.json") },
    { userId: CAL, file: path.join(dir, "cally.yaml") },
  ]);
  // Bob's name is an alias of another account's file: his file gets his id.
  expect(result.users).toEqual([{ name: `bob-builder-${BOB}`, userId: BOB }]);
  expect(fs.readdirSync(dir).sort()).toEqual(["ada.json", `bob-builder-${BOB}.yaml`, "cally.yaml"]);
  expect(readRoster(dir, LIMITS)).toHaveLength(3);

  // --force replaces the declared accounts' own files, in their own format: still one per account.
  const forced = await exportUsers(client, {
    outDir: dir,
    force: true,
    select: { userIds: [ADA, CAL] },
  });
  expect(forced.files.map((f) => f.path)).toEqual(["ada.json", "cally.yaml"]);
  expect(JSON.parse(fs.readFileSync(path.join(dir, "ada.json"), "utf8"))).toMatchObject({
    userId: ADA,
    secondFactorPolicy: "enforced",
  });
  expect(fs.readdirSync(dir).sort()).toEqual(["ada.json", `bob-builder-${BOB}.yaml`, "cally.yaml"]);
  expect(readRoster(dir, LIMITS).map((e) => e.name)).toEqual([
    "ada",
    `bob-builder-${BOB}`,
    "cally",
  ]);
});

it("--force keeps the keys export does not decide: memberships, aliases, references, settings", async () => {
  const ORG = "540000000000000001";
  const WS = "540000000000000011";
  // Ada's file (YAML) and Cal's (JSON) declare memberships, aliases and settings export never
  // writes; Cal's was a created account (emailAddress, create-only), now found by username.
  fs.writeFileSync(
    path.join(dir, "ada.yaml"),
    [
      `userId: "${ADA}"`,
      "firstName: Augusta",
      "username: ada-old",
      "# the on-call bot's old name",
      "aliases: [bot]",
      `organizations: { "${ORG}": [Admin] }`,
      "password: { config: ada-password }",
      "passwordVersion: 2",
      "privateMetadata: { config: ada-vault }",
      "onDelete: disable",
      "",
    ].join("\n"),
  );
  fs.writeFileSync(
    path.join(dir, "cal.json"),
    `${JSON.stringify(
      {
        username: "cal",
        emailAddress: "cal@gmail.example",
        firstName: "Calvin",
        disabled: true,
        workspaces: { [WS]: ["Member"] },
        aliases: ["cally"],
      },
      null,
      2,
    )}\n`,
  );
  // From the listing: names and username are export's (updated); `disabled`, which the listing
  // does not hold, stays as the file declares it; `emailAddress` (create-only) cannot stay.
  const listed = await exportUsers(client, { outDir: dir, force: true });
  expect(listed.files.map((f) => f.path)).toEqual(["ada.yaml", "bob-builder.yaml", "cal.json"]);
  const adaText = fs.readFileSync(path.join(dir, "ada.yaml"), "utf8");
  expect(YAML.parse(adaText)).toEqual({
    userId: ADA,
    firstName: "Ada",
    lastName: "Lovelace",
    username: "ada",
    aliases: ["bot"],
    organizations: { [ORG]: ["Admin"] },
    password: { config: "ada-password" },
    passwordVersion: 2,
    privateMetadata: { config: "ada-vault" },
    onDelete: "disable",
  });
  // Export's keys first, then the file's others in its order (onDelete last); one export
  // header; the file's comment and its quoted id as written.
  expect(adaText.match(/^[A-Za-z]+(?=:)/gm)).toEqual([
    "userId",
    "firstName",
    "lastName",
    "username",
    "aliases",
    "organizations",
    "password",
    "passwordVersion",
    "privateMetadata",
    "onDelete",
  ]);
  expect(adaText.match(/Exported by/g)).toHaveLength(1);
  expect(adaText).toContain(
    `# the on-call bot's old name\naliases: [ bot ]\norganizations: { "${ORG}": [ Admin ] }\n`,
  );
  const cal = JSON.parse(fs.readFileSync(path.join(dir, "cal.json"), "utf8")) as object;
  expect(Object.entries(cal)).toEqual([
    ["userId", CAL],
    ["firstName", "Cal"],
    ["username", "cal"],
    ["disabled", true],
    ["workspaces", { [WS]: ["Member"] }],
    ["aliases", ["cally"]],
  ]);
  const entries = readRoster(dir, LIMITS);
  expect(entries.map((e) => [e.name, e.aliases, e.memberships])).toEqual([
    ["ada", ["bot"], { organizations: { [ORG]: ["Admin"] } }],
    ["bob-builder", [], undefined],
    ["cal", ["cally"], { workspaces: { [WS]: ["Member"] } }],
  ]);
  expect(entries[0]!.password).toEqual({ config: "ada-password" });

  // Private metadata asked for (details read): the file's reference, the key the stack holds,
  // is kept and listed; --on-delete is export's, so it replaces the file's; `disabled` is read.
  const all = await exportUsers(client, {
    outDir: dir,
    force: true,
    includePrivateMetadata: true,
    onDelete: "retain",
  });
  expect(all.configKeys).toEqual([{ key: "ada-vault", userId: ADA }]);
  const again = readRoster(dir, LIMITS);
  expect(again.map((e) => [e.name, e.aliases, e.memberships, e.args["onDelete"]])).toEqual([
    ["ada", ["bot"], { organizations: { [ORG]: ["Admin"] } }, "retain"],
    ["bob-builder", [], undefined, "retain"],
    ["cal", ["cally"], { workspaces: { [WS]: ["Member"] } }, "retain"],
  ]);
  expect(again[0]!.privateMetadata).toEqual({ config: "ada-vault" });
  expect(again[2]!.args).toMatchObject({ userId: CAL, disabled: false, firstName: "Cal" });
});

it("--on-delete writes onDelete into each file, so deleting the file disables the account", async () => {
  await exportUsers(client, { outDir: dir, onDelete: "disable" });
  const entries = readRoster(dir, LIMITS);
  expect(entries.map((e) => e.args["onDelete"])).toEqual(["disable", "disable", "disable"]);
  expect(fs.readFileSync(path.join(dir, "ada.yaml"), "utf8")).toMatch(/\nonDelete: disable\n$/);
});

it("--select all uses the listing for what it holds: list requests only, no details", async () => {
  const result = await exportUsers(client, { outDir: dir });
  expect(result.requests).toEqual({ list: 1, details: 0 });
  expect(calls(emulator)).toEqual(["GET /users"]);
  // What the listing holds: id, names, username. Fields only details have are not declared.
  expect(readRoster(dir, LIMITS).map((e) => e.args)).toEqual([
    { userId: ADA, firstName: "Ada", lastName: "Lovelace", username: "ada" },
    { userId: BOB },
    { userId: CAL, firstName: "Cal", username: "cal" },
  ]);
  // --with-details reads them (one request per user) and declares disabled, 2FA and metadata.
  emulator.clearRequests();
  const full = await exportUsers(client, { outDir: dir, force: true, withDetails: true });
  expect(full.requests).toEqual({ list: 1, details: 3 });
  expect(readRoster(dir, LIMITS)[0]!.args).toMatchObject({
    disabled: false,
    secondFactorPolicy: "enforced",
    publicMetadata: { kind: "admin", teams: ["infra", "sec"] },
  });
});

it("writes YAML that YAML 1.1 and 1.2 read identically (yes/no/on/off, octal, times, dates, merge keys quoted)", async () => {
  const TRICKY = "330000000000000009";
  const meta = {
    on: "off",
    yes: ["no", "y", "n", "Y", "N", "true", "~", "null"],
    "<<": "merge",
    octal: "0755",
    newOctal: "0o17",
    sexagesimal: "1:20",
    date: "2026-01-31",
    inf: ".inf",
    hex: "0x1F",
    under: "1_000",
    valueKey: "=",
    plain: "just text",
  };
  emulator.users.seed([
    {
      id: TRICKY,
      first_name: "Yes",
      last_name: "Off",
      username: "yes",
      email: "on@corp.example",
      public_metadata: meta,
    },
  ]);
  const result = await exportUsers(client, {
    select: { userIds: [TRICKY] },
    outDir: dir,
    onDelete: "disable",
  });
  const text = result.files[0]!.content;
  const expected = {
    userId: TRICKY,
    firstName: "Yes",
    lastName: "Off",
    username: "yes",
    disabled: false,
    secondFactorPolicy: "optional",
    publicMetadata: meta,
    onDelete: "disable",
  };
  expect(YAML.parse(text, { version: "1.1" })).toEqual(expected);
  expect(YAML.parse(text)).toEqual(expected);
  // Plain strings stay plain, as people write them.
  expect(text).toContain("plain: just text\n");
  expect(text).toContain('firstName: "Yes"\n');
});

it("the CLI reads WACHT_API_KEY / WACHT_BASE_URL and reports usage errors with exit code 2", async () => {
  const out: string[] = [];
  const err: string[] = [];
  const io = {
    out: (l: string) => out.push(l),
    err: (l: string) => err.push(l),
    env: { WACHT_API_KEY: KEY, WACHT_BASE_URL: emulator.url },
  };
  expect(await runCli(["export", "--select", "meta.kind:admin", "--out", dir], io)).toBe(0);
  expect(out).toEqual([
    "wrote ada.yaml",
    `exported 1 user to ${dir} (1 list request, 3 user detail reads)`,
  ]);
  expect(fs.readFileSync(path.join(dir, "ada.yaml"), "utf8")).toMatch(
    /^# Exported by `pulumi-wacht export` from http:\/\/127\.0\.0\.1:\d+\.\nuserId: "330000000000000001"\n/,
  );

  expect(await runCli(["export", "--select", "kind=admin", "--out", dir], io)).toBe(2);
  expect(err.pop()).toContain('--select "kind=admin" is not understood; use all | id:<id>');
  expect(await runCli(["export"], io)).toBe(2);
  expect(err.pop()).toContain("--out DIR is required");
  for (const bad of ["0", "-5", "fast", ""]) {
    expect(await runCli(["export", "--out", dir, `--requests-per-minute=${bad}`], io)).toBe(2);
    expect(err.pop()).toBe(
      `--requests-per-minute must be a positive number (the deployment's rate limit, default 1000), not ${JSON.stringify(bad)}`,
    );
  }
  expect(
    await runCli(["export", "--out", dir, "--force", "--requests-per-minute", "6000"], io),
  ).toBe(0);
  expect(out.pop()).toMatch(/^exported 3 users to /);
  expect(await runCli(["export", "--out", dir, "--select", "id:999999999"], io)).toBe(1);
  expect(err.pop()).toMatch(/^pulumi-wacht export failed: .*not found/i);
  const noKey = { ...io, env: { WACHT_BASE_URL: emulator.url } };
  expect(await runCli(["export", "--out", dir], noKey)).toBe(1);
  expect(err.pop()).toContain("WACHT_API_KEY");
});

it("the CLI takes the base URL from --base-url and names only what it reads in its messages", async () => {
  const out: string[] = [];
  const err: string[] = [];
  const io = (env: NodeJS.ProcessEnv) => ({
    out: (l: string) => out.push(l),
    err: (l: string) => err.push(l),
    env,
  });
  // WACHT_API_KEY set, WACHT_BASE_URL unset: --base-url says where the users are.
  const keyOnly = io({ WACHT_API_KEY: KEY });
  expect(await runCli(["export", "--base-url", emulator.url, "--out", dir], keyOnly)).toBe(0);
  expect(out.pop()).toBe(`exported 3 users to ${dir} (1 list request, 0 user detail reads)`);
  expect(fs.readFileSync(path.join(dir, "ada.yaml"), "utf8")).toContain(
    `# Exported by \`pulumi-wacht export\` from ${emulator.url}.`,
  );
  // --base-url wins over WACHT_BASE_URL.
  const both = io({ WACHT_API_KEY: KEY, WACHT_BASE_URL: "http://127.0.0.1:1" });
  expect(await runCli(["export", "--base-url", emulator.url, "--out", dir, "--force"], both)).toBe(
    0,
  );

  // No key: the environment variable, never a client option or a stack config key it ignores.
  const noKey = io({ WACHT_BASE_URL: emulator.url });
  expect(await runCli(["export", "--out", dir], noKey)).toBe(1);
  const missing = err.pop()!;
  expect(missing).toContain("set the WACHT_API_KEY environment variable");
  expect(missing).not.toContain("pass apiKey");

  // A refused key (401): the command's own settings, with the deployment it called.
  const wrongKey = io({ WACHT_API_KEY: "sk_test_wrong" });
  expect(await runCli(["export", "--base-url", emulator.url, "--out", dir], wrongKey)).toBe(1);
  const refused = err.pop()!;
  expect(refused).toMatch(/^pulumi-wacht export failed: 401 GET \/users/);
  expect(refused).toContain(
    `Check WACHT_API_KEY and that the key belongs to the deployment at ${emulator.url} (--base-url or WACHT_BASE_URL)`,
  );
  expect(refused).not.toMatch(/apiKey option|baseUrl option|stack config/);

  // A base URL the client refuses names where it came from.
  expect(await runCli(["export", "--base-url", "http://example.com", "--out", dir], keyOnly)).toBe(
    1,
  );
  expect(err.pop()).toMatch(
    /^pulumi-wacht export failed: --base-url: Wacht base URL must use https/,
  );
  expect(
    await runCli(["export", "--out", dir], io({ WACHT_API_KEY: KEY, WACHT_BASE_URL: "ftp://x" })),
  ).toBe(1);
  expect(err.pop()).toMatch(
    /^pulumi-wacht export failed: WACHT_BASE_URL: Wacht base URL must use https/,
  );
});

it("the CLI's refused connection asks whether the server runs at its own base URL setting", async () => {
  // Retried (the client's default 4 retries), so a retry note follows the client's hint.
  const err: string[] = [];
  const closed = await closedLoopbackUrl();
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "wacht-export-refused-"));
  const io = {
    out: () => undefined,
    err: (line: string) => err.push(line),
    env: { WACHT_API_KEY: KEY },
  };
  expect(await runCli(["export", "--base-url", closed, "--out", dir], io)).toBe(1);
  expect(err.pop()).toMatch(
    new RegExp(
      `^pulumi-wacht export failed: .*ECONNREFUSED.*Is the Wacht server \\(or the emulator\\) running at ${closed}\\? Check --base-url or WACHT_BASE_URL \\(gave up after`,
    ),
  );
  expect(err.join("\n")).not.toMatch(
    /apiKey option|baseUrl option|stack config|check the API key/i,
  );
}, 30_000);
