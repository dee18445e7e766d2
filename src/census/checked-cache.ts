// The census's cache of checked candidates: for each user whose details it read, whether the
// selector matched them and whether they were disabled, valid while their `updated_at` stays the
// same, so the next census reads only the candidates that changed. It lives in the census's state
// under an internal key (never displayed by the engine), and it holds no one's id or timestamp:
// each entry is a digest of the id → a digest of the `updated_at` it was read at, and two flags.
// (Until issue #21 it was a plain `inspected` map of ids, timestamps and flags, printed in every
// `preview --refresh --diff` where it changed.) 64-bit id digests and 32-bit timestamp digests:
// a collision would at worst skip one details read until the user next changes.
import { createHash } from "node:crypto";
import { toMicros } from "../diff/timestamps";
import { canonicalUserId } from "../schema/user-id";

/** What the census learned of a candidate's details. */
export interface CheckedFacts {
  /** The selector matched the details. */
  selected: boolean;
  disabled: boolean;
}

function digest(text: string, hexChars: number): string {
  return createHash("sha256").update(text).digest("hex").slice(0, hexChars);
}

const idKey = (id: string): string => digest(canonicalUserId(id), 16);
const version = (updatedAt: string): string => digest(toMicros(updatedAt), 8);

/** The recorded cache, read-only, and the next one being built. */
export class CheckedCache {
  private readonly next: Record<string, string> = {};

  constructor(private readonly recorded: Readonly<Record<string, string>> = {}) {}

  /** The facts recorded for `id` as of `updatedAt`; undefined when it changed or was never read. */
  lookup(id: string, updatedAt: string): CheckedFacts | undefined {
    const entry = this.recorded[idKey(id)];
    if (entry === undefined || entry.slice(0, 8) !== version(updatedAt)) return undefined;
    return { selected: entry[8] === "s", disabled: entry[9] === "d" };
  }

  /** Records what is known of `id` as of `updatedAt` in the next cache. */
  record(id: string, updatedAt: string, facts: CheckedFacts): void {
    this.next[idKey(id)] =
      `${version(updatedAt)}${facts.selected ? "s" : "-"}${facts.disabled ? "d" : "-"}`;
  }

  /** The next cache: the candidates recorded in this census (the others dropped out). */
  entries(): Record<string, string> {
    return { ...this.next };
  }
}

/** The cache of a state written before the digests (`inspected`: id → updatedAt and flags). */
export function checkedFromInspected(
  inspected: Readonly<Record<string, { updatedAt: string; selected: boolean; disabled: boolean }>>,
): Record<string, string> {
  const cache = new CheckedCache();
  for (const [id, facts] of Object.entries(inspected)) cache.record(id, facts.updatedAt, facts);
  return cache.entries();
}
