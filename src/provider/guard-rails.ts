// Side-effect warnings and guard rails (issue #5): what a PATCH or DELETE will do beyond the
// field itself, said before it happens. Disabling revokes every session (docs/wacht-api.md §3),
// enforcing 2FA on a user with no second factor can lock them out, and deleting cascades (§7).
import type { ApiUserDetails } from "../schema/wire";
import type { ManagedField } from "../schema/user-fields";
import type { UserDeclaration } from "../schema/user-state";

/** Warnings for a PATCH of `fields` with `declared` values on the user `live`. */
export function sideEffectWarnings(
  userId: string,
  fields: readonly ManagedField[],
  declared: UserDeclaration,
): string[] {
  const warnings: string[] = [];
  if (fields.includes("disabled") && declared.disabled === true) {
    warnings.push(
      `disabling Wacht user ${userId} revokes all of the user's sessions (Wacht deletes every sign-in)`,
    );
  }
  return warnings;
}

/** True when the user has no second factor the API can show: no backup codes, no verified phone. */
export function hasNoVisibleSecondFactor(live: ApiUserDetails): boolean {
  return !live.has_backup_codes && !live.phone_numbers.some((p) => p.verified);
}

/**
 * The lockout check for `secondFactorPolicy: "enforced"`: a message when the user could be
 * locked out (an error with allowLockout: false, a warning otherwise), or null.
 */
export function lockoutRisk(
  userId: string,
  fields: readonly ManagedField[],
  declared: UserDeclaration,
  live: ApiUserDetails,
): string | null {
  if (!fields.includes("secondFactorPolicy") || declared.secondFactorPolicy !== "enforced") {
    return null;
  }
  if (!hasNoVisibleSecondFactor(live)) return null;
  return (
    `enforcing a second factor on Wacht user ${userId}, who has no backup codes and no verified phone, ` +
    `may lock the user out at the next sign-in`
  );
}

/**
 * What deleting the user takes with it: counts from the state's last read, and its memberships
 * as listed just before the delete (`undefined`: not listed; segments are labels, not memberships).
 */
export function deleteCascadeWarning(
  userId: string,
  state: { emailAddresses?: unknown[]; phoneNumbers?: unknown[] },
  memberships?: readonly string[],
): string {
  const held =
    memberships === undefined
      ? "its organization and workspace memberships"
      : memberships.length === 0
        ? "no organization or workspace membership"
        : `its memberships: ${memberships.join(", ")}`;
  return (
    `deleting Wacht user ${userId} for good (onDelete: "delete"): Wacht also deletes its ` +
    `${state.emailAddresses?.length ?? 0} email address(es), ${state.phoneNumbers?.length ?? 0} phone number(s), ` +
    `${held}; its passkeys, authenticators, social connections and sessions`
  );
}
