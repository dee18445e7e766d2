// JSON values as the Wacht API stores them in public_metadata / private_metadata (docs/wacht-api.md §3, §5).
// Pure types + one zod schema; no I/O. Shared by the client (wire shapes) and the provider (inputs).

import { z } from "zod";

/** A JSON object: string keys to JSON values. */
export interface JsonObject {
  [key: string]: JsonValue;
}

/** Any value that survives a JSON round trip unchanged (no undefined, NaN, functions, bigint). */
export type JsonValue = string | number | boolean | null | JsonValue[] | JsonObject;

/** Zod schema accepting exactly the {@link JsonValue}s (finite numbers, plain arrays/objects). */
export const JsonValueSchema: z.ZodType<JsonValue> = z.json();

/**
 * The first place in `value` that JSON cannot hold (NaN, ±Infinity, undefined, a function, a
 * bigint, a symbol), as a path and a description; `null` when `value` is JSON. Iterative, so a
 * deep value cannot overflow the stack.
 */
export function firstNonJson(value: unknown): { path: (string | number)[]; what: string } | null {
  const stack: { v: unknown; path: (string | number)[] }[] = [{ v: value, path: [] }];
  while (stack.length > 0) {
    const { v, path } = stack.pop() as { v: unknown; path: (string | number)[] };
    if (typeof v === "number" && !Number.isFinite(v)) return { path, what: String(v) };
    if (
      v === undefined ||
      typeof v === "function" ||
      typeof v === "bigint" ||
      typeof v === "symbol"
    )
      return { path, what: typeof v === "undefined" ? "undefined" : `a ${typeof v}` };
    if (Array.isArray(v)) v.forEach((item, i) => stack.push({ v: item, path: [...path, i] }));
    else if (v !== null && typeof v === "object") {
      for (const [k, item] of Object.entries(v)) stack.push({ v: item, path: [...path, k] });
    }
  }
  return null;
}

/**
 * Wacht parses metadata with serde_json, whose default recursion limit is 128: deeper JSON is
 * "invalid" and silently ignored by the server (docs/wacht-api.md §3).
 */
export const MAX_JSON_DEPTH = 128;

/**
 * True when `value` nests arrays/objects more than `limit` levels deep (iterative, and one item at
 * a time: spreading a list of 200,000 items into `push` overflows the call stack).
 */
export function deeperThan(value: unknown, limit: number): boolean {
  let level: unknown[] = [value];
  for (let depth = 0; level.length > 0; depth++) {
    const next: unknown[] = [];
    for (const v of level) {
      if (v !== null && typeof v === "object") {
        if (depth >= limit) return true;
        for (const item of Object.values(v)) next.push(item);
      }
    }
    level = next;
  }
  return false;
}
