// Two `wacht.User` resources of one program that would create or claim the same account (the
// same userId, email, username or phone: src/schema/account-claims.ts) fail before anything is
// sent, naming both. This is decided in the program, not by the provider: a dynamic provider's
// `check` sees one resource at a time and not its name, while the program constructs them all,
// by name, in one process. Wacht refuses neither a second account with an email nor a second
// user with a username, so without this a copied declaration made a second account.
import * as pulumi from "@pulumi/pulumi";
import { accountClaims, type AccountKeyFields } from "../schema/account-claims";

/**
 * Per program run, each claimed key → the name of the resource claiming it. A run is its Stack
 * resource (`pulumi up` through the Automation API runs the program twice in one process, each
 * with its own), else its resource monitor (a test's `setMocks`), else the process.
 */
const RUNS = new WeakMap<object, Map<string, string>>();
const NO_RUN = {};

function registry(): Map<string, string> {
  const run = pulumi.runtime.getStackResource() ?? pulumi.runtime.getMonitor() ?? NO_RUN;
  const claims = RUNS.get(run) ?? new Map<string, string>();
  RUNS.set(run, claims);
  return claims;
}

/** The message naming both resources, or undefined when `name` is the first to claim its keys. */
function conflict(name: string, fields: AccountKeyFields): string | undefined {
  const claims = registry();
  const problems: string[] = [];
  const mine = accountClaims(fields);
  for (const claim of mine) {
    const other = claims.get(claim.key);
    if (other !== undefined && other !== name) {
      problems.push(`${claim.label} is also declared by wacht.User "${other}"`);
    }
  }
  if (problems.length > 0) {
    return `wacht.User "${name}" and another wacht.User declare the same account: ${problems.join("; ")}. Declare each account once: remove one of them, or give it a different key`;
  }
  for (const claim of mine) claims.set(claim.key, name);
  return undefined;
}

/**
 * The error, printed by the language host as its message alone (a `pulumi.RunError`). When it
 * rejects an input of a registration, the SDK prefixes the message with the property being
 * serialized (`error serializing property "__resourceUrn": …`, an internal key the user never
 * wrote); the message here stays what it says.
 */
class SameAccountError extends pulumi.RunError {
  constructor(message: string) {
    super(message);
    Object.defineProperty(this, "message", {
      get: () => message,
      set: () => undefined,
      enumerable: false,
      configurable: true,
    });
  }
}

/** True for a value known now: not an Output or a Promise, nor an object holding one. */
function isPlain(value: unknown): boolean {
  if (value === undefined || value === null) return true;
  if (pulumi.Output.isInstance(value) || value instanceof Promise) return false;
  if (typeof value === "object") return Object.values(value).every(isPlain);
  return true;
}

/**
 * Registers the account keys of resource `name`. When they are plain values it throws at once (a
 * `pulumi.RunError`, printed as its message alone) and returns undefined: nothing to wait for.
 * Otherwise it returns an Output that resolves once they are known and rejects, naming both
 * resources, on a conflict: the caller makes the resource's registration wait for it. Keys
 * unknown at preview are compared at `up`.
 */
export function claimAccount(
  name: string,
  args: AccountKeyFields,
): pulumi.Output<void> | undefined {
  const { userId, adopt, emailAddress, username, phoneNumber } = args;
  const fields = { userId, adopt, emailAddress, username, phoneNumber };
  const check = (known: AccountKeyFields): void => {
    const message = conflict(name, known);
    if (message !== undefined) throw new SameAccountError(message);
  };
  if (!Object.values(fields).every(isPlain))
    return pulumi.unsecret(pulumi.all(fields).apply(check));
  check(fields);
  return undefined;
}
