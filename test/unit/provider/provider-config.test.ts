// Provider settings: stack config first, the environment at call time, and clear errors that name
// the config key (docs/configuration.md).
import {
  resolveProviderSettings,
  MISSING_API_KEY_MESSAGE,
} from "../../../src/config/provider-config";
import { WachtConfigError } from "../../../src/client/errors";

describe("resolveProviderSettings", () => {
  it("stack config wins over the environment, which is the fallback", () => {
    const env = { WACHT_API_KEY: "env-key", WACHT_BASE_URL: "http://127.0.0.1:1" };
    expect(resolveProviderSettings({ apiKey: "stack-key" }, env)).toMatchObject({
      apiKey: "stack-key",
      baseUrl: "http://127.0.0.1:1",
    });
    expect(resolveProviderSettings({}, env)).toMatchObject({ apiKey: "env-key" });
    expect(() => resolveProviderSettings({}, {})).toThrow(MISSING_API_KEY_MESSAGE);
  });

  it("defaults: delta refresh on, limits 3–30", () => {
    expect(resolveProviderSettings({ apiKey: "k" }, {})).toMatchObject({
      deltaRefresh: true,
      deltaRefreshThreshold: undefined,
      usernameMinLength: 3,
      usernameMaxLength: 30,
    });
  });

  it("parses and validates the numeric and boolean keys, naming the key", () => {
    expect(
      resolveProviderSettings(
        { apiKey: "k", deltaRefresh: "false", deltaRefreshThreshold: "50" },
        {},
      ),
    ).toMatchObject({
      deltaRefresh: false,
      deltaRefreshThreshold: 50,
    });
    expect(() => resolveProviderSettings({ apiKey: "k", deltaRefresh: "no" }, {})).toThrow(
      /wacht:deltaRefresh must be true or false/,
    );
    expect(() =>
      resolveProviderSettings({ apiKey: "k", deltaRefreshThreshold: "many" }, {}),
    ).toThrow(/wacht:deltaRefreshThreshold must be a non-negative integer/);
    expect(() => resolveProviderSettings({ apiKey: "k", timeoutMs: "-1" }, {})).toThrow(
      /wacht:timeoutMs/,
    );
  });
});

describe("configuration errors, as the dynamic-provider host prints them", () => {
  /** What the host logs for a failed check/diff/read/delete: `${e}: ${e.stack}`. */
  const hostLine = (e: Error): string => `${String(e)}: ${e.stack ?? ""}`;
  const thrown = (f: () => unknown): Error => {
    try {
      f();
    } catch (e) {
      return e as Error;
    }
    throw new Error("expected a throw");
  };

  it("a missing key: the message (key and what to do) once, no stack trace", () => {
    const e = thrown(() => resolveProviderSettings({}, {}));
    expect(e).toBeInstanceOf(WachtConfigError);
    expect(e.message).toBe(MISSING_API_KEY_MESSAGE);
    expect(e.message).toMatch(/pulumi config set --secret wacht:apiKey/);
    // The engine prints e.message under the resource; the host's own line only points at the key.
    expect(hostLine(e)).not.toContain(MISSING_API_KEY_MESSAGE);
    expect(hostLine(e)).toContain("wacht:apiKey (or WACHT_API_KEY)");
    expect(hostLine(e)).not.toMatch(/\n\s+at /);
    expect(hostLine(e).split("\n")).toHaveLength(1);
  });

  it("a bad value: names the key and the command, no stack trace", () => {
    const e = thrown(() => resolveProviderSettings({ apiKey: "k", timeoutMs: "soon" }, {}));
    expect(e.message).toBe(
      'wacht:timeoutMs must be a non-negative integer, got "soon": run `pulumi config set wacht:timeoutMs <n>`',
    );
    expect(hostLine(e)).not.toContain(e.message);
    expect(hostLine(e)).toContain("wacht:timeoutMs");
    expect(hostLine(e)).not.toMatch(/\n\s+at /);
  });

  it("what the client would refuse is refused here, by key, for every step (not only check)", () => {
    const e = thrown(() =>
      resolveProviderSettings({ apiKey: "k", baseUrl: "http://wacht.example.com" }, {}),
    );
    expect(e.message).toMatch(
      /^wacht:baseUrl \(or WACHT_BASE_URL\): Wacht base URL must use https/,
    );
    expect(hostLine(e)).not.toMatch(/\n\s+at /);
  });
});
