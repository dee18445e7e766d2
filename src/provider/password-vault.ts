// Write-only passwords (issue #5). `check` receives the declared password and keeps it in this
// process's memory; the inputs it returns carry only a constant marker (`passwordHandle`), so the
// password never reaches state, outputs or logs, and a plan never shows a changing handle.
// `create`/`update` run in the same provider process as the run's `check` (the engine starts one
// per run) and find the password again by the declaration it was declared with: the key is a
// digest of the checked inputs (without the marker and the engine's `__provider`), computed in
// memory and never stored. Two declarations with identical inputs but different passwords (the
// same user declared twice) make the entry ambiguous: neither is used.
import { hash } from "node:crypto";
import { canonicalJson } from "../client/canonical-json";

/** The value of `passwordHandle` in checked inputs: a password is declared and held in memory. */
export const PASSWORD_HELD = "held in memory by this run's provider";

export type Held = { password: string } | { ambiguous: true } | undefined;

const AMBIGUOUS = Symbol("ambiguous");

/** The digest a declaration is filed under (its keys other than the marker and `__provider`). */
function keyOf(declaration: Record<string, unknown>): string {
  const rest: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(declaration)) {
    if (k !== "passwordHandle" && k !== "__provider" && v !== undefined) rest[k] = v;
  }
  return hash("sha256", canonicalJson(rest), "hex");
}

/** In-memory declaration → password map, one per provider instance. */
export class PasswordVault {
  readonly #passwords = new Map<string, string | typeof AMBIGUOUS>();

  /** Keeps `password` for `declaration` (the checked inputs); returns the marker to put in them. */
  stash(password: string, declaration: Record<string, unknown>): string {
    const key = keyOf(declaration);
    const held = this.#passwords.get(key);
    this.#passwords.set(key, held === undefined || held === password ? password : AMBIGUOUS);
    return PASSWORD_HELD;
  }

  /** The password kept for `declaration`, whether it is ambiguous, or undefined when never seen. */
  find(declaration: Record<string, unknown>): Held {
    const held = this.#passwords.get(keyOf(declaration));
    if (held === undefined) return undefined;
    return held === AMBIGUOUS ? { ambiguous: true } : { password: held };
  }

  /** Never print passwords, even by accident. */
  toJSON(): string {
    return `[PasswordVault: ${this.#passwords.size} entries]`;
  }
}
