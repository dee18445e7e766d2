// The in-memory user store: users keyed by id and scoped by deployment (a user of another
// deployment is "not found"), deterministic int64 ids, the monotonic µs clock and the search-index
// lag. Handlers mutate `StoredUser` records through it and call `touch`/`changed` afterwards.
import { MicroClock, type EpochMicros } from "./clock";
import { IdGenerator } from "./ids";
import type { StoredEmail, StoredPhone, StoredUser } from "./model";
import { scheduleReindex } from "./search";
import { B2bStore, type B2bSnapshot } from "./b2b/b2b-store";

/** Fields of a new user; everything else takes the create defaults of docs/wacht-api.md §4. */
export type NewUserFields = Partial<
  Pick<StoredUser, "id" | "firstName" | "lastName" | "username" | "hasPassword">
> & { email?: string | null; phoneNumber?: string | null; countryCode?: string | null };

export interface StoreSnapshot {
  version: 1;
  idsIssued: number;
  users: StoredUser[];
  /** Organizations, workspaces, roles and memberships (absent in older state files). */
  b2b?: B2bSnapshot;
}

/** Users of every deployment, plus the id generator and the clock. */
export class UserStore {
  private users = new Map<string, StoredUser>();
  private ids = new IdGenerator();
  private listeners: Array<() => void> = [];
  readonly clock = new MicroClock();
  /** Organizations, workspaces, roles and memberships (docs/wacht-memberships.md). */
  readonly b2b = new B2bStore(this);

  constructor(public searchIndexLagMs = 0) {}

  now(): EpochMicros {
    return this.clock.nowMicros();
  }

  nextId(): string {
    return this.ids.next();
  }

  /** Registers a callback run after every mutation (persistence). */
  onChange(listener: () => void): void {
    this.listeners.push(listener);
  }

  changed(): void {
    for (const l of this.listeners) l();
  }

  /** The user `id` if it belongs to `deploymentId`. */
  get(deploymentId: string, id: string): StoredUser | undefined {
    const user = this.users.get(id);
    return user && user.deploymentId === deploymentId ? user : undefined;
  }

  /** Any user by id, whatever its deployment (control routes only). */
  getAny(id: string): StoredUser | undefined {
    return this.users.get(id);
  }

  /** All users of a deployment, or of every deployment. */
  all(deploymentId?: string): StoredUser[] {
    const list = [...this.users.values()];
    return deploymentId === undefined ? list : list.filter((u) => u.deploymentId === deploymentId);
  }

  /** Hard-deletes a user with everything attached; false when it does not exist. */
  delete(deploymentId: string, id: string): boolean {
    if (!this.get(deploymentId, id)) return false;
    this.users.delete(id);
    this.b2b.removeUser(id);
    this.changed();
    return true;
  }

  /** Bumps `updated_at` and re-indexes the user for search; call after every user mutation. */
  touch(user: StoredUser): void {
    user.updatedAt = this.now();
    this.reindex(user);
  }

  /** Schedules the asynchronous search-index update of one user. */
  reindex(user: StoredUser): void {
    scheduleReindex(user, Date.now(), this.searchIndexLagMs);
  }

  /** Creates a user with the defaults of §4 (v1, optional 2FA, away, `{}` metadata). */
  create(deploymentId: string, fields: NewUserFields): StoredUser {
    const now = this.now();
    const user: StoredUser = {
      id: fields.id ?? this.nextId(),
      deploymentId,
      createdAt: now,
      updatedAt: now,
      firstName: fields.firstName ?? "",
      lastName: fields.lastName ?? "",
      username: fields.username ?? "",
      profilePictureUrl: "",
      schemaVersion: "v1",
      disabled: false,
      secondFactorPolicy: "optional",
      availability: "away",
      lastPasswordResetAt: null,
      publicMetadata: {},
      privateMetadata: {},
      primaryEmailAddressId: null,
      primaryPhoneNumberId: null,
      emails: [],
      phones: [],
      socialConnections: [],
      hasPassword: fields.hasPassword ?? false,
      hasBackupCodes: false,
      authenticators: 0,
      signIns: 0,
      image: null,
      searchText: null,
      pendingSearch: null,
    };
    if (fields.email) {
      const email = this.newEmail(fields.email, true, true, now);
      user.emails.push(email);
      user.primaryEmailAddressId = email.id;
    }
    if (fields.phoneNumber) {
      const countryCode = fields.countryCode === undefined ? "" : fields.countryCode;
      const phone = this.newPhone(fields.phoneNumber, countryCode, true, now);
      user.phones.push(phone);
      user.primaryPhoneNumberId = phone.id;
    }
    this.users.set(user.id, user);
    this.reindex(user);
    this.changed();
    return user;
  }

  /** A new verified (otp) email row; `verified_at` is the creation time. */
  newEmail(email: string, isPrimary: boolean, verified = true, now = this.now()): StoredEmail {
    return {
      id: this.nextId(),
      createdAt: now,
      updatedAt: now,
      email,
      isPrimary,
      verified,
      verifiedAt: now,
      verificationStrategy: "otp",
    };
  }

  /** A new phone row; an unverified one has a NULL `verified_at`. */
  newPhone(
    phoneNumber: string,
    countryCode: string | null,
    verified: boolean,
    now = this.now(),
  ): StoredPhone {
    return {
      id: this.nextId(),
      createdAt: now,
      updatedAt: now,
      phoneNumber,
      countryCode,
      verified,
      verifiedAt: verified ? now : null,
    };
  }

  /** A deep copy of the store for the state file. */
  snapshot(): StoreSnapshot {
    return {
      version: 1,
      idsIssued: this.ids.issued,
      users: structuredClone([...this.users.values()]),
      b2b: this.b2b.snapshot(),
    };
  }

  /** Replaces the store with a snapshot (state file or reset). */
  load(snapshot: StoreSnapshot): void {
    this.users = new Map(snapshot.users.map((u) => [u.id, structuredClone(u)]));
    this.b2b.load(snapshot.b2b);
    this.ids = new IdGenerator(Math.max(snapshot.idsIssued, this.ids.issued));
    for (const u of this.users.values()) this.clock.advancePast(u.updatedAt);
  }
}
