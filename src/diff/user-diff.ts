// Diff of a `wacht.User` declaration against the last read state, for the engine's Diff. Pure and
// synchronous: zero HTTP requests (issue #4). It composes the concerns: identity (a new identity
// replaces), the managed fields (field-changes.ts), the password version, and the declaration-side
// settings (setting-changes.ts).
import { UNKNOWN, type ManagedField } from "../schema/user-fields";
import { originOf } from "./declaration-state";
import { changedFields, type DiffableDeclaration, type DiffableState } from "./field-changes";
import { jsonEqual } from "./json-equal";
import { changedSettings } from "./setting-changes";

/** State value of `passwordVersion` when setting the declared password failed: retried next time. */
export const PASSWORD_PENDING = "(password not set yet)";

export type { DiffableDeclaration, DiffableState } from "./field-changes";

export interface UserDiff {
  /** True when an update (or replacement) is needed. */
  changes: boolean;
  /** Properties whose change forces a replacement (`userId`, `adopt`, or a switch to creation). */
  replaces: string[];
  /** Managed fields whose declared value differs from the state (these go into the PATCH). */
  changedFields: ManagedField[];
  /** True when `passwordVersion` changed: the password is set again. */
  passwordChanged: boolean;
  /** Declaration-only properties that changed without touching the user (e.g. `onDelete`). */
  changedSettings: string[];
}

/** Properties whose change means another user: the resource is replaced. */
function replacements(olds: DiffableState, news: DiffableDeclaration): string[] {
  if (olds.userId === undefined) return [];
  const oldOrigin = olds.origin ?? "userId";
  switch (originOf(news)) {
    case "userId":
      return news.userId === UNKNOWN || news.userId !== olds.userId ? ["userId"] : [];
    case "adopt":
      return oldOrigin !== "adopt" || !jsonEqual(olds.adopt ?? null, news.adopt) ? ["adopt"] : [];
    case "create":
      // Pinning nothing and declaring a new user where an existing one was managed: a new user.
      return oldOrigin === "create" ? [] : ["userId"];
  }
}

/** True when the declared password must be set: a new version, or one still pending. */
export function passwordChanged(olds: DiffableState, news: DiffableDeclaration): boolean {
  const version = news.passwordVersion;
  return (
    (version !== undefined &&
      (version === UNKNOWN || version !== (olds.passwordVersion ?? null))) ||
    (olds.passwordVersion === PASSWORD_PENDING && news.passwordHandle !== undefined)
  );
}

/**
 * Compares the declaration `news` (checked inputs) with `olds` (the state: outputs of the last
 * create, update or refresh). Values equal to the preview-unknown sentinel count as changed.
 */
export function diffUser(olds: DiffableState, news: DiffableDeclaration): UserDiff {
  const replaces = replacements(olds, news);
  const fields = changedFields(olds, news);
  const password = passwordChanged(olds, news);
  const settings = changedSettings(olds, news);
  if (
    news.profileImage !== undefined &&
    news.profileImage !== (olds.profileImage ?? undefined) &&
    !fields.includes("profileImage")
  ) {
    settings.push("profileImage"); // same bytes at a new path: the state follows the declaration
  }
  return {
    changes: replaces.length > 0 || fields.length > 0 || password || settings.length > 0,
    replaces,
    changedFields: fields,
    passwordChanged: password,
    changedSettings: settings,
  };
}
