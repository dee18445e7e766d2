// What the census tells people: the count, one line per named account (at most
// REPORTED_ACCOUNTS_MAX, the state's own list), and what to do about it.
import { isPermissionSelector, type CensusAccount, type CensusSelector } from "./census-inputs";

/** `123 (eve@example.com, username eve)`; by permission `…, username eve; in organization 540…)`. */
export function describeAccount(a: CensusAccount): string {
  const facts = [
    a.email ?? "no email",
    a.username === null ? "no username" : `username ${a.username}`,
  ];
  const where =
    a.organizationIds === undefined || a.organizationIds.length === 0
      ? ""
      : `; in ${a.organizationIds.length === 1 ? "organization" : "organizations"} ${a.organizationIds.join(", ")}`;
  return `${a.id} (${facts.join(", ")}${where})`;
}

const plural = (n: number, word: string): string => `${n} ${word}${n === 1 ? "" : "s"}`;

/** `; and 980 more` when the named accounts are not all of them. */
function more(named: readonly CensusAccount[], count: number): string[] {
  return count > named.length ? [`and ${count - named.length} more`] : [];
}

/** How to declare what a census found: the account, or (by permission) its membership. */
function declareIt(named: readonly CensusAccount[], selector?: CensusSelector): string {
  if (selector !== undefined && isPermissionSelector(selector)) {
    return `  - declare its membership: in its roster file, \`organizations: { "<organizationId>": [<role names>] }\` for each organization where it holds ${selector.permission} (and give the roster's \`memberships\` to the census's declaredMemberships), or remove the role in Wacht, or`;
  }
  return `  - declare it: add a roster file with its userId (\`npx pulumi-wacht export --select id:${named.map((a) => a.id).join(",")} --out users/\` writes them; \`--skip-declared users/\` exports every account the roster does not declare yet), or`;
}

/**
 * The failure of `up` in disable mode when holders of the permission are accounts the stack
 * declares: disabling one would fight its own resource (which keeps it enabled), so none is.
 */
export function declaredHoldersReport(
  named: readonly CensusAccount[],
  count: number,
  permission: string,
): string {
  return [
    `wacht.UserCensus: ${plural(count, "account")} this stack declares ${count === 1 ? "holds" : "hold"} ${permission} through a membership it does not declare, and disable mode does not disable a declared account (its own resource keeps it enabled); nothing was disabled:`,
    ...named.map((a) => `  - ${describeAccount(a)}`),
    ...more(named, count).map((m) => `  - ${m}`),
    `For each one, either declare its membership (in its roster file, \`organizations: { "<organizationId>": [<role names>] }\`), remove the role in Wacht, or allowlist it.`,
  ].join("\n");
}

/** The failure of `up` in report mode. */
export function undeclaredReport(
  named: readonly CensusAccount[],
  count: number,
  selector?: CensusSelector,
): string {
  return [
    `wacht.UserCensus: ${plural(count, "account")} in the deployment ${count === 1 ? "is" : "are"} selected by the census but not declared by this stack:`,
    ...named.map((a) => `  - ${describeAccount(a)}`),
    ...more(named, count).map((m) => `  - ${m}`),
    "For each one, either:",
    declareIt(named, selector),
    "  - allowlist it: add its id, email or username to the census allowlist, or",
    '  - opt in to undeclared: "disable" so that `pulumi up` disables such accounts (it never deletes them).',
  ].join("\n");
}

/**
 * The warning of a diff that found undeclared accounts (preview shows it), attached to the census
 * resource (the logging seam names it, so the text does not).
 */
export function undeclaredWarning(
  named: readonly CensusAccount[],
  count: number,
  disable: boolean,
): string {
  return (
    `${plural(count, "undeclared account")}: ${[...named.map(describeAccount), ...more(named, count)].join("; ")}` +
    (disable
      ? "; `pulumi up` will disable them (never delete)."
      : '; `pulumi up` will fail until each is declared, allowlisted, or undeclared is "disable".')
  );
}

/** What `up` says after disabling undeclared accounts (disable mode), attached to the census. */
export function disabledNotice(named: readonly CensusAccount[], count: number): string {
  return `disabled ${plural(count, "undeclared account")}: ${[...named.map((a) => a.id), ...more(named, count)].join(", ")}`;
}
