// A reference to a stack config value: how a roster file names a secret (a password, private
// metadata) without holding it. `{ config: "adminPassword" }` is the key `adminPassword` of the
// project's namespace; `{ config: "ops:adminPassword" }` names the namespace too.
import { z } from "zod";

/** `{ config: "<key>" }` or `{ config: "<namespace>:<key>" }`. */
export interface ConfigRef {
  config: string;
}

/** Config keys are `[namespace:]name`; the name is what `pulumi config set` accepts. */
const CONFIG_KEY_RE = /^(?:[A-Za-z0-9_.-]+:)?[A-Za-z0-9_.-]+$/;

/** The zod schema of a config reference; `field` names the roster property in messages. */
export function configRefSchema(field: string) {
  return z
    .object(
      {
        config: z
          .string({ error: `${field}.config must be a string: the stack config key` })
          .regex(CONFIG_KEY_RE, {
            message: `${field}.config must be a config key such as "adminPassword" or "ops:adminPassword"`,
          }),
      },
      {
        error: `${field} must be a reference to stack config, { config: "<key>" }, never the value itself (set it with \`pulumi config set --secret <key>\`)`,
      },
    )
    .strict();
}

/** Splits a reference into the namespace for `new pulumi.Config(namespace)` and the key. */
export function splitConfigKey(key: string): { namespace: string | undefined; name: string } {
  const colon = key.indexOf(":");
  return colon < 0
    ? { namespace: undefined, name: key }
    : { namespace: key.slice(0, colon), name: key.slice(colon + 1) };
}
