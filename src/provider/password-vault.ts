// Write-only passwords (issue #5). `check` receives the declared password, keeps it in this
// process's memory under a random handle and returns only the handle as an input, so the
// password never reaches state, outputs or logs. `create`/`update` of the same deployment run in
// the same provider process (the engine starts one per run), and take it back by handle.
import { randomUUID } from "node:crypto";

/** In-memory handle → password map, one per provider instance. */
export class PasswordVault {
  readonly #passwords = new Map<string, string>();

  /** Stores `password` and returns a new random handle to it. */
  stash(password: string): string {
    const handle = randomUUID();
    this.#passwords.set(handle, password);
    return handle;
  }

  /** The password behind `handle`, or undefined when this process never saw it. */
  take(handle: unknown): string | undefined {
    return typeof handle === "string" ? this.#passwords.get(handle) : undefined;
  }

  /** Never print passwords, even by accident. */
  toJSON(): string {
    return `[PasswordVault: ${this.#passwords.size} entries]`;
  }
}
