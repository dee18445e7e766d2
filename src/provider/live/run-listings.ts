// The run's listing of a deployment's users, shared by delta refresh and the census
// (docs/decisions/0011-request-budget.md, issue #14). One provider process serves one
// `preview`/`refresh`/`up`: the process is the run, and it lists each deployment once.
import { hash } from "node:crypto";
import type { WachtClient } from "../../client/wacht-client";
import type { ApiUserSummary } from "../../schema/wire";

/** Users per list request (Wacht enforces no maximum, docs/wacht-api.md §6). */
const PAGE_SIZE = 500;

/** One listing of a deployment's users, fetched lazily, page by page, each page once. */
export class DeploymentListing {
  /** By id: a user shifted onto two pages is kept once. */
  private readonly users = new Map<string, ApiUserSummary>();
  /** Users this process wrote after the listing started. */
  private readonly stale = new Set<string>();
  private pages = 0;
  private offset = 0;
  private inFlight: Promise<void> | undefined;
  /** True once the last page is in. */
  complete = false;
  /** True when a reader (the census) asked for every page: the rest is being paid for. */
  wantsAll = false;
  /** List requests made (tests, benchmarks). */
  listRequests = 0;
  /** When the first page was requested (epoch ms): the listing is at least this recent. */
  startedAt: number | undefined;

  constructor(private readonly client: WachtClient) {}

  /**
   * Lists until the last page or `maxPages` pages are in, and tells whether it is complete. A
   * failed page rejects every waiting reader; the next call asks for it again.
   */
  async upTo(maxPages: number): Promise<boolean> {
    if (maxPages === Infinity) this.wantsAll = true;
    while (!this.complete && this.pages < maxPages) {
      this.inFlight ??= this.nextPage().finally(() => (this.inFlight = undefined));
      await this.inFlight;
    }
    return this.complete;
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

  /** This process is about to write (or just created) `userId`. */
  invalidate(userId: string): void {
    this.stale.add(userId);
  }

  private async nextPage(): Promise<void> {
    this.startedAt ??= Date.now();
    this.listRequests += 1;
    const page = await this.client.users.list({
      limit: PAGE_SIZE,
      offset: this.offset,
      sortKey: "created_at",
      sortOrder: "asc",
    });
    for (const user of page.data) this.users.set(user.id, user);
    this.pages += 1;
    if (!page.has_more || page.data.length === 0) this.complete = true;
    else this.offset += page.data.length;
  }
}

/** The settings that name a deployment: the same base URL and key reach the same users. */
interface DeploymentRef {
  readonly baseUrl: string | undefined;
  readonly apiKey: string;
}

/** The listings of one run, per deployment. */
export class RunListings {
  private readonly entries = new Map<string, { listing: DeploymentListing; judged: boolean }>();

  private entry(ref: DeploymentRef, client: WachtClient) {
    const key = hash("sha256", JSON.stringify([ref.baseUrl ?? null, ref.apiKey]), "hex");
    let entry = this.entries.get(key);
    if (entry === undefined) {
      // Listed with the client of the first reader (its retries and pacing): no request yet.
      entry = { listing: new DeploymentListing(client), judged: false };
      this.entries.set(key, entry);
    }
    return entry;
  }

  /** The run's listing of the deployment (delta refresh reads it; writes invalidate it). */
  run(ref: DeploymentRef, client: WachtClient): DeploymentListing {
    return this.entry(ref, client).listing;
  }

  /** The listing a census step judges from: the run's until a census step judged, then a new one. */
  forCensus(ref: DeploymentRef, client: WachtClient): DeploymentListing {
    const entry = this.entry(ref, client);
    return entry.judged ? new DeploymentListing(client) : entry.listing;
  }

  /** A census step judged from `listing`: a later step lists anew. */
  judged(listing: DeploymentListing): void {
    for (const entry of this.entries.values()) if (entry.listing === listing) entry.judged = true;
  }
}

const processWide = new RunListings();

/** The listings of this provider process (= this run), shared by the User and census providers. */
export function processListings(): RunListings {
  return processWide;
}
