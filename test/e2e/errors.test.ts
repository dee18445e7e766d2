jest.setTimeout(300_000);

// Errors as users see them through the real CLI: exit code, the printed lines, and no key anywhere.
import * as net from "node:net";
import { MISSING_API_KEY_MESSAGE } from "../../src/config/provider-config";
import { stage, writes, E2E_API_KEY, type Stage } from "./helpers/fixtures";

const USER_ID = "310000000000000011";
const WRONG_KEY = "sk_test_wrong_key_e2e_fedcba9876543210fedcba98";

const adoptProgram = `
const wacht = require("pulumi-wacht");
new wacht.User("svc-err", { userId: "${USER_ID}", firstName: "Err", lastName: "Case" });
`;

const createProgram = `
const wacht = require("pulumi-wacht");
new wacht.User("no-password", { emailAddress: "no-password@example.com", firstName: "No", lastName: "Password" });
`;

const seed = [{ id: USER_ID, first_name: "err", last_name: "case", email: "svc-err@example.com" }];

function noKeyIn(text: string): void {
  expect(text).not.toContain(E2E_API_KEY);
  expect(text).not.toContain(WRONG_KEY);
}

describe("errors through the real CLI", () => {
  const stages: Stage[] = [];
  afterAll(async () => {
    await Promise.all(stages.map((s) => s.close()));
  });
  const make = async (...args: Parameters<typeof stage>) => {
    const s = await stage(...args);
    stages.push(s);
    return s;
  };

  test("no API key: up fails, names wacht:apiKey and WACHT_API_KEY, and sends nothing", async () => {
    const s = await make({ program: adoptProgram, seed, configure: false });
    await s.project.config("wacht:baseUrl", s.emulator.url);
    const r = await s.project.run(["up", "--yes", "--non-interactive"]);
    expect(r.code).not.toBe(0);
    expect(r.stdout).toMatch(/wacht:apiKey/);
    expect(r.stdout).toMatch(/WACHT_API_KEY/);
    // Said once (the resource's error; the stack's line only points at the key), with no trace.
    const diagnostics = r.stdout.slice(r.stdout.indexOf("Diagnostics:"));
    expect(diagnostics.split(MISSING_API_KEY_MESSAGE)).toHaveLength(2);
    expect(diagnostics).toContain("wacht configuration: wacht:apiKey (or WACHT_API_KEY)");
    expect(r.all).not.toMatch(/\n\s+at /);
    expect(r.all).not.toContain("WachtConfigError");
    expect(s.emulator.requests()).toEqual([]);
  });

  test("a wrong key: up fails with the 401, and neither key is printed or stored", async () => {
    const s = await make({ program: adoptProgram, seed, configure: false });
    await s.project.config("wacht:apiKey", WRONG_KEY, true);
    await s.project.config("wacht:baseUrl", s.emulator.url);
    const r = await s.project.run(["up", "--yes", "--non-interactive"]);
    expect(r.code).not.toBe(0);
    expect(r.stdout).toMatch(/401/);
    expect(r.stdout).toMatch(/svc-err/);
    noKeyIn(r.all);
    noKeyIn((await s.project.exportState()).text);
    expect(writes(s.emulator.requests())).toEqual([]);
  });

  test("nothing listens at the base URL: up fails, asks whether the server runs there, names wacht:baseUrl", async () => {
    const s = await make({ program: adoptProgram, configure: false });
    const closed = net.createServer();
    await new Promise<void>((resolve) => closed.listen(0, "127.0.0.1", resolve));
    const url = `http://127.0.0.1:${(closed.address() as net.AddressInfo).port}`;
    await new Promise<void>((resolve) => closed.close(() => resolve()));
    await s.project.config("wacht:apiKey", E2E_API_KEY, true);
    await s.project.config("wacht:baseUrl", url);
    await s.project.config("wacht:maxRetries", "0");
    const r = await s.project.run(["up", "--yes", "--non-interactive"]);
    expect(r.code).not.toBe(0);
    expect(r.stdout).toMatch(/svc-err/);
    expect(r.stdout).toMatch(/ECONNREFUSED/);
    expect(r.stdout).toContain(`Is the Wacht server (or the emulator) running at ${url}?`);
    expect(r.stdout).toMatch(/WACHT_BASE_URL, the stack config wacht:baseUrl/);
    noKeyIn(r.all);
  });

  test("a 400 from the server: up fails with the server's message, the resource is not in the state", async () => {
    const s = await make({ program: createProgram });
    const r = await s.project.run(["up", "--yes", "--non-interactive"]);
    expect(r.code).not.toBe(0);
    expect(r.stdout).toMatch(/no-password/);
    expect(r.stdout).toMatch(/400 POST \/users: Password is required/);
    noKeyIn(r.all);
    const { deployment } = await s.project.exportState();
    expect(deployment.resources.some((x) => x.urn.endsWith("::no-password"))).toBe(false);
    expect(s.emulator.users.list()).toEqual([]);
  });

  test("a check failure on values made secret in the program prints no value, only the property", async () => {
    const WEAK = "alllowercase-zq71";
    const TOKEN = "s3cr3t-tok-value-zq72";
    const program = `
const pulumi = require("@pulumi/pulumi");
const wacht = require("pulumi-wacht");
const { z } = require("zod");
new wacht.User("leaky", {
  emailAddress: "leaky@example.com",
  password: pulumi.secret("${WEAK}"),
  privateMetadata: pulumi.secret({ token: "${TOKEN}" }),
  privateMetadataSchema: z.object({ token: z.number() }),
});
`;
    const s = await make({ program });
    const r = await s.project.run(["preview", "--non-interactive"]);
    expect(r.code).not.toBe(0);
    expect(r.all).not.toContain(WEAK);
    expect(r.all).not.toContain(TOKEN);
    expect(r.all).toMatch(
      /resource 'leaky' has a problem: password does not meet Wacht's default rules/,
    );
    expect(r.all).toMatch(
      /resource 'leaky' has a problem: privateMetadata does not match its schema/,
    );
    expect(s.emulator.requests()).toEqual([]);
  });

  test("a 429 with Retry-After is waited out: up succeeds after the wait", async () => {
    const s = await make({ program: adoptProgram, seed });
    s.emulator.faults.enqueue({
      kind: "status",
      status: 429,
      retryAfterSeconds: 2,
      match: { method: "GET" },
    });
    const started = Date.now();
    const r = await s.project.run(["up", "--yes", "--non-interactive"]);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/\+ 2 created/);
    const statuses = s.emulator.requests().map((e) => `${e.method} ${e.status}`);
    expect(statuses[0]).toBe("GET 429");
    expect(statuses).toContain("PATCH 200");
    expect(Date.now() - started).toBeGreaterThanOrEqual(2000);
    expect(s.emulator.users.get(USER_ID)!.user.first_name).toBe("Err");
    noKeyIn(r.all);
  });
});
