// Delta refresh (issue #6, anchors.md pain point 2: one GET per user per refresh). When many
// users are refreshed in one provider process, it lists all users ONCE (pages of 500, each item
// carries `updated_at`) and a read skips the details GET of a user whose `updated_at` equals the
// state's. With few resources it stays out of the way: each is read by its own GET.
//
// Every managed field lives in the users row, and Wacht bumps `updated_at` on every write of it
// (wacht-api.md §3), so drift of a managed field is never missed. Read-only outputs that live in
// other tables (email addresses, phone numbers, segments) may stay stale until the user's next
// update; `wacht:deltaRefresh false` turns this off.
import type { WachtClient } from "../client/wacht-client";

/** Options of {@link DeltaRefresh}. */
export interface DeltaRefreshOptions {
  /** Reads in one process before the listing is used. @default 10 */
  threshold?: number;
  /** How long a read waits for others to arrive before deciding. @default 20 */
  windowMs?: number;
  /** Page size of the listing. @default 500 */
  pageSize?: number;
}

/** One listing of the users per provider process (per client), shared by concurrent reads. */
export class DeltaRefresh {
  private reads = 0;
  private listing: Promise<Map<string, string>> | undefined;
  private readonly stale = new Set<string>();
  private readonly threshold: number;
  private readonly windowMs: number;
  private readonly pageSize: number;

  constructor(
    private readonly client: WachtClient,
    options: DeltaRefreshOptions = {},
  ) {
    this.threshold = options.threshold ?? 10;
    this.windowMs = options.windowMs ?? 20;
    this.pageSize = options.pageSize ?? 500;
  }

  /** Number of list requests made (for tests and benchmarks). */
  listCalls = 0;

  /** Forget what the listing says about a user this process just wrote. */
  invalidate(userId: string): void {
    this.stale.add(userId);
  }

  /**
   * The listed `updated_at` of `userId`, or `undefined` when the caller must GET the details
   * (few reads so far, the user is not in the listing, or this process changed it).
   */
  async updatedAt(userId: string): Promise<string | undefined> {
    this.reads += 1;
    if (this.listing === undefined) {
      await new Promise((resolve) => setTimeout(resolve, this.windowMs));
      if (this.listing === undefined && this.reads >= this.threshold) this.listing = this.fetch();
    }
    if (this.listing === undefined || this.stale.has(userId)) return undefined;
    try {
      return (await this.listing).get(userId);
    } catch {
      return undefined; // a failed listing only costs the optimisation
    }
  }

  private async fetch(): Promise<Map<string, string>> {
    const map = new Map<string, string>();
    let offset = 0;
    for (;;) {
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
  }
}
