// Option resolution: explicit > env > default, the missing-key message, the https/loopback rule,
// path prefixes, numeric option checks.

import { inspect } from "node:util";
import { WachtClient, WachtConfigError } from "../../../src/client";
import { isLoopbackHost, resolveConfig } from "../../../src/client/config";
import { API_KEY } from "./fixtures";

const env = (vars: Record<string, string>) => vars as NodeJS.ProcessEnv;

describe("resolveConfig", () => {
  it("prefers the explicit option, then the environment, then the default", () => {
    const e = env({ WACHT_API_KEY: "sk_env", WACHT_BASE_URL: "https://env.example" });
    expect(resolveConfig({ apiKey: "sk_opt", baseUrl: "https://opt.example" }, e)).toMatchObject({
      apiKey: "sk_opt",
      baseUrl: "https://opt.example",
    });
    expect(resolveConfig({}, e)).toMatchObject({
      apiKey: "sk_env",
      baseUrl: "https://env.example",
    });
    expect(resolveConfig({ apiKey: "k" }, env({}))).toMatchObject({
      baseUrl: "https://api.wacht.dev",
      timeoutMs: 30_000,
      totalTimeoutMs: 120_000,
      maxRetries: 4,
      maxRetryWaitMs: 60_000,
      requestsPerMinute: 1000,
    });
  });

  it("treats blank values as unset and trims", () => {
    expect(resolveConfig({ apiKey: "  " }, env({ WACHT_API_KEY: " sk_env " })).apiKey).toBe(
      "sk_env",
    );
    expect(resolveConfig({ apiKey: "k" }, env({ WACHT_BASE_URL: "   " })).baseUrl).toBe(
      "https://api.wacht.dev",
    );
  });

  it("names both the option and the variable when the key is missing", () => {
    expect(() => resolveConfig({}, env({}))).toThrow(WachtConfigError);
    expect(() => resolveConfig({}, env({ WACHT_API_KEY: "" }))).toThrow(
      "Wacht API key missing: pass apiKey or set WACHT_API_KEY",
    );
  });

  it("refuses a key with a line break without echoing it", () => {
    const err = (() => {
      try {
        resolveConfig({ apiKey: "sk_abc\r\nX-Evil: 1" }, env({}));
      } catch (e) {
        return e as Error;
      }
      return undefined;
    })();
    expect(err).toBeInstanceOf(WachtConfigError);
    expect(err?.message).not.toContain("sk_abc");
  });

  it.each([
    "http://127.0.0.1:8080",
    "http://localhost:3001",
    "http://[::1]:9000",
    "http://127.1.2.3",
    "http://[::ffff:127.0.0.1]",
  ])("allows plain http on loopback: %s", (url) => {
    expect(resolveConfig({ apiKey: "k", baseUrl: url }, env({})).baseUrl).toBe(new URL(url).origin);
  });

  it.each([
    "http://example.com",
    "http://10.0.0.1",
    "http://127.0.0.1.nip.io",
    "ftp://localhost",
    // Issue 11 defect 6: a *.localhost name is loopback only by convention; the resolver decides.
    "http://api.localhost",
    "http://anything.localhost:8080",
    "http://localhost.",
    "http://[::ffff:10.0.0.1]",
  ])("refuses non-https on a non-loopback host: %s", (url) => {
    expect(() => resolveConfig({ apiKey: "k", baseUrl: url }, env({}))).toThrow(WachtConfigError);
  });

  it("refuses unparseable URLs, credentials, queries and fragments", () => {
    for (const url of [
      "not a url",
      "https://user:pw@api.example",
      "https://api.example/?x=1",
      "https://api.example/#f",
    ]) {
      expect(() => resolveConfig({ apiKey: "k", baseUrl: url }, env({}))).toThrow(WachtConfigError);
    }
  });

  it("keeps a path prefix and drops trailing slashes", () => {
    expect(
      resolveConfig({ apiKey: "k", baseUrl: "https://gw.example/wacht/v1/" }, env({})),
    ).toMatchObject({
      baseUrl: "https://gw.example/wacht/v1",
      origin: "https://gw.example",
      basePath: "/wacht/v1",
    });
    expect(
      resolveConfig({ apiKey: "k", baseUrl: "https://api.wacht.dev/" }, env({})).basePath,
    ).toBe("");
  });

  it("validates numeric options", () => {
    for (const bad of [
      { timeoutMs: 0 },
      { totalTimeoutMs: -1 },
      { maxRetries: 1.5 },
      { maxRetries: -1 },
      { requestsPerMinute: 0 },
      { timeoutMs: NaN },
    ]) {
      expect(() => resolveConfig({ apiKey: "k", ...bad }, env({}))).toThrow(WachtConfigError);
    }
    expect(
      resolveConfig({ apiKey: "k", maxRetries: 0, requestsPerMinute: Infinity }, env({})),
    ).toMatchObject({
      maxRetries: 0,
      requestsPerMinute: Infinity,
    });
  });
});

describe("isLoopbackHost", () => {
  it("recognises loopback names and addresses only", () => {
    expect(["localhost", "127.0.0.1", "[::1]", "::1", "127.9.8.7"].every(isLoopbackHost)).toBe(
      true,
    );
    expect(
      [
        "example.com",
        "localhost.example.com",
        "128.0.0.1",
        "0.0.0.0",
        "foo.localhost",
        "localhost.",
      ].some(isLoopbackHost),
    ).toBe(false);
  });
});

describe("WachtClient construction", () => {
  it("refuses plain http to a *.localhost name, from the option and from WACHT_BASE_URL", () => {
    // Issue 11 defect 6: the name alone does not make a host loopback; the key would go with it.
    const build = (options: ConstructorParameters<typeof WachtClient>[0]) => () =>
      new WachtClient({ apiKey: API_KEY, env: {}, ...options });
    expect(build({ baseUrl: "http://anything.localhost" })).toThrow(
      "Wacht base URL must use https (plain http is only allowed for localhost and literal loopback addresses such as 127.0.0.1 and [::1]): http://anything.localhost",
    );
    expect(build({ env: { WACHT_BASE_URL: "http://evil.localhost:8080/v1" } })).toThrow(
      WachtConfigError,
    );
    expect(build({ baseUrl: "https://anything.localhost" })().baseUrl).toBe(
      "https://anything.localhost",
    );
  });

  it("exposes the resolved base URL but never the key", () => {
    const client = new WachtClient({
      apiKey: API_KEY,
      baseUrl: "http://127.0.0.1:1/prefix/",
      env: {},
      requestsPerMinute: Infinity,
    });
    expect(client.baseUrl).toBe("http://127.0.0.1:1/prefix");
    expect(JSON.stringify(client)).not.toContain(API_KEY);
    expect(inspect(client, { depth: 10, showHidden: true })).not.toContain(API_KEY);
  });

  it("reads WACHT_API_KEY from the given environment", () => {
    expect(() => new WachtClient({ env: {} })).toThrow("pass apiKey or set WACHT_API_KEY");
    expect(
      new WachtClient({ env: { WACHT_API_KEY: "k" }, requestsPerMinute: Infinity }).baseUrl,
    ).toBe("https://api.wacht.dev");
  });
});
