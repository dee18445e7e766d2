// The lost-update guard's read, shared with refresh. An update must not overwrite a field
// someone else changed since the state's last read, so it compares the state with the live user
// before its PATCH. When this process read the user itself a moment ago (`pulumi up --refresh`:
// the refresh's GET, or its delta listing showing the user unchanged, when the state's own
// details stand for it, see details-from-state.ts), that read IS the live user the guard needs:
// the update reuses it and costs one PATCH. The bound is RECENT_READ_MS; an older read, a read
// whose `updated_at` is not the state's, or none (a plain `pulumi up`) means a GET.
import { sameInstant } from "../diff/timestamps";
import type { ApiUserDetails } from "../schema/wire";

/**
 * How old a read may be for the guard to use it instead of a GET: a write by someone else in the
 * last RECENT_READ_MS before the PATCH may go unnoticed (documented in README, "Lost-update guard").
 */
export const RECENT_READ_MS = 5 * 60_000;

/** The details this process read last per user, with when (per client). */
export class RecentReads {
  private readonly reads = new Map<string, { details: ApiUserDetails; at: number }>();

  constructor(private readonly now: () => number = Date.now) {}

  /** Records a read of `details` made at `at` (epoch ms; now by default). */
  remember(details: ApiUserDetails, at: number = this.now()): void {
    this.reads.set(details.id, { details, at });
  }

  /** Forgets the user (this process is about to write it, or created it). */
  forget(userId: string): void {
    this.reads.delete(userId);
  }

  /** The details read at most RECENT_READ_MS ago, if their `updated_at` is `updatedAt`. */
  recent(userId: string, updatedAt: string | undefined): ApiUserDetails | undefined {
    const read = this.reads.get(userId);
    if (read === undefined || updatedAt === undefined) return undefined;
    if (this.now() - read.at > RECENT_READ_MS) return undefined;
    return sameInstant(read.details.updated_at, updatedAt) ? read.details : undefined;
  }
}
