// The census itself: list the deployment (pages of 500), set aside declared and allowlisted users
// and those outside the selector, and read the details only of the remaining candidates whose
// `updated_at` changed since the last census (to learn `disabled` and, for a publicMetadata
// selector, the metadata). In a deployment where every selected account is declared that is the
// list requests only, and those are the run's listing, shared with delta refresh when both run
// (src/provider/live/run-listings.ts). It never writes; `disableAccounts` does, and only PATCHes
// `disabled: true`.
import type { WachtClient } from "../client/wacht-client";
import { isWachtError } from "../client/errors";
import { jsonEqual } from "../diff/json-equal";
import { sameInstant } from "../diff/timestamps";
import type { DeploymentListing } from "../provider/live/run-listings";
import type { ApiUserDetails, ApiUserSummary } from "../schema/wire";
import type { CensusAccount, CensusInputs, CensusSelector, InspectedUser } from "./census-inputs";

/** What one census found, and what it cost. */
export interface CensusResult {
  undeclaredAccounts: CensusAccount[];
  inspected: Record<string, InspectedUser>;
  /** List requests the listing made while this census waited for it (none when already in). */
  listRequests: number;
  detailRequests: number;
}

/** A user id in canonical form ("0042" and "42" are one int64). */
function canonicalId(id: string): string {
  try {
    return BigInt(id).toString();
  } catch {
    return id;
  }
}

function emailDomain(email: string | null | undefined): string | undefined {
  const at = email?.lastIndexOf("@") ?? -1;
  return at < 0 ? undefined : (email as string).slice(at + 1).toLowerCase();
}

/** True when `entry` (an id, email or username) names `user`. */
export function allowlisted(user: ApiUserSummary, allowlist: ReadonlySet<string>): boolean {
  if (allowlist.has(canonicalId(user.id))) return true;
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

/** Whether the details match the selector. */
export function selectedByDetails(selector: CensusSelector, details: ApiUserDetails): boolean {
  if (!("publicMetadata" in selector)) return true;
  const meta = details.public_metadata;
  if (meta === null || typeof meta !== "object" || Array.isArray(meta)) return false;
  const value = meta[selector.publicMetadata.key];
  return value !== undefined && selector.publicMetadata.in.some((v) => jsonEqual(v, value));
}

/** The public facts of an account (never metadata). */
export function accountOf(user: ApiUserSummary | ApiUserDetails): CensusAccount {
  return {
    id: user.id,
    email: user.primary_email_address ?? null,
    username: user.username === "" ? null : user.username,
    createdAt: user.created_at,
  };
}

/**
 * Takes the census from `listing` (listed to the end here). `previous` is the `inspected` map of
 * the last census (its cache); it is not trusted for a user the listing no longer vouches for
 * (this process wrote it after the listing started): that candidate's details are read.
 */
export async function takeCensus(
  client: WachtClient,
  listing: DeploymentListing,
  inputs: CensusInputs,
  previous: Readonly<Record<string, InspectedUser>> = {},
): Promise<CensusResult> {
  const declared = new Set(inputs.declaredUserIds.map(canonicalId));
  const allow = new Set(
    inputs.allowlist.map((e) => (/^[0-9]+$/.test(e) ? canonicalId(e) : e.toLowerCase())),
  );
  const before = listing.listRequests;
  const users = await listing.all();
  const requests = listing.listRequests - before;
  const seen = new Set<string>();
  const undeclaredAccounts: CensusAccount[] = [];
  const inspected: Record<string, InspectedUser> = {};
  let detailRequests = 0;
  for (const user of users) {
    const id = canonicalId(user.id);
    if (seen.has(id)) continue; // a user created mid-listing can shift a page
    seen.add(id);
    if (declared.has(id) || allowlisted(user, allow) || excludedByList(inputs.selector, user))
      continue;
    let facts = listing.vouchesFor(user.id) ? previous[user.id] : undefined;
    if (facts === undefined || !sameInstant(facts.updatedAt, user.updated_at)) {
      let details: ApiUserDetails;
      try {
        detailRequests += 1;
        details = await client.users.get(user.id);
      } catch (err) {
        if (isWachtError(err) && (err as { status?: unknown }).status === 404) continue; // deleted meanwhile
        throw err;
      }
      facts = {
        updatedAt: details.updated_at,
        selected: selectedByDetails(inputs.selector, details),
        disabled: details.disabled,
      };
    }
    inspected[user.id] = facts;
    if (facts.selected && !facts.disabled) undeclaredAccounts.push(accountOf(user));
  }
  return { undeclaredAccounts, inspected, listRequests: requests, detailRequests };
}

/** Disables each account (PATCH `disabled: true`, never a delete); returns the new cache entries. */
export async function disableAccounts(
  client: WachtClient,
  accounts: readonly CensusAccount[],
): Promise<Record<string, InspectedUser>> {
  const updated: Record<string, InspectedUser> = {};
  for (const account of accounts) {
    const details = await client.users.update(account.id, { disabled: true });
    updated[account.id] = {
      updatedAt: details.updated_at,
      selected: true,
      disabled: details.disabled,
    };
  }
  return updated;
}
