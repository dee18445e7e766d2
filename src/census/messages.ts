// What the census tells people: one line per account, and what to do about it.
import type { CensusAccount } from "./census-inputs";

/** `123 (eve@example.com, username eve, created 2026-01-02T…)`. */
export function describeAccount(a: CensusAccount): string {
  const facts = [
    a.email ?? "no email",
    a.username === null ? "no username" : `username ${a.username}`,
    `created ${a.createdAt}`,
  ];
  return `${a.id} (${facts.join(", ")})`;
}

/** The failure of `up` in report mode. */
export function undeclaredReport(accounts: readonly CensusAccount[]): string {
  const n = accounts.length;
  return [
    `wacht.UserCensus: ${n} account${n === 1 ? "" : "s"} in the deployment ${n === 1 ? "is" : "are"} selected by the census but not declared by this stack:`,
    ...accounts.map((a) => `  - ${describeAccount(a)}`),
    "For each one, either:",
    `  - declare it: add a roster file with its userId (\`npx pulumi-wacht export --select id:${accounts.map((a) => a.id).join(",")} --out users/\` writes them), or`,
    "  - allowlist it: add its id, email or username to the census allowlist, or",
    '  - opt in to undeclared: "disable" so that `pulumi up` disables such accounts (it never deletes them).',
  ].join("\n");
}

/** The warning of a diff that found undeclared accounts (preview shows it). */
export function undeclaredWarning(accounts: readonly CensusAccount[], disable: boolean): string {
  const n = accounts.length;
  return (
    `wacht.UserCensus: ${n} undeclared account${n === 1 ? "" : "s"}: ${accounts.map(describeAccount).join("; ")}` +
    (disable
      ? "; `pulumi up` will disable them (never delete)."
      : '; `pulumi up` will fail until each is declared, allowlisted, or undeclared is "disable".')
  );
}
