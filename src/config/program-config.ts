// The stack config of the Pulumi program that is running (`new pulumi.Config("wacht")`), for the
// helpers that run in the program rather than in the provider (lookupUser, loadRoster). The values
// go through the provider's own reader and resolution (./provider-config.ts), so a program helper
// and the provider always agree on the key, base URL and limits. Outside a program the config is
// empty and the environment applies. The only file of src/config that imports Pulumi.
import type * as Pulumi from "@pulumi/pulumi";
import { readStackConfig, type StackConfigValues } from "./provider-config";

/** Every `wacht:` key of the running program's stack config (none outside a program). */
export function readProgramConfig(): StackConfigValues {
  // Loaded on use: the provider plugin (which reaches this module through getUser) never needs it.
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const pulumi = require("@pulumi/pulumi") as typeof Pulumi;
  const wacht = new pulumi.Config("wacht");
  // CONFIG_KEYS are all `wacht:<name>`; Config takes the name. `get` of a secret (wacht:apiKey)
  // returns its plaintext, which only ever reaches the client, never an output.
  return readStackConfig((key) => wacht.get(key.slice(key.indexOf(":") + 1)));
}
