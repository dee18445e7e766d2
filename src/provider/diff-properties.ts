// The properties a wacht.User diff changes, by name: what a front door that reports changes one
// property at a time needs (the native provider's detailedDiff, so `--diff` shows each field).
// Read off the diff's own result: no second rule of what changed.
import type { UserDiff } from "../diff/user-diff";

/** Top-level property names: replaced identity, PATCHed fields, the password, settings. */
export function changedProperties(diff: UserDiff, passwordVersionDeclared: boolean): string[] {
  const password = passwordVersionDeclared ? "passwordVersion" : "password";
  return [
    ...new Set([
      ...diff.replaces,
      ...diff.changedFields,
      ...(diff.passwordChanged ? [password] : []),
      // "publicMetadata keys" is a change of publicMetadata; "(unread state)" names no property.
      ...diff.changedSettings.map((s) => s.replace(/ keys$/, "")).filter((s) => !s.startsWith("(")),
    ]),
  ];
}
