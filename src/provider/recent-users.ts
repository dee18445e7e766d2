// The duplicate lookup of creates, shared by every create of a provider process (one process per
// `pulumi up`). POST /users is not idempotent and Wacht checks no key for duplicates (docs/wacht-api.md
// §4), so a user left behind by an earlier run that died after its POST must be found before a
// new POST, and an older account with the same key (someone who signed up with that email) must
// not get a twin. Instead of a search per create (and the search index lags, §6), the first create
// of the process lists the deployment's users newest first (`sort_key=created_at`,
// `sort_order=desc`, pages of 500, at most LOOKUP_MAX_PAGES of them: every user of a deployment of
// up to 10,000, else at least the newest 10,000, which always covers the take-over window), and
// every create of the process matches its key against that one listing.
//
// A user created after the listing by someone else is not in it: only users that existed before
// this run can be left behind by an earlier run, and users this run creates are its own. The one
// exception is a POST of THIS process that got no answer (it may still complete): a later create
// with the same key looks again, from that POST's start (`findCreatedSince`), at its own cost.
import type { WachtClient } from "../client/wacht-client";
import type { ApiUserSummary } from "../schema/wire";
import { DEFAULT_MAX_PAGES } from "./delta-refresh";
import { findCreatedSince, matchesKey, type NaturalKey } from "./locate-user";

/** How far back a user with the same key counts as left behind by an earlier failed run. */
export const RECENT_MS = 60 * 60 * 1000;

/** Users per list request of the listing. */
const PAGE_SIZE = 500;

/**
 * The most list requests the lookup spends: the same bound as delta refresh's listing (20 pages,
 * 10,000 users). Past that, an older account with the same key is no longer seen (the take-over
 * window always is: users are listed newest first).
 */
export const LOOKUP_MAX_PAGES = DEFAULT_MAX_PAGES;

function keyText(key: NaturalKey): string {
  if (key.email !== undefined) return `e:${key.email.trim().toLowerCase()}`;
  if (key.username !== undefined) return `u:${key.username.trim()}`;
  return `p:${(key.phoneNumber ?? "").replace(/[^0-9]/g, "")}`;
}

/** One listing of the recently created users per provider process (per client). */
export class RecentUsers {
  private listing: Promise<ApiUserSummary[]> | undefined;
  /** Keys whose POST got no answer in this process → when that POST was sent (epoch ms). */
  private readonly unanswered = new Map<string, number>();
  /** List requests made (for tests and benchmarks). */
  listCalls = 0;

  constructor(private readonly client: WachtClient) {}

  /** Users with `key` that existed when this process first created one, or since our own POST
   * with this key got no answer. */
  async matching(key: NaturalKey): Promise<ApiUserSummary[]> {
    this.listing ??= this.fetch();
    let users: ApiUserSummary[];
    try {
      users = await this.listing;
    } catch (err) {
      this.listing = undefined; // the next create tries again
      throw err;
    }
    const matches = users.filter((u) => matchesKey(u, key));
    const since = this.unanswered.get(keyText(key));
    if (since === undefined) return matches;
    const seen = new Set(matches.map((u) => u.id));
    for (const u of await findCreatedSince(this.client, key, since)) {
      if (!seen.has(u.id)) matches.push(u);
    }
    return matches;
  }

  /** Records a POST with `key`, sent at `sentAt`, that got no answer and may still complete. */
  noAnswer(key: NaturalKey, sentAt: number): void {
    const k = keyText(key);
    this.unanswered.set(k, Math.min(this.unanswered.get(k) ?? sentAt, sentAt));
  }

  private async fetch(): Promise<ApiUserSummary[]> {
    const since = Date.now() - RECENT_MS;
    const users = new Map<string, ApiUserSummary>();
    for (let offset = 0, pages = 0; ;) {
      this.listCalls += 1;
      pages += 1;
      const page = await this.client.users.list({
        limit: PAGE_SIZE,
        offset,
        sortKey: "created_at",
        sortOrder: "desc",
      });
      let older = false;
      for (const user of page.data) {
        const created = Date.parse(user.created_at);
        if (Number.isFinite(created) && created < since) older = true;
        users.set(user.id, user); // a user created meanwhile shifts the pages: counted once
      }
      const capped = pages >= LOOKUP_MAX_PAGES && older; // the window is covered; stop here
      if (capped || !page.has_more || page.data.length === 0) return [...users.values()];
      offset += page.data.length;
    }
  }
}
