// Delta refresh (issue #6: other providers cost one GET per user per refresh). The first read
// of a run lists all users ONCE (pages of 500, each item carries `updated_at`), and every read of
// the run, concurrent or later, skips the details GET of a user whose `updated_at` equals the
// state's. No waiting and no counting of reads: a refresh of N unchanged users costs ⌈M/500⌉ list
// requests (M = users in the deployment) whatever `--parallel` is and however fast the reads
// arrive. A deployment larger than `wacht:deltaRefreshThreshold` pages (default 20, i.e. 10,000
// users) is not listed to the end for delta refresh: its reads GET each user, so a small stack in
// a huge deployment never pays for a long listing. The listing is the run's (run-listings.ts):
// a wacht.UserCensus in the same run reads the same one (and lists it to the end, after which the
// reads use it whatever the cap), so a refresh with a census still costs ⌈M/500⌉ in all.
//
// Every managed field lives in the users row, and Wacht bumps `updated_at` on every write of it
// (docs/wacht-api.md §3), so drift of a managed field is never missed. Read-only outputs that live in
// other tables (email addresses, phone numbers, segments) may stay stale until the user's next
// update; `wacht:deltaRefresh false` turns this off.
import type { DeploymentListing } from "./deployment-listing";

/** Options of {@link DeltaRefresh}. */
export interface DeltaRefreshOptions {
  /** Most list pages the listing may take; a larger deployment is read user by user. @default 20 */
  maxPages?: number;
}

/** The default of `wacht:deltaRefreshThreshold`: list pages (of 500 users) the listing may take. */
export const DEFAULT_MAX_PAGES = 20;

/** The reads' view of the run's listing (run-listings.ts), shared by all reads of a process. */
export class DeltaRefresh {
  private readonly maxPages: number;
  /** The listing failed for delta refresh: every later read GETs (it only costs the optimisation). */
  private failed = false;

  constructor(
    private readonly listing: DeploymentListing,
    options: DeltaRefreshOptions = {},
  ) {
    this.maxPages = options.maxPages ?? DEFAULT_MAX_PAGES;
  }

  /** List requests of the run's listing (shared with the census when both run), for tests. */
  get listCalls(): number {
    return this.listing.listRequests;
  }

  /** When the listing started (epoch ms): what it shows is at least this recent. */
  get listedAt(): number | undefined {
    return this.listing.startedAt;
  }

  /**
   * The listed `updated_at` of `userId`, or `undefined` when the caller must GET the details
   * (the user is not in the listing, this process changed it, or the deployment is too large).
   * Past `maxPages` pages the listing stops for delta refresh; when the census of the same run
   * lists to the end, the reads waiting then (and every later one) use that full listing.
   */
  async updatedAt(userId: string): Promise<string | undefined> {
    if (!this.listing.complete && !this.failed) {
      try {
        const complete = await this.listing.upTo(this.maxPages);
        if (!complete && this.listing.wantsAll) await this.listing.upTo(Infinity);
      } catch {
        this.failed = true;
      }
    }
    return this.listing.complete ? this.listing.updatedAt(userId) : undefined;
  }
}
