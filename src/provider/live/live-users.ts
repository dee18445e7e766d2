// The request budget's one seam (docs/decisions/0011-request-budget.md): what this provider process
// knows of a deployment's users, and the fewest requests that learn the rest. Create, read and
// update ask it one question, "the user's live details, and where they came from"; they import
// nothing else of the budget. It owns:
//
// - the run's listing (run-listings.ts, shared with the census) and delta refresh: a refresh of a
//   user whose `updated_at` in the listing is the state's costs no request, since the state then
//   IS the live user (live-user.ts `liveFromState`). The listing stops at
//   `wacht:deltaRefreshThreshold` pages (a larger deployment is read user by user) unless the
//   census lists it to the end; if it fails, every later read GETs;
// - recent reads: the lost-update guard of an update plans against this process's read of the
//   user (GET or listing) of at most RECENT_READ_MS ago at the state's `updated_at`, instead of a
//   GET (after `up --refresh` an update is one PATCH);
// - recent creates: the creates' duplicate lookup (users-by-key.ts), the users this
//   process created or took over (a replacement's delete must not remove them), and the user a
//   POST just created, presumed from its answer.
//
// Every managed field lives in the users row and Wacht bumps `updated_at` on every write of it
// (docs/wacht-api.md §3), so drift of a managed field is never missed; read-only outputs from
// other tables (emails, phones, segments) may stay stale until the user's next write.
import type { UserCreate } from "../../client/user-params";
import type { WachtClient } from "../../client/wacht-client";
import { sameInstant } from "../../diff/timestamps";
import type { LiveUser, UserOutputs } from "../../schema/user-state";

import {
  createWithoutDuplicates,
  RecentCreates,
  type CreatedUser,
  type NaturalKey,
} from "./users-by-key";
import { liveFromState, liveUser, presumedUser } from "./live-user";
import type { DeploymentListing } from "./run-listings";

/**
 * How old a read may be for the guard to use it instead of a GET: a write by someone else in the
 * last RECENT_READ_MS before the PATCH may go unnoticed (README, "Lost-update guard").
 */
export const RECENT_READ_MS = 5 * 60_000;

/** The default of `wacht:deltaRefreshThreshold`: list pages (of 500 users) delta refresh may take. */
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

/** Options of {@link LiveUsers}. */
export interface LiveUsersOptions {
  /** `wacht:deltaRefresh` (default true). */
  deltaRefresh?: boolean;
  /** `wacht:deltaRefreshThreshold`: most list pages delta refresh may take. @default 20 */
  maxPages?: number;
  /** How long a create waits for a timed-out POST that may still run. */
  settleMs?: number;
  now?: () => number;
}

/** The live users of one deployment, through one client, for one provider process. */
export class LiveUsers {
  private readonly reads = new Map<string, { user: LiveUser; at: number }>();
  private readonly creates: RecentCreates;
  private readonly claimed = new Set<string>();
  private listingFailed = false;
  private readonly now: () => number;

  constructor(
    readonly client: WachtClient,
    private readonly listing: DeploymentListing,
    private readonly options: LiveUsersOptions = {},
  ) {
    this.creates = new RecentCreates(client);
    this.now = options.now ?? Date.now;
  }

  /** A refresh: from the run's listing when it shows the state's `updated_at`, else a GET. */
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

  /** POSTs a new user without duplicates; its live details are presumed from the answer. */
  async create(fields: UserCreate, key: NaturalKey): Promise<NewUser> {
    const made = await createWithoutDuplicates(this.client, fields, key, this.creates, {
      settleMs: this.options.settleMs,
    });
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

  /** List requests of the run's listing that delta refresh used (shared with the census). */
  get refreshListCalls(): number {
    return this.options.deltaRefresh === false ? 0 : this.listing.listRequests;
  }

  /** List requests of the creates' duplicate lookup. */
  get createListCalls(): number {
    return this.creates.listCalls;
  }

  /**
   * The listed `updated_at` of `userId`, or undefined when it must be read: not listed, written
   * by this process, a deployment over the cap, or a failed listing. When the census of the run
   * lists to the end, the reads waiting then (and every later one) use that full listing.
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
