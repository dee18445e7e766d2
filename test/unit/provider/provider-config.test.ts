// Provider settings: stack config first, the environment at call time, and clear errors that name
// the config key (README "Configuration").
import {
  resolveProviderSettings,
  MISSING_API_KEY_MESSAGE,
} from "../../../src/config/provider-config";

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
