// Canonical JSON text: object keys sorted by code unit, no whitespace, so equal values give equal bytes
// (retries re-send identical bodies; diffs compare texts). Refuses what JSON cannot represent
// (undefined, NaN/Infinity, bigint, functions, symbols, cycles) instead of silently dropping it.

/** Serializes `value` with sorted object keys; throws TypeError naming the JSON path of a bad value. */
export function canonicalJson(value: unknown): string {
  try {
    return fast(value, []);
  } catch {
    // Only a value JSON cannot represent gets here: the path-tracking writer names where it is.
    return write(value, "$", new Set<object>());
  }
}

/** The hot path: no path strings; `stack` holds the objects being written (cycle check). */
function fast(value: unknown, stack: object[]): string {
  if (value === null) return "null";
  switch (typeof value) {
    case "string":
      return JSON.stringify(value);
    case "boolean":
      return value ? "true" : "false";
    case "number":
      if (!Number.isFinite(value)) throw new TypeError("not finite");
      return JSON.stringify(value);
    case "object":
      break;
    default:
      throw new TypeError("not JSON");
  }
  const obj = value;
  if (stack.includes(obj)) throw new TypeError("cycle");
  stack.push(obj);
  let out: string;
  if (Array.isArray(obj)) {
    out = "[";
    for (let i = 0; i < obj.length; i++) out += (i === 0 ? "" : ",") + fast(obj[i], stack);
    out += "]";
  } else {
    const proto: unknown = Object.getPrototypeOf(obj);
    if (proto !== Object.prototype && proto !== null) throw new TypeError("not plain");
    const rec = obj as Record<string, unknown>;
    const keys = Object.keys(rec);
    if (!sorted(keys)) keys.sort();
    out = "{";
    for (let i = 0; i < keys.length; i++) {
      const k = keys[i]!;
      if (i !== 0) out += ",";
      out += JSON.stringify(k);
      out += ":";
      out += fast(rec[k], stack);
    }
    out += "}";
  }
  stack.pop();
  return out;
}

/** True when `keys` are already in code-unit order (then they need no sort). */
function sorted(keys: readonly string[]): boolean {
  for (let i = 1; i < keys.length; i++) if (keys[i - 1]! > keys[i]!) return false;
  return true;
}

function write(value: unknown, path: string, seen: Set<object>): string {
  if (value === null) return "null";
  switch (typeof value) {
    case "string":
      return JSON.stringify(value);
    case "boolean":
      return value ? "true" : "false";
    case "number":
      if (!Number.isFinite(value)) throw new TypeError(`${path} is not a finite number`);
      return JSON.stringify(value);
    case "object":
      break;
    default:
      throw new TypeError(`${path} is a ${typeof value}, which JSON cannot represent`);
  }
  const obj = value;
  if (seen.has(obj)) throw new TypeError(`${path} is a circular reference`);
  seen.add(obj);
  try {
    if (Array.isArray(obj)) {
      return `[${obj.map((v: unknown, i) => write(v, `${path}[${i}]`, seen)).join(",")}]`;
    }
    const proto: unknown = Object.getPrototypeOf(obj);
    if (proto !== Object.prototype && proto !== null) {
      throw new TypeError(`${path} is not a plain object`);
    }
    const rec = obj as Record<string, unknown>;
    const keys = Object.keys(rec).sort();
    return `{${keys.map((k) => `${JSON.stringify(k)}:${write(rec[k], `${path}.${k}`, seen)}`).join(",")}}`;
  } finally {
    seen.delete(obj);
  }
}
