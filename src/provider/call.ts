// What one lifecycle step (create, read, update, delete) gets from the provider object: the
// client for this call's settings, the password vault, and the per-process bookkeeping.
import type { ProviderSettings } from "../config/provider-config";
import type { WachtClient } from "../client/wacht-client";
import type { UserDeclaration } from "../schema/user-state";
import type { DeltaRefresh } from "./delta-refresh";
import type { RecentReads } from "./recent-reads";
import type { RecentUsers } from "./recent-users";

/** The provider's state, as a lifecycle step may use it. */
export interface Call {
  readonly client: WachtClient;
  readonly settings: ProviderSettings;
  /** The delta-refresh coordinator of this client, unless `wacht:deltaRefresh` is false. */
  readonly delta: DeltaRefresh | undefined;
  /** The duplicate lookup shared by the creates of this client (one listing per process). */
  readonly recent: RecentUsers;
  /** This process's recent reads of users, for the lost-update guard (recent-reads.ts). */
  readonly reads: RecentReads;
  /** The declared password (kept by check), or undefined; throws when check did not run here. */
  password(declaration: UserDeclaration): string | undefined;
  /** Records that this process is about to write `userId`: the run's listing no longer vouches for it. */
  wrote(userId: string): void;
  /** Records that this process created or took over `userId` (and forgets its cached listing). */
  claim(userId: string): void;
  /** True when this process created or took over `userId`. */
  claimed(userId: string): boolean;
}
