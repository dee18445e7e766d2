// Canonical JSON text: JSON.stringify of a copy with every object's keys sorted, so equal values
// give equal bytes (a retry re-sends identical bodies; the census and the password vault compare
// and hash texts). What JSON cannot represent (undefined, NaN/Infinity, a function, a symbol, a
// bigint, a class instance, a cycle) is refused with a TypeError instead of being dropped or changed.

/** `value` with sorted object keys, checked to be JSON; `key` names it in an error. */
function sorted(value: unknown, key: string, ancestors: object[]): unknown {
  const where = key === "" ? "the value" : `the value at ${JSON.stringify(key)}`;
  if (value === null || typeof value === "string" || typeof value === "boolean") return value;
  if (typeof value === "number") {
    if (Number.isFinite(value)) return value;
    throw new TypeError(`${where} is ${value}`);
  }
  if (typeof value !== "object")
    throw new TypeError(`${where} is ${value === undefined ? "undefined" : `a ${typeof value}`}`);
  if (ancestors.includes(value)) throw new TypeError(`${where} is a circular reference`);
  ancestors.push(value);
  let out: unknown;
  if (Array.isArray(value)) out = value.map((v: unknown, i) => sorted(v, String(i), ancestors));
  else {
    const proto: unknown = Object.getPrototypeOf(value);
    if (proto !== Object.prototype && proto !== null)
      throw new TypeError(`${where} is not a plain object`);
    const obj = value as Record<string, unknown>;
    const copy: Record<string, unknown> = Object.create(null) as Record<string, unknown>; // "__proto__" is data
    for (const k of Object.keys(obj).sort()) copy[k] = sorted(obj[k], k, ancestors);
    out = copy;
  }
  ancestors.pop();
  return out;
}

/** Serializes `value` with sorted object keys; throws TypeError for what JSON cannot represent. */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(sorted(value, "", []));
}
