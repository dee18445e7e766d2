// The provider's own settings, as the engine hands them over: for the default provider, the
// stack's `wacht:*` config; for an explicit `pulumi:providers:wacht`, that resource's inputs (and
// nothing of the stack's: Pulumi's rule for explicit providers). Both arrive as the provider's
// inputs with the namespace stripped (`apiKey`, `baseUrl`, …), in CheckConfig, DiffConfig and
// Configure. The same resolution as the dynamic resource then applies (src/config): these
// settings, else WACHT_API_KEY / WACHT_BASE_URL, else the defaults.
import type * as pulumi from "@pulumi/pulumi";
import { ProviderConfigError } from "../config/config-error";
import {
  CONFIG_KEYS,
  readStackConfig,
  resolveProviderSettings,
  type StackConfigValues,
} from "../config/provider-config";
import { jsonEqual } from "../diff/json-equal";
import { withoutValues } from "../schema/check-failures";
import type { CheckFailure } from "../schema/check-failures";
import { markSecrets, type Props } from "./protocol";
import { UNKNOWN } from "../schema/user-fields";
import { CONFIG } from "./schema";

const NAMESPACE = "wacht:";

/** Keys the engine itself keeps among a provider's inputs. */
const ENGINE_KEYS = new Set(["version", "pluginDownloadURL"]);

/** The settings' names (`apiKey`, …), and those that are secret. */
export const SETTING_NAMES = Object.keys(CONFIG_KEYS);
const SECRET_SETTINGS = SETTING_NAMES.filter(
  (k) => CONFIG[k as keyof typeof CONFIG_KEYS][2] === true,
);

/** The settings among a provider's inputs, as the config reader of src/config takes them. */
export function settingsOf(inputs: Props): StackConfigValues {
  return readStackConfig((key) =>
    key.startsWith(NAMESPACE) ? inputs[key.slice(NAMESPACE.length)] : undefined,
  );
}

/** What the shared implementations' `configure` takes, for these settings. */
export function configureRequest(values: StackConfigValues): pulumi.dynamic.ConfigureRequest {
  const get = (key: string): string | undefined => {
    const name = key.startsWith(NAMESPACE) ? key.slice(NAMESPACE.length) : key;
    return values[name as keyof StackConfigValues];
  };
  return {
    config: {
      get,
      require: (key) => {
        const value = get(key);
        if (value === undefined) throw new Error(`Missing required configuration key: ${key}`);
        return value;
      },
    },
  };
}

/**
 * CheckConfig: every setting known and valid (a missing API key is not a failure here: the
 * environment may hold it, and each resource reports it). Returns the inputs with the API key
 * marked secret, so that an explicit provider's key is ciphertext in state however it was given.
 */
export function checkSettings(news: Props): { inputs: Props; failures: CheckFailure[] } {
  const failures: CheckFailure[] = [];
  for (const key of Object.keys(news)) {
    if (!SETTING_NAMES.includes(key) && !ENGINE_KEYS.has(key)) {
      failures.push({
        property: key,
        reason: `${key} is not a setting of the wacht provider; it takes ${SETTING_NAMES.join(", ")}`,
      });
    }
  }
  const known = Object.fromEntries(Object.entries(news).filter(([, v]) => v !== UNKNOWN));
  const values = settingsOf(known);
  try {
    // Judged as every call will judge them; a stand-in key lets the others be checked now.
    resolveProviderSettings({ apiKey: "stand-in", ...values }, {});
  } catch (err) {
    if (!(err instanceof ProviderConfigError)) throw err;
    const name = SETTING_NAMES.find((k) => err.key.startsWith(`${NAMESPACE}${k}`)) ?? "(provider)";
    failures.push({ property: name, reason: err.message });
  }
  return { inputs: markSecrets(news, SECRET_SETTINGS), failures: withoutValues(failures) };
}

/** DiffConfig: the settings that differ (a changed setting updates the provider, never replaces). */
export function changedSettings(olds: Props, news: Props): string[] {
  return SETTING_NAMES.filter((k) => !jsonEqual(olds[k] ?? null, news[k] ?? null));
}
