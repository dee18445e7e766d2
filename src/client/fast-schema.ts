// A compiled fast path for response validation. The zod schemas in schema/wire.ts stay the one
// definition of every wire shape; this module walks a schema's definition once and builds checks
// (generated code for objects, closures for the rest) that test a freshly JSON.parsed value with
// the same rules, in place: objects without unknown keys are kept as they are, objects with
// unknown keys (e.g. a social connection's tokens) are copied without them, exactly as zod's
// default strip does. Anything the walker does not know
// (checks such as .int(), other schema kinds) is handed to zod itself for that subtree.
// When the fast path finds a problem, the caller runs zod's own parse for the exact issues, so
// error messages do not change. Why: zod parsing of the full user was ~7 µs of a ~40 µs call
// (docs/decisions/0009-client-wire-cost.md).

import type { z } from "zod";
import { JsonValueSchema } from "../schema/json";

/** Returned by a compiled check for a value the schema refuses. */
export const INVALID: unique symbol = Symbol("invalid");

/** A compiled check: the validated (possibly stripped) value, or INVALID. */
export type FastCheck = (value: unknown) => unknown;

interface Def {
  type: string;
  checks?: unknown[];
  shape?: Record<string, z.ZodType>;
  catchall?: z.ZodType;
  element?: z.ZodType;
  innerType?: z.ZodType;
  options?: z.ZodType[];
}

const cache = new WeakMap<z.ZodType, FastCheck>();

/** The compiled check of `schema` (compiled once, then cached). */
export function fastCheck(schema: z.ZodType): FastCheck {
  let check = cache.get(schema);
  if (check === undefined) {
    check = compile(schema);
    cache.set(schema, check);
  }
  return check;
}

function viaZod(schema: z.ZodType): FastCheck {
  return (value) => {
    const r = schema.safeParse(value);
    return r.success ? r.data : INVALID;
  };
}

function defOf(schema: z.ZodType): Def {
  return (schema as unknown as { _zod: { def: Def } })._zod.def;
}

function compile(schema: z.ZodType): FastCheck {
  // Whatever JSON.parse produced is a JSON value (finite numbers, plain arrays and objects);
  // only a missing one is refused.
  if (schema === JsonValueSchema) return (value) => (value === undefined ? INVALID : value);
  const def = defOf(schema);
  if (def.checks !== undefined && def.checks.length > 0) return viaZod(schema);
  switch (def.type) {
    case "string":
      return (v) => (typeof v === "string" ? v : INVALID);
    case "boolean":
      return (v) => (typeof v === "boolean" ? v : INVALID);
    case "number":
      return (v) => (typeof v === "number" && Number.isFinite(v) ? v : INVALID);
    case "nullable": {
      const inner = compile(def.innerType!);
      return (v) => (v === null ? null : inner(v));
    }
    case "optional": {
      const inner = compile(def.innerType!);
      return (v) => (v === undefined ? undefined : inner(v));
    }
    case "array":
      return compileArray(compile(def.element!));
    case "object":
      return def.catchall === undefined ? compileObject(def.shape!) : viaZod(schema);
    default:
      return viaZod(schema);
  }
}

function compileArray(element: FastCheck): FastCheck {
  return (v) => {
    if (!Array.isArray(v)) return INVALID;
    const arr = v as unknown[];
    for (let i = 0; i < arr.length; i++) {
      const item = arr[i];
      const r = element(item);
      if (r === INVALID) return INVALID;
      if (r !== item) arr[i] = r;
    }
    return arr;
  };
}

/**
 * A leaf schema's test as a JavaScript expression over `x` that is true when `x` is REFUSED, or
 * undefined when the schema is not a leaf (an object, an array, anything zod must check). A leaf
 * never changes the value, so its test is all the compiled object needs.
 */
function refusedWhen(schema: z.ZodType): string | undefined {
  if (schema === JsonValueSchema) return "x === undefined";
  const def = defOf(schema);
  if (def.checks !== undefined && def.checks.length > 0) return undefined;
  switch (def.type) {
    case "string":
      return 'typeof x !== "string"';
    case "boolean":
      return 'typeof x !== "boolean"';
    case "number":
      return '(typeof x !== "number" || !Number.isFinite(x))';
    case "nullable": {
      const inner = refusedWhen(def.innerType!);
      return inner === undefined ? undefined : `(x !== null && ${inner})`;
    }
    case "optional": {
      const inner = refusedWhen(def.innerType!);
      return inner === undefined ? undefined : `(x !== undefined && ${inner})`;
    }
    default:
      return undefined;
  }
}

/**
 * An object check, generated as the source of one function with a property read per key of the
 * schema (`v["first_name"]`), leaves tested inline and the other fields through their own compiled
 * checks. Reading each key at its own site is what makes it fast: one loop reading every key
 * through a variable (`v[key]`) goes through V8's slowest property lookup (~1.5 µs per user).
 * The source is made only from the schema's own key names (JSON-quoted) and fixed text.
 */
function compileObject(shape: Record<string, z.ZodType>): FastCheck {
  try {
    return generatedObject(shape);
  } catch (e) {
    // Node started with --disallow-code-generation-from-strings: the same rules as closures.
    if (e instanceof EvalError) return closureObject(shape);
    throw e;
  }
}

function generatedObject(shape: Record<string, z.ZodType>): FastCheck {
  const keys = Object.keys(shape);
  const nested: FastCheck[] = [];
  // When no key may be absent, a copy is one object literal (`{"id": f0, …}`) in schema order.
  const literal = keys.every((k) => k !== "__proto__" && defOf(shape[k]!).type !== "optional");
  let body =
    'if (typeof v !== "object" || v === null || Array.isArray(v)) return INVALID;\n' +
    "let present = 0, replaced, x, r;\n";
  keys.forEach((key, i) => {
    const k = JSON.stringify(key);
    // JSON has no undefined, so `v[key] !== undefined` means the key is present, except for names
    // an object inherits (toString…): those are looked up as own keys.
    body +=
      key in Object.prototype ? `x = hasOwn(v, ${k}) ? v[${k}] : undefined;\n` : `x = v[${k}];\n`;
    body += "if (x !== undefined) present++;\n";
    const refused = refusedWhen(shape[key]!);
    if (refused !== undefined) {
      body += `if (${refused}) return INVALID;\n`;
      if (literal) body += `const f${i} = x;\n`;
    } else {
      nested.push(compile(shape[key]!));
      body += `r = nested[${nested.length - 1}](x);\n`;
      body += "if (r === INVALID) return INVALID;\n";
      body += `if (r !== x) (replaced ??= {})[${k}] = r;\n`;
      if (literal) body += `const f${i} = r;\n`;
    }
  });
  body += "let count = 0;\nfor (const _ in v) count++;\n";
  body += "if (present === count && replaced === undefined) return v;\n";
  // Unknown keys (or a replaced value): a copy with the schema's keys only, like zod's strip.
  body += literal
    ? `return { ${keys.map((key, i) => `${JSON.stringify(key)}: f${i}`).join(", ")} };\n`
    : "return strip(v, replaced);\n";
  const strip = (obj: Record<string, unknown>, replaced: Record<string, unknown> | undefined) => {
    const out: Record<string, unknown> = {};
    for (const key of keys) {
      if (replaced !== undefined && Object.hasOwn(replaced, key)) out[key] = replaced[key];
      else if (Object.hasOwn(obj, key)) out[key] = obj[key];
    }
    return out;
  };
  // eslint-disable-next-line @typescript-eslint/no-implied-eval -- generated from the schema's key names only (above)
  const make = new Function(
    "INVALID",
    "nested",
    "strip",
    "hasOwn",
    `"use strict";\nreturn function check(v) {\n${body}};`,
  ) as (
    invalid: typeof INVALID,
    nested: FastCheck[],
    strip: (obj: Record<string, unknown>, replaced: Record<string, unknown> | undefined) => unknown,
    hasOwn: (o: object, k: string) => boolean,
  ) => FastCheck;
  return make(INVALID, nested, strip, Object.hasOwn);
}

/** The object check without generated code (slower: every key is read through a variable). */
function closureObject(shape: Record<string, z.ZodType>): FastCheck {
  const keys = Object.keys(shape);
  const checks = keys.map((k) => compile(shape[k]!));
  const inherited = keys.map((k) => k in Object.prototype);
  return (v) => {
    if (typeof v !== "object" || v === null || Array.isArray(v)) return INVALID;
    const obj = v as Record<string, unknown>;
    let present = 0;
    let replaced: Record<string, unknown> | undefined;
    for (let i = 0; i < keys.length; i++) {
      const key = keys[i]!;
      const has = inherited[i] ? Object.hasOwn(obj, key) : obj[key] !== undefined;
      const value = has ? obj[key] : undefined;
      const r = checks[i]!(value);
      if (r === INVALID) return INVALID;
      if (has) present++;
      if (r !== value) (replaced ??= {})[key] = r;
    }
    let count = 0;
    // eslint-disable-next-line @typescript-eslint/no-unused-vars -- counting keys without an array
    for (const _ in obj) count++;
    if (present === count && replaced === undefined) return obj;
    const out: Record<string, unknown> = {};
    for (const key of keys) {
      if (replaced !== undefined && Object.hasOwn(replaced, key)) out[key] = replaced[key];
      else if (Object.hasOwn(obj, key)) out[key] = obj[key];
    }
    return out;
  };
}
