// One listing of a deployment's users (GET /users, `created_at` ascending, pages of 500), fetched
// lazily, page by page, each page at most once, and shared by every reader that asks for it:
// delta refresh asks for at most `wacht:deltaRefreshThreshold` pages, the census for all of them.
// A reader that asks for more pages than are in continues from where the listing stopped, so a
// capped listing that the census then needs in full costs ⌈M/500⌉ requests in all, never a second
// listing. Which readers share one listing, and for how long, is decided by run-listings.ts.
import type { WachtClient } from "../client/wacht-client";
import type { ApiUserSummary } from "../schema/wire";

/** Users per list request (Wacht enforces no maximum, docs/wacht-api.md §6; 500 keeps answers small). */
export const LISTING_PAGE_SIZE = 500;

/** A listing of the deployment's users, shared by the readers of one run. */
export class DeploymentListing {
  /** The listed users by id, in listing order (a user shifted onto two pages is kept once). */
  private readonly users = new Map<string, ApiUserSummary>();
  /** Users this process wrote after the listing started: it no longer vouches for them. */
  private readonly stale = new Set<string>();
  private pages = 0;
  private offset = 0;
  private done = false;
  /** The most pages any reader asked for (Infinity: the whole listing). */
  private wanted = 0;
  private inFlight: Promise<void> | undefined;

  /** List requests made (for tests and benchmarks). */
  listRequests = 0;

  /** When the first page was requested (epoch ms): what the listing shows is at least this recent. */
  startedAt: number | undefined;

  constructor(
    private readonly client: WachtClient,
    private readonly pageSize: number = LISTING_PAGE_SIZE,
  ) {}

  /** True once the last page is in: every user that existed when the listing started is listed. */
  get complete(): boolean {
    return this.done;
  }

  /** True when a reader asked for the whole listing (the census): the rest is being paid for. */
  get wantsAll(): boolean {
    return this.wanted === Infinity;
  }

  /**
   * Lists until the last page is in or `maxPages` pages are (whichever comes first; pages already
   * in are not asked again) and tells whether the listing is complete. A failed page rejects every
   * waiting reader; the next call asks for that page again.
   */
  async upTo(maxPages: number): Promise<boolean> {
    this.wanted = Math.max(this.wanted, maxPages);
    while (!this.done && this.pages < maxPages) {
      this.inFlight ??= this.nextPage().finally(() => {
        this.inFlight = undefined;
      });
      await this.inFlight;
    }
    return this.done;
  }

  /** Every user of the deployment (lists to the end). */
  async all(): Promise<ApiUserSummary[]> {
    await this.upTo(Infinity);
    return [...this.users.values()];
  }

  /** The listed `updated_at` of `userId`, unless it is not listed or this process wrote it. */
  updatedAt(userId: string): string | undefined {
    return this.vouchesFor(userId) ? this.users.get(userId)?.updated_at : undefined;
  }

  /** False when this process wrote `userId` after the listing started. */
  vouchesFor(userId: string): boolean {
    return !this.stale.has(userId);
  }

  /** This process is about to write (or just created) `userId`: the listing no longer vouches for it. */
  invalidate(userId: string): void {
    this.stale.add(userId);
  }

  private async nextPage(): Promise<void> {
    this.startedAt ??= Date.now();
    this.listRequests += 1;
    const page = await this.client.users.list({
      limit: this.pageSize,
      offset: this.offset,
      sortKey: "created_at",
      sortOrder: "asc",
    });
    for (const user of page.data) this.users.set(user.id, user);
    this.pages += 1;
    if (!page.has_more || page.data.length === 0) this.done = true;
    else this.offset += page.data.length;
  }
}
