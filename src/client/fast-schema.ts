// A compiled fast path for response validation. The zod schemas in schema/wire.ts stay the one
// definition of every wire shape; this module walks a schema's definition once and builds plain
// closures that check a freshly JSON.parsed value with the same rules, in place: objects without
// unknown keys are kept as they are, objects with unknown keys (e.g. a social connection's tokens)
// are copied without them, exactly as zod's default strip does. Anything the walker does not know
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

function compile(schema: z.ZodType): FastCheck {
  // Whatever JSON.parse produced is a JSON value (finite numbers, plain arrays and objects);
  // only a missing one is refused.
  if (schema === JsonValueSchema) return (value) => (value === undefined ? INVALID : value);
  const def = (schema as unknown as { _zod: { def: Def } })._zod.def;
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

function compileObject(shape: Record<string, z.ZodType>): FastCheck {
  const keys = Object.keys(shape);
  const checks = keys.map((k) => compile(shape[k]!));
  // JSON has no undefined, so `obj[key] !== undefined` means the key is present, except for names
  // an object inherits (toString…): those are looked up as own keys.
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
    // Unknown keys (or a replaced value): a copy with the schema's keys only, like zod's strip.
    const out: Record<string, unknown> = {};
    for (const key of keys) {
      if (replaced !== undefined && Object.hasOwn(replaced, key)) out[key] = replaced[key];
      else if (Object.hasOwn(obj, key)) out[key] = obj[key];
    }
    return out;
  };
}
