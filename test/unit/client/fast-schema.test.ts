// The compiled fast path of response validation agrees with the zod schemas it is built from: on
// the real shapes and on every single-field mutation of them (a key removed, or set to null, a
// number, a string, an object, an array, a boolean), it accepts exactly what zod accepts and gives
// the same value, unknown keys (the social tokens) stripped.
import type { z } from "zod";
import { fastCheck, INVALID } from "../../../src/client/fast-schema";
import {
  ApiUserDetailsSchema,
  ApiUserListPageSchema,
  ApiUserSummarySchema,
} from "../../../src/schema/wire";
import { userDetails, userSummary } from "./fixtures";

const clone = <T>(v: T): T => JSON.parse(JSON.stringify(v)) as T;

/** Every path to an object key or array item in `value`. */
function paths(value: unknown, prefix: (string | number)[] = []): (string | number)[][] {
  if (typeof value !== "object" || value === null) return [];
  const out: (string | number)[][] = [];
  const entries: [string | number, unknown][] = Array.isArray(value)
    ? value.map((v, i) => [i, v])
    : Object.entries(value);
  for (const [k, v] of entries) {
    out.push([...prefix, k]);
    out.push(...paths(v, [...prefix, k]));
  }
  return out;
}

const REPLACEMENTS: unknown[] = [null, 1, 1.5, "x", {}, [], true];

function mutations(base: unknown): { what: string; value: unknown }[] {
  const out: { what: string; value: unknown }[] = [{ what: "as is", value: clone(base) }];
  for (const p of paths(base)) {
    const parentPath = p.slice(0, -1);
    const key = p[p.length - 1]!;
    const make = (fn: (parent: Record<string | number, unknown>) => void, what: string) => {
      const v = clone(base);
      let parent = v as Record<string | number, unknown>;
      for (const k of parentPath) parent = parent[k] as Record<string | number, unknown>;
      fn(parent);
      out.push({ what: `${p.join(".")} ${what}`, value: v });
    };
    make((parent) => {
      if (Array.isArray(parent)) parent.splice(Number(key), 1);
      else delete parent[key];
    }, "removed");
    for (const r of REPLACEMENTS) make((parent) => (parent[key] = r), `= ${JSON.stringify(r)}`);
  }
  make2(out, base);
  return out;
}

/** Unknown keys at the top level and inside a nested object. */
function make2(out: { what: string; value: unknown }[], base: unknown): void {
  const v = clone(base) as Record<string, unknown>;
  v["unknown_key"] = { any: "thing" };
  out.push({ what: "an unknown top-level key", value: v });
}

const CASES: [string, z.ZodType, unknown][] = [
  ["UserDetails", ApiUserDetailsSchema, userDetails()],
  ["UserWithIdentifiers", ApiUserSummarySchema, userSummary()],
  [
    "a list page",
    ApiUserListPageSchema,
    { data: [userSummary(), userSummary({ id: "2" })], has_more: true, limit: 2, offset: 0 },
  ],
];

describe.each(CASES)("fast path of %s", (_name, schema, base) => {
  const all = mutations(base);

  it(`accepts exactly what zod accepts and returns the same value (${all.length} variants)`, () => {
    const disagreements: string[] = [];
    for (const { what, value } of all) {
      const viaZod = schema.safeParse(clone(value));
      const fast = fastCheck(schema)(clone(value));
      if (viaZod.success !== (fast !== INVALID)) {
        disagreements.push(`${what}: zod ${viaZod.success ? "accepts" : "refuses"}`);
      } else if (viaZod.success && JSON.stringify(fast) !== JSON.stringify(viaZod.data)) {
        disagreements.push(`${what}: different values`);
      }
    }
    expect(disagreements).toEqual([]);
    expect(all.length).toBeGreaterThan(50);
  });
});

describe("without code generation from strings", () => {
  it("checks with the same rules (closures instead of generated code)", () => {
    const saved = globalThis.Function;
    // What `node --disallow-code-generation-from-strings` does to `new Function`.
    globalThis.Function = function () {
      throw new EvalError("Code generation from strings disallowed for this context");
    } as unknown as FunctionConstructor;
    let check: (v: unknown) => unknown;
    try {
      // A fresh schema object: compiled checks are cached per schema.
      check = fastCheck(ApiUserDetailsSchema.extend({}));
    } finally {
      globalThis.Function = saved;
    }
    const disagreements: string[] = [];
    for (const { what, value } of mutations(userDetails())) {
      const viaZod = ApiUserDetailsSchema.safeParse(clone(value));
      const fast = check(clone(value));
      if (viaZod.success !== (fast !== INVALID)) disagreements.push(`${what}: differs`);
      else if (viaZod.success && JSON.stringify(fast) !== JSON.stringify(viaZod.data))
        disagreements.push(`${what}: different values`);
    }
    expect(disagreements).toEqual([]);
  });
});

describe("the fast path strips what zod strips", () => {
  it("drops the social connection tokens", () => {
    const out = fastCheck(ApiUserDetailsSchema)(clone(userDetails())) as Record<string, unknown>;
    expect(JSON.stringify(out)).not.toContain("ACCESS_TOKEN");
    expect(JSON.stringify(out)).not.toContain("REFRESH_TOKEN");
    expect((out["social_connections"] as Record<string, unknown>[])[0]).not.toHaveProperty(
      "access_token",
    );
  });
});
