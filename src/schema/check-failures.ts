// Turns zod issues into Pulumi CheckFailures: `property` is the dotted path of the offending
// input (the top-level property name for most), `reason` a sentence a person can act on.
import type { z } from "zod";

/** A check failure as the dynamic-provider host expects it. */
export interface CheckFailure {
  property: string;
  reason: string;
}

/** Converts zod issues to CheckFailures, one per issue, unknown keys one per key. */
export function toCheckFailures(issues: readonly z.core.$ZodIssue[]): CheckFailure[] {
  const failures: CheckFailure[] = [];
  for (const issue of issues) {
    if (issue.code === "unrecognized_keys") {
      for (const key of issue.keys) {
        // An empty key is still named, so every failure points somewhere.
        const name = key === "" ? '""' : key;
        failures.push({
          property: [...issue.path.map((p) => String(p)), name].join("."),
          reason: `unknown property ${JSON.stringify(key)}: wacht.User does not manage it (check the spelling)`,
        });
      }
      continue;
    }
    const property = issue.path.map((p) => String(p)).join(".") || "(resource)";
    failures.push({ property, reason: issue.message });
  }
  return failures;
}

/**
 * The failures as the engine receives them: none names an engine property; the reason names it.
 * For a failure with a property the CLI prints `property P value {V} has a problem`, V being the
 * program's value, and a value the program made secret (`pulumi.secret(...)`, a secret output of
 * another resource) is printed in clear there. The provider cannot tell which values were secret
 * (the dynamic-provider host accepts no secrets, so they arrive unwrapped), so no value is printed
 * for any failure: the CLI prints `resource 'name' has a problem: P: reason` instead.
 */
export function withoutValues(failures: readonly CheckFailure[]): CheckFailure[] {
  return failures.map(({ property, reason }) => {
    if (property === "") return { property, reason };
    const said = reason.startsWith(`${property} `) || reason.startsWith(`${property}:`);
    const shown = /^[\w.$-]+$/.test(property) ? property : JSON.stringify(property);
    return { property: "", reason: said ? reason : `${shown}: ${reason}` };
  });
}
