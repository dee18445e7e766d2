// The census itself: list the deployment (pages of 500), set aside declared and allowlisted users
// and those outside the selector, and read the details only of the remaining candidates whose
// `updated_at` changed since the last census (to learn `disabled` and, for a publicMetadata
// selector, the metadata). In a deployment where every selected account is declared that is the
// list requests only, and those are the run's listing, shared with delta refresh when both run
// (src/provider/live/run-listings.ts). It never writes; `disableAccounts` does, and only PATCHes
// `disabled: true`.
import type { WachtClient } from "../client/wacht-client";
import { isNotFound } from "../provider/errors";
import { jsonEqual } from "../diff/json-equal";
import type { DeploymentListing } from "../provider/live/run-listings";
import type { ApiUserDetails, ApiUserSummary } from "../schema/wire";
import { canonicalUserId } from "../schema/user-id";
import type { CensusAccount, CensusInputs, CensusSelector } from "./census-inputs";
import { CheckedCache } from "./checked-cache";

/** What one census found, and what it cost. */
export interface CensusResult {
  /** Every undeclared account (the state keeps the count and the first few). */
  undeclaredAccounts: CensusAccount[];
  /** The cache of checked candidates for the next census (./checked-cache.ts). */
  checked: Record<string, string>;
  /** List requests the listing made while this census waited for it (none when already in). */
  listRequests: number;
  detailRequests: number;
}

function emailDomain(email: string | null | undefined): string | undefined {
  const at = email?.lastIndexOf("@") ?? -1;
  return at < 0 ? undefined : (email as string).slice(at + 1).toLowerCase();
}

/** The allowlist as `allowlisted` compares it: ids canonical, emails and usernames lower-cased. */
export function allowlistSet(allowlist: readonly string[]): Set<string> {
  return new Set(allowlist.map((e) => (/^[0-9]+$/.test(e) ? canonicalUserId(e) : e.toLowerCase())));
}

/** True when `entry` (an id, email or username) names `user`. */
export function allowlisted(user: ApiUserSummary, allowlist: ReadonlySet<string>): boolean {
  if (allowlist.has(canonicalUserId(user.id))) return true;
  const email = user.primary_email_address?.toLowerCase();
  if (email !== undefined && allowlist.has(email)) return true;
  return (
    user.username !== null && user.username !== "" && allowlist.has(user.username.toLowerCase())
  );
}

/** Whether the list item alone excludes the user (false: it may be selected). */
export function excludedByList(selector: CensusSelector, user: ApiUserSummary): boolean {
  if (!("emailDomains" in selector)) return false;
  const domain = emailDomain(user.primary_email_address);
  return domain === undefined || !selector.emailDomains.some((d) => d.toLowerCase() === domain);
}

export function selectedByDetails(selector: CensusSelector, details: ApiUserDetails): boolean {
  if (!("publicMetadata" in selector)) return true;
  const meta = details.public_metadata;
  if (meta === null || typeof meta !== "object" || Array.isArray(meta)) return false;
  const value = meta[selector.publicMetadata.key];
  return value !== undefined && selector.publicMetadata.in.some((v) => jsonEqual(v, value));
}

/** What a reviewer needs to find an account (never metadata). */
export function accountOf(user: ApiUserSummary | ApiUserDetails): CensusAccount {
  return {
    id: user.id,
    email: user.primary_email_address ?? null,
    username: user.username === "" ? null : user.username,
  };
}

/**
 * Takes the census from `listing` (listed to the end here). `previous` is the last census's cache
 * of checked candidates; it is not trusted for a user the listing no longer vouches for (this
 * process wrote it after the listing started): that candidate's details are read.
 */
export async function takeCensus(
  client: WachtClient,
  listing: DeploymentListing,
  inputs: CensusInputs,
  previous: Readonly<Record<string, string>> = {},
): Promise<CensusResult> {
  const declared = new Set(inputs.declaredUserIds.map(canonicalUserId));
  const allow = allowlistSet(inputs.allowlist);
  const before = listing.listRequests;
  const users = await listing.all();
  const requests = listing.listRequests - before;
  const seen = new Set<string>();
  const undeclaredAccounts: CensusAccount[] = [];
  const cache = new CheckedCache(previous);
  let detailRequests = 0;
  for (const user of users) {
    const id = canonicalUserId(user.id);
    if (seen.has(id)) continue; // a user created mid-listing can shift a page
    seen.add(id);
    if (declared.has(id) || allowlisted(user, allow) || excludedByList(inputs.selector, user))
      continue;
    let updatedAt = user.updated_at;
    let facts = listing.vouchesFor(user.id) ? cache.lookup(user.id, updatedAt) : undefined;
    if (facts === undefined) {
      let details: ApiUserDetails;
      try {
        detailRequests += 1;
        details = await client.users.get(user.id);
      } catch (err) {
        if (isNotFound(err)) continue; // deleted meanwhile
        throw err;
      }
      updatedAt = details.updated_at;
      facts = { selected: selectedByDetails(inputs.selector, details), disabled: details.disabled };
    }
    cache.record(user.id, updatedAt, facts);
    if (facts.selected && !facts.disabled) undeclaredAccounts.push(accountOf(user));
  }
  return { undeclaredAccounts, checked: cache.entries(), listRequests: requests, detailRequests };
}

/**
 * Disables each account (PATCH `disabled: true`, never a delete) and records what the answer says
 * in `cache`, so the next census does not read them again.
 */
export async function disableAccounts(
  client: WachtClient,
  accounts: readonly CensusAccount[],
  cache: CheckedCache,
): Promise<void> {
  for (const account of accounts) {
    const details = await client.users.update(account.id, { disabled: true });
    cache.record(account.id, details.updated_at, { selected: true, disabled: details.disabled });
  }
}
