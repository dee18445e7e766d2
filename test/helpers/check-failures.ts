// The User provider hands the engine failures that name no property (the CLI would print the
// property's value, maybe a secret: src/schema/check-failures.ts withoutValues); the reason leads
// with the property instead. Tests read them back as { property, reason } to assert which
// property failed, after asserting the engine form.
import type { CheckFailure } from "../../src/schema/check-failures";

/** Each failure as { property, reason }, the property read from the reason's lead. */
export function byProperty(failures: readonly CheckFailure[]): CheckFailure[] {
  return failures.map((f) => {
    if (f.property !== "") throw new Error(`a failure names an engine property: ${f.property}`);
    const m = /^("(?:[^"\\]|\\.)*"|[\w.$-]+)(: )?/.exec(f.reason);
    if (m === null) throw new Error(`a failure's reason names no property: ${f.reason}`);
    const lead = m[1]!;
    const property = lead.startsWith('"') ? (JSON.parse(lead) as string) : lead;
    return { property, reason: m[2] !== undefined ? f.reason.slice(m[0].length) : f.reason };
  });
}
