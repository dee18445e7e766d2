// lookupUser (issue 14) against the emulator: exact match by email, username or id; clear errors
// for none and for several; never private metadata; in a program, the stack's wacht:apiKey and
// wacht:baseUrl before the environment, as the provider reads them.
import * as pulumi from "@pulumi/pulumi";
import { MockAgent } from "undici";
import { WachtClient } from "../../../src/client";
import { startEmulator, type EmulatorHandle } from "../../../src/emulator";
import { lookupUser } from "../../../src/lookup/lookup-user";

const KEY = "sk_test_lookup_key_0000000000000000000000000000000";
const ADA = "340000000000000001";

let emulator: EmulatorHandle;
let client: WachtClient;

beforeAll(async () => {
  emulator = await startEmulator({
    port: 0,
    apiKey: KEY,
    seed: [
      {
        id: ADA,
        first_name: "Ada",
        username: "ada",
        email: "Ada@Corp.example",
        public_metadata: { kind: "admin" },
        private_metadata: { pin: "PRIVATE-1" },
      },
      { first_name: "Adam", username: "adam", email: "adam@corp.example" },
    ],
  });
  client = new WachtClient({ apiKey: KEY, baseUrl: emulator.url });
});
afterAll(async () => emulator.close());

it("finds one user by email (case-insensitively), username or id, with public facts only", async () => {
  const byEmail = await lookupUser({ email: "ada@corp.example" }, { client });
  expect(byEmail).toEqual({
    userId: ADA,
    email: "Ada@Corp.example",
    username: "ada",
    firstName: "Ada",
    lastName: "",
    disabled: false,
    publicMetadata: { kind: "admin" },
    createdAt: expect.any(String),
    updatedAt: expect.any(String),
  });
  expect(JSON.stringify(byEmail)).not.toContain("PRIVATE");
  // "ada" is a substring of "adam": only the exact username matches.
  expect((await lookupUser({ username: "ada" }, { client })).userId).toBe(ADA);
  expect((await lookupUser({ userId: ADA }, { apiKey: KEY, baseUrl: emulator.url })).username).toBe(
    "ada",
  );
});

it("names the key when no user or several match, and refuses two keys", async () => {
  await expect(lookupUser({ email: "nobody@corp.example" }, { client })).rejects.toThrow(
    'lookupUser: no Wacht user has email "nobody@corp.example"',
  );
  await expect(lookupUser({ userId: "340000000000000099" }, { client })).rejects.toThrow(
    'lookupUser: no Wacht user has userId "340000000000000099"',
  );
  emulator.users.seed([
    { username: "twin1", email: "twin@corp.example" },
    { username: "twin2", email: "twin@corp.example" },
  ]);
  await expect(lookupUser({ email: "twin@corp.example" }, { client })).rejects.toThrow(
    /lookupUser: 2 Wacht users have email "twin@corp.example" \(\d+, \d+\); look one up by userId/,
  );
  await expect(lookupUser({ email: "a@b.c", username: "x" }, { client })).rejects.toThrow(
    "lookupUser takes exactly one of",
  );
  await expect(lookupUser({ userId: "abc" }, { client })).rejects.toThrow("is not a Wacht user id");
});

it("without credentials it names WACHT_API_KEY (a program needs them at preview too)", async () => {
  await expect(lookupUser({ username: "ada" }, { env: {} })).rejects.toThrow(/WACHT_API_KEY/);
});

describe("in a Pulumi program, credentials come from the stack config first, as the provider's", () => {
  // The program's stack config, as the engine gives it (wacht:apiKey a secret); reset after each.
  const stackConfig = (config: Record<string, string>): void =>
    pulumi.runtime.setAllConfig(config, ["wacht:apiKey"]);
  afterEach(() => stackConfig({}));

  it("a stack with config only (no environment) finds the user", async () => {
    stackConfig({ "wacht:apiKey": KEY, "wacht:baseUrl": emulator.url });
    expect((await lookupUser({ email: "ada@corp.example" }, { env: {} })).userId).toBe(ADA);
  });

  it("WACHT_API_KEY set but WACHT_BASE_URL unset: the stack's wacht:baseUrl is used, not the default", async () => {
    stackConfig({ "wacht:baseUrl": emulator.url });
    // Loopback only: a request to the default (https://api.wacht.dev) fails here, never leaves.
    const loopbackOnly = new MockAgent();
    loopbackOnly.disableNetConnect();
    loopbackOnly.enableNetConnect((host) => host.startsWith("127.0.0.1:"));
    try {
      const found = await lookupUser(
        { username: "ada" },
        { env: { WACHT_API_KEY: KEY }, dispatcher: loopbackOnly, maxRetries: 0 },
      );
      expect(found.userId).toBe(ADA);
    } finally {
      await loopbackOnly.close();
    }
  });

  it("the stack config wins over the environment; an explicit option wins over both", async () => {
    stackConfig({ "wacht:apiKey": KEY, "wacht:baseUrl": emulator.url });
    const wrongEnv = { WACHT_API_KEY: "sk_wrong", WACHT_BASE_URL: "http://127.0.0.1:1" };
    expect((await lookupUser({ username: "ada" }, { env: wrongEnv })).userId).toBe(ADA);
    await expect(
      lookupUser({ username: "ada" }, { env: {}, apiKey: "sk_wrong", maxRetries: 0 }),
    ).rejects.toThrow(/401/);
  });

  it("without a key anywhere it names the stack config key and the environment variable", async () => {
    stackConfig({ "wacht:baseUrl": emulator.url });
    await expect(lookupUser({ username: "ada" }, { env: {} })).rejects.toThrow(
      "`pulumi config set --secret wacht:apiKey <key>` or set the WACHT_API_KEY environment variable",
    );
  });
});
