// Delta refresh (issue #6: other providers cost one GET per user per refresh). The first read
// of a provider process lists all users ONCE (pages of 500, each item carries `updated_at`), and
// every read of the process, concurrent or later, skips the details GET of a user whose
// `updated_at` equals the state's. No waiting and no counting of reads: a refresh of N unchanged
// users costs ⌈M/500⌉ list requests (M = users in the deployment) whatever `--parallel` is and
// however fast the reads arrive. A deployment larger than `wacht:deltaRefreshThreshold` pages
// (default 20, i.e. 10,000 users) is not listed to the end: its reads GET each user, so a small
// stack in a huge deployment never pays for a long listing.
//
// Every managed field lives in the users row, and Wacht bumps `updated_at` on every write of it
// (docs/wacht-api.md §3), so drift of a managed field is never missed. Read-only outputs that live in
// other tables (email addresses, phone numbers, segments) may stay stale until the user's next
// update; `wacht:deltaRefresh false` turns this off.
import type { WachtClient } from "../client/wacht-client";

/** Options of {@link DeltaRefresh}. */
export interface DeltaRefreshOptions {
  /** Most list pages the listing may take; a larger deployment is read user by user. @default 20 */
  maxPages?: number;
  /** Page size of the listing. @default 500 */
  pageSize?: number;
}

/** The default of `wacht:deltaRefreshThreshold`: list pages (of 500 users) the listing may take. */
export const DEFAULT_MAX_PAGES = 20;

/** One listing of the users per provider process (per client), shared by all its reads. */
export class DeltaRefresh {
  private listing: Promise<Map<string, string> | undefined> | undefined;
  private readonly stale = new Set<string>();
  private readonly maxPages: number;
  private readonly pageSize: number;

  constructor(
    private readonly client: WachtClient,
    options: DeltaRefreshOptions = {},
  ) {
    this.maxPages = options.maxPages ?? DEFAULT_MAX_PAGES;
    this.pageSize = options.pageSize ?? 500;
  }

  /** Number of list requests made (for tests and benchmarks). */
  listCalls = 0;

  /** When the listing started (epoch ms): what it shows is at least this recent. */
  listedAt: number | undefined;

  /** Forget what the listing says about a user this process just wrote. */
  invalidate(userId: string): void {
    this.stale.add(userId);
  }

  /**
   * The listed `updated_at` of `userId`, or `undefined` when the caller must GET the details
   * (the user is not in the listing, this process changed it, or the deployment is too large).
   */
  async updatedAt(userId: string): Promise<string | undefined> {
    this.listing ??= this.fetch().catch(() => undefined); // a failed listing only costs the optimisation
    const listing = await this.listing;
    if (listing === undefined || this.stale.has(userId)) return undefined;
    return listing.get(userId);
  }

  private async fetch(): Promise<Map<string, string> | undefined> {
    this.listedAt = Date.now();
    const map = new Map<string, string>();
    let offset = 0;
    for (let pages = 0; pages < this.maxPages; pages++) {
      this.listCalls += 1;
      const page = await this.client.users.list({
        limit: this.pageSize,
        offset,
        sortKey: "created_at",
        sortOrder: "asc",
      });
      for (const user of page.data) map.set(user.id, user.updated_at);
      if (!page.has_more || page.data.length === 0) return map;
      offset += page.data.length;
    }
    return undefined; // more than maxPages pages: each read GETs its user
  }
}
