// The request budget's one seam (docs/decisions/0011-request-budget.md, "One seam"): what this
// provider process knows of a deployment's users, and the fewest requests that learn the rest.
// Create, read and update ask it for the user's live details and where they came from, and import
// nothing else of the budget.
import type { UserCreate } from "../../client/user-params";
import type { WachtClient } from "../../client/wacht-client";
import { sameInstant } from "../../diff/timestamps";
import type { AdoptKey, LiveUser, UserOutputs } from "../../schema/user-state";
import {
  adoptedUser,
  createWithoutDuplicates,
  RecentCreates,
  type CreatedUser,
} from "./users-by-key";
import { liveFromState, liveUser, presumedUser } from "./live-user";
import type { DeploymentListing } from "./run-listings";

/** How old a read the guard may use instead of a GET (README, "Lost-update guard"). */
export const RECENT_READ_MS = 5 * 60_000;

/** The default of `wacht:deltaRefreshThreshold`: list pages of 500 users. */
const DEFAULT_MAX_PAGES = 20;

/** Where live details came from. */
export type Source =
  | "read" // GET /users/{id}/details just now
  | "listing" // the run's listing shows the state's updated_at: the state is the user
  | "recent read" // this process's read of a moment ago, at the state's updated_at
  | "state" // the state's last read, not checked by this process: a stand-in
  | "created"; // presumed from this process's POST answer: a stand-in

/** The user's live details, and where they came from. */
export interface Live {
  user: LiveUser;
  from: Source;
}

/** A user a create resolved by POST (or found after one). */
export interface NewUser extends CreatedUser {
  /** The presumed user, when this POST created it and its answer arrived. */
  live?: Live;
}

/** `wacht:deltaRefresh`, `wacht:deltaRefreshThreshold` (pages), a create's settle time, a clock. */
export interface LiveUsersOptions {
  deltaRefresh?: boolean;
  maxPages?: number;
  settleMs?: number;
  now?: () => number;
}

/** The live users of one deployment, through one client, for one provider process. */
export class LiveUsers {
  private readonly reads = new Map<string, { user: LiveUser; at: number }>();
  private readonly creates: RecentCreates;
  private readonly claimed = new Set<string>();
  private listingFailed = false;
  private organizations: Promise<boolean> | undefined;
  private readonly now: () => number;

  constructor(
    readonly client: WachtClient,
    private readonly listing: DeploymentListing,
    private readonly options: LiveUsersOptions = {},
  ) {
    this.creates = new RecentCreates(client);
    this.now = options.now ?? Date.now;
  }

  /**
   * A refresh: from the run's listing when it shows the state's `updated_at`, else a GET. Wacht
   * bumps `updated_at` on every write of a managed field (docs/wacht-api.md §3); outputs from other
   * tables (emails, phones, segments) may stay stale until the user's next write.
   */
  async refreshed(userId: string, state: Partial<UserOutputs>): Promise<Live> {
    const recorded = this.options.deltaRefresh === false ? undefined : liveFromState(state);
    if (recorded !== undefined) {
      const listed = await this.listedUpdatedAt(userId);
      if (listed !== undefined && sameInstant(listed, recorded.updatedAt)) {
        this.reads.set(userId, { user: recorded, at: this.listing.startedAt ?? this.now() });
        return { user: recorded, from: "listing" };
      }
    }
    const live = await this.read(userId);
    this.reads.set(userId, { user: live.user, at: this.now() });
    return live;
  }

  /** What a write plans against without a request: a recent read, else the state (a stand-in). */
  known(userId: string, state: Partial<UserOutputs>): Live | undefined {
    const read = this.reads.get(userId);
    if (
      read !== undefined &&
      state.updatedAt !== undefined &&
      this.now() - read.at <= RECENT_READ_MS &&
      sameInstant(read.user.updatedAt, state.updatedAt)
    ) {
      return { user: read.user, from: "recent read" };
    }
    const recorded = liveFromState(state);
    return recorded && { user: recorded, from: "state" };
  }

  /** The user as the server has it now (GET /users/{id}/details). */
  async read(userId: string): Promise<Live> {
    return { user: liveUser(await this.client.users.get(userId)), from: "read" };
  }

  /** The id of the one user with the adopt key (an error for none or several). */
  async adopt(key: AdoptKey): Promise<string> {
    return adoptedUser(this.client, key);
  }

  /** POSTs a new user without duplicates; its live details are presumed from the answer. */
  async create(fields: UserCreate): Promise<NewUser> {
    const { settleMs } = this.options;
    const made = await createWithoutDuplicates(this.client, fields, this.creates, settleMs);
    if (made.answer === undefined) return made;
    return { ...made, live: { user: presumedUser(made.answer, fields), from: "created" } };
  }

  /** This process is about to write `userId`: neither the listing nor a recent read stands for it. */
  writing(userId: string): void {
    this.listing.invalidate(userId);
    this.reads.delete(userId);
  }

  /** This process created or took over `userId`. */
  claim(userId: string): void {
    this.claimed.add(userId);
    this.writing(userId);
  }

  /** True when this process created or took over `userId`. */
  isClaimed(userId: string): boolean {
    return this.claimed.has(userId);
  }

  /**
   * Whether the deployment has an organization, asked once per run (`GET /organizations`, one
   * page of one). Every membership is inside an organization (docs/wacht-memberships.md §1), so
   * without one no user has a membership to read. A failed look answers true: read as before.
   */
  anyOrganization(): Promise<boolean> {
    this.organizations ??= this.client.organizations.listPage(0, 1).then(
      (page) => page.data.length > 0,
      () => true,
    );
    return this.organizations;
  }

  /** List requests of the run's listing that delta refresh used (shared with the census). */
  get refreshListCalls(): number {
    return this.options.deltaRefresh === false ? 0 : this.listing.listRequests;
  }

  /** List requests of the creates' duplicate lookup. */
  get createListCalls(): number {
    return this.creates.listCalls;
  }

  /**
   * The listed `updated_at` of `userId`, or undefined: not listed, written by this process, past
   * the cap (a larger deployment is read user by user, unless the run's census lists it all:
   * then every read waits for and uses that), or a failed listing (then every read GETs).
   */
  private async listedUpdatedAt(userId: string): Promise<string | undefined> {
    if (!this.listing.complete && !this.listingFailed) {
      try {
        const complete = await this.listing.upTo(this.options.maxPages ?? DEFAULT_MAX_PAGES);
        if (!complete && this.listing.wantsAll) await this.listing.upTo(Infinity);
      } catch {
        this.listingFailed = true;
      }
    }
    return this.listing.complete ? this.listing.updatedAt(userId) : undefined;
  }
}
