// Before a roster declares anything, every config reference of every file is looked up in the
// stack config: a missing key (or private metadata that is not JSON) is a RosterProblem at the
// reference's file, line and column, all of them in one error. Without this the program stopped
// at the first `requireSecret` with Pulumi's `Missing required configuration variable`, naming
// neither the file nor the other missing keys. A value is never put into a message.
import * as pulumi from "@pulumi/pulumi";
import { splitConfigKey, type ConfigRef } from "./config-ref";
import { referencePosition, type RosterEntry, type RosterProblem } from "./roster-file";

/** The stack config a reference points into, and its key there. */
export function configOf(ref: ConfigRef): { config: pulumi.Config; name: string } {
  const { namespace, name } = splitConfigKey(ref.config);
  return { config: new pulumi.Config(namespace), name };
}

function problemOf(entry: RosterEntry, ref: ConfigRef, message: string): RosterProblem {
  return { file: entry.file, ...(referencePosition(ref) ?? { line: 1, column: 1 }), message };
}

/** The problems of the references of `entries`, in entry order; none when all are set. */
export function referenceProblems(entries: readonly RosterEntry[]): RosterProblem[] {
  const problems: RosterProblem[] = [];
  for (const entry of entries) {
    const refs: [string, ConfigRef | undefined, boolean][] = [
      ["password", entry.password, false],
      ["privateMetadata", entry.privateMetadata, true],
    ];
    for (const [field, ref, json] of refs) {
      if (ref === undefined) continue;
      const { config, name } = configOf(ref);
      const fullKey = `${config.name}:${name}`;
      const value = config.get(name);
      if (value === undefined) {
        problems.push(
          problemOf(
            entry,
            ref,
            `${field}: the stack config ${fullKey} is not set: run \`pulumi config set --secret ${ref.config} <${json ? "JSON" : "value"}>\``,
          ),
        );
        continue;
      }
      if (json) {
        try {
          JSON.parse(value);
        } catch {
          problems.push(
            problemOf(
              entry,
              ref,
              `${field}: the stack config ${fullKey} is not JSON: set it to the JSON private metadata (the value is not shown)`,
            ),
          );
        }
      }
    }
  }
  return problems;
}
