// The request budget of each lifecycle step (issue #13), counted exactly from the emulator's log
// over real HTTP: a create is POST + one PATCH (or one GET), with one listing of the recent users
// per process for the duplicate lookup; an update right after this process's read is one PATCH;
// a refresh of unchanged users is ⌈M/500⌉ list requests whatever the parallelism.
import { CENSUS_ID, WachtUserCensusProvider } from "../../../src/census/census-provider";
import { startEmulator, type EmulatorHandle, type UserDump } from "../../../src/emulator";
import { WachtClient } from "../../../src/client/wacht-client";
import { liveFromState } from "../../../src/provider/live/live-user";
import { LiveUsers, RECENT_READ_MS } from "../../../src/provider/live/live-users";
import { DeploymentListing, RunListings } from "../../../src/provider/live/run-listings";
import { declarationFromState, toOutputs } from "../../../src/diff/declaration-state";
import type { UserOutputs } from "../../../src/schema/user-state";
import { WachtUserProvider } from "../../../src/provider/user-provider";
import { asEngineSees, type TestProvider, calls, configuredProvider } from "../../helpers/provider";
import { nthId, seedUsers } from "../../helpers/seed";
import { captureWarnings } from "../../helpers/warnings";

const KEY = "sk_test_budget_key_00000000000000000000000000000000";
let emulator: EmulatorHandle;

beforeAll(async () => {
  emulator = await startEmulator({ port: 0, apiKey: KEY });
});
afterAll(async () => emulator.close());
beforeEach(() => emulator.reset());

async function checked(
  p: TestProvider,
  news: Record<string, unknown>,
): Promise<Record<string, unknown>> {
  const result = await p.check({}, news);
  expect(result.failures ?? []).toEqual([]);
  return result.inputs as Record<string, unknown>;
}

/** `GET /users/:id/details` → `GET details`, and so on: requests by kind. */
function kinds(): Record<string, number> {
  const out: Record<string, number> = {};
  for (const c of calls(emulator)) {
    const k = c.replace(/\/\d+\/details$/, "/:id/details").replace(/\/\d+$/, "/:id");
    out[k] = (out[k] ?? 0) + 1;
  }
  return out;
}

/** Seeds users U0…U(n-1) with fixed ids; returns them as stored. */
function seedNumbered(n: number): UserDump["user"][] {
  return seedUsers(emulator, n, (i) => ({
    id: nthId(330000000000000000n, i),
    first_name: `U${i}`,
    email: `u${i}@example.com`,
  })).map((d) => d.user);
}

/** The states of `users` declared by userId (created by a run of their own). */
async function states(users: { id: string; first_name: string }[]) {
  const run = await configuredProvider(emulator.url, KEY);
  const out: Record<string, unknown>[] = [];
  for (const u of users) {
    out.push(
      (await run.create(await checked(run, { userId: u.id, firstName: u.first_name }))).outs,
    );
  }
  return out;
}

describe("create: POST + one PATCH, one shared listing per process", () => {
  it("20 concurrent creates cost 1 list + 20 POST + 20 PATCH (2.05 per user)", async () => {
    const run = await configuredProvider(emulator.url, KEY);
    const decls = await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        checked(run, {
          emailAddress: `new${i}@example.com`,
          firstName: "New",
          skipPasswordCheck: true,
          publicMetadata: { n: i },
        }),
      ),
    );
    emulator.clearRequests();
    const made = await Promise.all(decls.map((d) => run.create(d)));
    expect(kinds()).toEqual({ "GET /users": 1, "POST /users": 20, "PATCH /users/:id": 20 });
    expect(run.createStats().listCalls).toBe(1);
    // The PATCH's answer is the read: the state has what the server holds.
    for (const [i, m] of made.entries()) {
      expect(m.outs).toMatchObject({ publicMetadata: { n: i }, firstName: "New" });
      expect(m.outs["updatedAt"]).toBe(emulator.users.get(m.id)?.user.updated_at);
    }
  });

  it("an account older than the take-over window with the same email is refused (adopt), from the same listing", async () => {
    seedNumbered(3);
    const run = await configuredProvider(emulator.url, KEY);
    const news = await checked(run, {
      emailAddress: "u1@example.com",
      firstName: "Svc",
      skipPasswordCheck: true,
    });
    emulator.clearRequests();
    // Two hours later, the seeded account is older than the hour in which a user left by a
    // stopped run is taken over: it is someone else's, and must get no twin.
    const now = Date.now();
    const clock = jest.spyOn(Date, "now").mockReturnValue(now + 2 * 60 * 60 * 1000);
    try {
      await expect(run.create(news)).rejects.toThrow(
        /already exists .* not created by this resource.*adopt: \{ email \}/,
      );
    } finally {
      clock.mockRestore();
    }
    expect(kinds()).toEqual({ "GET /users": 1 });
    expect(
      emulator.users.list().filter((u) => u.user.primary_email_address === "u1@example.com"),
    ).toHaveLength(1);
  });

  it("with nothing to PATCH a create is POST + one GET of the details", async () => {
    const run = await configuredProvider(emulator.url, KEY);
    const first = await checked(run, { emailAddress: "a@example.com", skipPasswordCheck: true });
    const second = await checked(run, { emailAddress: "b@example.com", skipPasswordCheck: true });
    emulator.clearRequests();
    const a = await run.create(first);
    const b = await run.create(second); // the listing is reused
    expect(calls(emulator)).toEqual([
      "GET /users",
      "POST /users",
      `GET /users/${a.id}/details`,
      "POST /users",
      `GET /users/${b.id}/details`,
    ]);
  });
});

describe("update: the lost-update guard reuses this process's recent read", () => {
  it("after a refresh read of a drifted user, the update is one PATCH", async () => {
    const [u] = seedNumbered(1);
    const run = await configuredProvider(emulator.url, KEY);
    const decl = await checked(run, { userId: u!.id, firstName: "Declared" });
    const { outs } = await run.create(decl);
    emulator.users.seed([{ id: u!.id, first_name: "Drifted", email: "u0@example.com" }]);
    const next = await configuredProvider(emulator.url, KEY); // `pulumi up --refresh`
    const news = await checked(next, { userId: u!.id, firstName: "Declared" });
    emulator.clearRequests();
    const refreshed = await next.read(u!.id, outs);
    expect(refreshed.props).toMatchObject({ firstName: "Drifted" });
    const updated = await next.update(u!.id, refreshed.props as Record<string, unknown>, news);
    expect(calls(emulator)).toEqual([
      "GET /users",
      `GET /users/${u!.id}/details`,
      `PATCH /users/${u!.id}`,
    ]);
    expect(updated.outs).toMatchObject({ firstName: "Declared" });
  });

  it("without a read in this process the update GETs first (the guard still catches edits)", async () => {
    const [u] = seedNumbered(1);
    const run = await configuredProvider(emulator.url, KEY);
    const { outs } = await run.create(await checked(run, { userId: u!.id, firstName: "U0" }));
    const next = await configuredProvider(emulator.url, KEY);
    const news = await checked(next, { userId: u!.id, firstName: "Other" });
    emulator.clearRequests();
    await next.update(u!.id, outs, news);
    expect(calls(emulator)).toEqual([`GET /users/${u!.id}/details`, `PATCH /users/${u!.id}`]);
  });

  it("after a refresh that found the user unchanged in the listing, a declaration change is one PATCH", async () => {
    // Key-level metadata ownership: the merge must keep the key written by someone else.
    emulator.users.seed([
      {
        id: "331000000000000001",
        first_name: "Kay",
        email: "kay@example.com",
        phone_number: "+14155550101",
        extra_emails: ["kay2@example.com"],
        public_metadata: { team: "infra", addedByApp: 1 },
        has_backup_codes: true,
      },
    ]);
    const id = "331000000000000001";
    const run = await configuredProvider(emulator.url, KEY);
    const decl = { userId: id, metadataOwnership: "keys", publicMetadata: { team: "infra" } };
    const { outs } = await run.create(await checked(run, decl));
    const next = await configuredProvider(emulator.url, KEY); // `pulumi up --refresh` in CI
    const news = await checked(next, { ...decl, publicMetadata: { team: "ops" } });
    emulator.clearRequests();
    const refreshed = await next.read(id, outs);
    const updated = await next.update(id, refreshed.props as Record<string, unknown>, news);
    expect(calls(emulator)).toEqual(["GET /users", `PATCH /users/${id}`]);
    expect(emulator.users.get(id)?.user.public_metadata).toEqual({ team: "ops", addedByApp: 1 });
    expect(updated.outs).toMatchObject({ externalPublicMetadataKeys: ["addedByApp"] });
  });

  it("the live user a state stands for gives back exactly that state (the planner sees the same user)", async () => {
    emulator.users.seed([
      {
        id: "331000000000000002",
        first_name: "Rho",
        last_name: "Tri",
        username: "rho",
        email: "rho@example.com",
        extra_emails: ["rho2@example.com"],
        phone_number: "4155550102",
        country_code: "+1",
        public_metadata: { a: [1, { b: null }] },
        private_metadata: { k: "v" },
        disabled: true,
      },
    ]);
    const run = await configuredProvider(emulator.url, KEY);
    const { outs } = await run.create(
      await checked(run, {
        userId: "331000000000000002",
        metadataOwnership: "keys",
        publicMetadata: { a: [1, { b: null }] },
      }),
    );
    const state = outs as unknown as UserOutputs;
    const live = liveFromState(state);
    expect(live).toBeDefined();
    expect(toOutputs(live!, declarationFromState(state))).toEqual(state);
    // A state that does not record every live key (a placeholder after a failure) stands for none.
    const partial: Partial<UserOutputs> = { ...state };
    delete partial.segments;
    expect(liveFromState(partial)).toBeUndefined();
  });

  it("a read older than RECENT_READ_MS, or of another updated_at, is not used", async () => {
    const [u] = seedNumbered(1);
    let now = 1_000_000;
    const client = new WachtClient({ apiKey: KEY, baseUrl: emulator.url });
    const users = new LiveUsers(client, new DeploymentListing(client), { now: () => now });
    const { updatedAt } = (await users.refreshed(u!.id, {})).user; // no state: a GET
    const other = "2026-01-01T00:00:01Z";
    // A state with only `updatedAt` stands for no user: only a recent read can answer.
    expect(users.known(u!.id, { updatedAt })?.from).toBe("recent read");
    expect(users.known(u!.id, { updatedAt: `${updatedAt.slice(0, -1)}000Z` })?.from).toBe(
      "recent read",
    ); // the same instant, written with more digits
    expect(users.known(u!.id, { updatedAt: other })).toBeUndefined();
    expect(users.known(u!.id, {})).toBeUndefined();
    now += RECENT_READ_MS;
    expect(users.known(u!.id, { updatedAt })?.from).toBe("recent read");
    now += 1;
    expect(users.known(u!.id, { updatedAt })).toBeUndefined();
    await users.refreshed(u!.id, {});
    users.writing(u!.id);
    expect(users.known(u!.id, { updatedAt })).toBeUndefined();
    expect(calls(emulator)).toEqual([`GET /users/${u!.id}/details`, `GET /users/${u!.id}/details`]);
  });
});

describe("refresh: ⌈M/500⌉ list requests at every parallelism", () => {
  /** Reads every state with at most `parallel` reads in flight. */
  async function refresh(p: TestProvider, all: Record<string, unknown>[], parallel: number) {
    const queue = [...all];
    await Promise.all(
      Array.from({ length: parallel }, async () => {
        for (let s = queue.shift(); s !== undefined; s = queue.shift()) {
          await p.read(String(s["userId"]), s);
        }
      }),
    );
  }

  it.each([1, 2, 16, 64])(
    "--parallel %i: 40 unchanged users of 600 cost 2 list requests",
    async (parallel) => {
      const users = seedNumbered(600);
      const managed = await states(users.slice(0, 40));
      emulator.clearRequests();
      const p = await configuredProvider(emulator.url, KEY);
      await refresh(p, managed, parallel);
      expect(kinds()).toEqual({ "GET /users": 2 });
      expect(p.refreshStats().listCalls).toBe(2);
    },
  );

  it("a deployment over wacht:deltaRefreshThreshold pages stops listing and GETs each user", async () => {
    const users = seedNumbered(600);
    const managed = await states(users.slice(0, 3));
    emulator.clearRequests();
    const p = await configuredProvider(emulator.url, KEY, { "wacht:deltaRefreshThreshold": "1" });
    await refresh(p, managed, 1);
    expect(kinds()).toEqual({ "GET /users": 1, "GET /users/:id/details": 3 });
  });
});

describe("refresh + census in one run: one listing of the deployment (issue #14)", () => {
  const EVE = "339000000000000001"; // added in the dashboard after the 600: on the second page

  /** The User and census providers of one run: one RunListings, as the shim's factories share. */
  async function oneRun(extra: Record<string, string> = {}, listings = new RunListings()) {
    const users = asEngineSees(new WachtUserProvider(listings));
    const census = new WachtUserCensusProvider(listings);
    const values: Record<string, string> = {
      "wacht:apiKey": KEY,
      "wacht:baseUrl": emulator.url,
      ...extra,
    };
    const req = {
      config: { get: (k: string) => values[k], require: (k: string) => values[k] ?? "" },
    };
    await users.configure(req);
    await census.configure(req);
    return { users, census };
  }

  /** A census state that selects the corp.example accounts and declares none of them. */
  async function censusState(census: WachtUserCensusProvider): Promise<Record<string, unknown>> {
    const res = await census.check(
      {},
      { selector: { emailDomains: ["corp.example"] }, declaredUserIds: [] },
    );
    expect(res.failures ?? []).toEqual([]);
    return { ...res.inputs, undeclaredAccounts: [], disabledAccounts: [], inspected: {} };
  }

  function undeclaredIds(read: { props?: Record<string, unknown> }): string[] {
    const accounts = (read.props?.["undeclaredAccounts"] ?? []) as { id: string }[];
    return accounts.map((a) => a.id);
  }

  async function refreshAll(p: TestProvider, all: Record<string, unknown>[]) {
    await Promise.all(all.map((s) => p.read(String(s["userId"]), s)));
  }

  /** 600 users, 40 of them managed, and Eve (undeclared, corp.example) listed last. */
  async function seedDeployment(): Promise<Record<string, unknown>[]> {
    const users = seedNumbered(600);
    emulator.users.seed([{ id: EVE, username: "eve", email: "eve@corp.example" }]);
    return states(users.slice(0, 40));
  }

  it("40 user reads and the census of 601 users, concurrently: 2 list requests in all (4 in two runs)", async () => {
    const managed = await seedDeployment();
    // Before issue #14 (and still in separate runs): the census and delta refresh each list.
    const apart = { users: (await oneRun()).users, census: (await oneRun()).census };
    const stateApart = await censusState(apart.census);
    emulator.clearRequests();
    await Promise.all([refreshAll(apart.users, managed), apart.census.read(CENSUS_ID, stateApart)]);
    expect(kinds()).toEqual({ "GET /users": 4, "GET /users/:id/details": 1 });

    const { users, census } = await oneRun();
    const state = await censusState(census);
    emulator.clearRequests();
    const [, read] = await Promise.all([refreshAll(users, managed), census.read(CENSUS_ID, state)]);
    expect(kinds()).toEqual({ "GET /users": 2, "GET /users/:id/details": 1 });
    expect(undeclaredIds(read)).toEqual([EVE]);
    expect(users.refreshStats().listCalls).toBe(2);
  });

  it.each(["census first", "reads first"])(
    "%s: still 2 list requests, and every read is answered by the listing",
    async (order) => {
      const managed = await seedDeployment();
      const { users, census } = await oneRun();
      const state = await censusState(census);
      emulator.clearRequests();
      let read: { props?: Record<string, unknown> };
      if (order === "census first") {
        read = await census.read(CENSUS_ID, state);
        await refreshAll(users, managed);
      } else {
        await refreshAll(users, managed);
        read = await census.read(CENSUS_ID, state);
      }
      expect(kinds()).toEqual({ "GET /users": 2, "GET /users/:id/details": 1 });
      expect(calls(emulator)).not.toContain(
        `GET /users/${managed[0]!["userId"] as string}/details`,
      );
      expect(undeclaredIds(read)).toEqual([EVE]);
    },
  );

  it("capped for delta refresh (wacht:deltaRefreshThreshold 1): the census continues the listing, it does not start over", async () => {
    const managed = await seedDeployment();
    const { users, census } = await oneRun({ "wacht:deltaRefreshThreshold": "1" });
    const state = await censusState(census);
    emulator.clearRequests();
    // The reads stop at the cap and GET their users, as without a census.
    await refreshAll(users, managed.slice(0, 3));
    expect(kinds()).toEqual({ "GET /users": 1, "GET /users/:id/details": 3 });
    emulator.clearRequests();
    // The census needs every user: it lists the second page only, and finds Eve on it.
    const read = await census.read(CENSUS_ID, state);
    expect(undeclaredIds(read)).toEqual([EVE]);
    expect(calls(emulator)).toEqual(["GET /users", `GET /users/${EVE}/details`]);
    expect(emulator.requests()[0]?.query["offset"]).toBe("500");
    emulator.clearRequests();
    // Later reads use the census's full listing (already paid for): no request.
    await refreshAll(users, managed.slice(3));
    expect(calls(emulator)).toEqual([]);
    expect(users.refreshStats().listCalls).toBe(2);
  });

  it("capped, with the census running alongside: the reads wait for its full listing instead of GETting", async () => {
    const managed = await seedDeployment();
    const { users, census } = await oneRun({ "wacht:deltaRefreshThreshold": "1" });
    const state = await censusState(census);
    emulator.clearRequests();
    const [read] = await Promise.all([census.read(CENSUS_ID, state), refreshAll(users, managed)]);
    expect(undeclaredIds(read)).toEqual([EVE]);
    expect(kinds()).toEqual({ "GET /users": 2, "GET /users/:id/details": 1 });
  });

  it("a failed page: the reads GET their users (as before), the census fails, and its retry completes the listing for both", async () => {
    const managed = await seedDeployment();
    const { users, census } = await oneRun({ "wacht:maxRetries": "0" });
    const state = await censusState(census);
    emulator.faults.enqueue({
      kind: "status",
      status: 500,
      match: { method: "GET", path: "/users" },
    });
    emulator.clearRequests();
    await refreshAll(users, managed.slice(0, 2));
    expect(kinds()).toEqual({ "GET /users": 1, "GET /users/:id/details": 2 });
    emulator.faults.enqueue({
      kind: "status",
      status: 500,
      match: { method: "GET", path: "/users" },
    });
    emulator.clearRequests();
    await expect(census.read(CENSUS_ID, state)).rejects.toThrow(/500|went wrong/i);
    const read = await census.read(CENSUS_ID, state); // `pulumi refresh` again: a new step
    expect(undeclaredIds(read)).toEqual([EVE]);
    emulator.clearRequests();
    await refreshAll(users, managed.slice(2)); // the census's listing answers the later reads
    expect(calls(emulator)).toEqual([]);
  });

  it("a later census step of the same run lists anew (it sees an account added since); the reads keep the run's listing", async () => {
    const managed = await seedDeployment();
    const { users, census } = await oneRun();
    const state = await censusState(census);
    emulator.clearRequests();
    const first = await census.read(CENSUS_ID, state);
    await refreshAll(users, managed.slice(0, 20));
    expect(undeclaredIds(first)).toEqual([EVE]);
    expect(kinds()).toEqual({ "GET /users": 2, "GET /users/:id/details": 1 });
    const MAL = "339000000000000002";
    emulator.users.seed([{ id: MAL, username: "mal", email: "mal@corp.example" }]);
    emulator.clearRequests();
    const second = await census.read(CENSUS_ID, first.props as Record<string, unknown>);
    await refreshAll(users, managed.slice(20));
    expect(undeclaredIds(second)).toEqual([EVE, MAL]);
    expect(kinds()).toEqual({ "GET /users": 2, "GET /users/:id/details": 1 });
  });

  // Its disabling warning is the file's first outside a Pulumi run: it loads @pulumi/pulumi
  // (src/provider/log.ts), which takes seconds under ts-jest on a loaded machine.
  it("a user this run wrote is not judged from the listing: the census reads its details", async () => {
    const KAY = "339000000000000003";
    emulator.users.seed([{ id: KAY, first_name: "Kay", email: "kay@corp.example" }]);
    const run0 = await configuredProvider(emulator.url, KEY);
    const decl = { userId: KAY, firstName: "Kay" };
    const { outs } = await run0.create(await checked(run0, decl));
    // Kay is managed by a User resource but (by mistake) not declared to the census: the last
    // census found her enabled and undeclared, at her current updated_at.
    const before = await oneRun();
    const last = await before.census.read(CENSUS_ID, await censusState(before.census));
    expect(undeclaredIds(last)).toEqual([KAY]);
    const { users, census } = await oneRun();
    const refreshed = await users.read(KAY, outs); // the run's listing starts here
    const news = await checked(users, { ...decl, disabled: true });
    const warnings = captureWarnings();
    await users.update(KAY, refreshed.props as Record<string, unknown>, news).finally(() => {
      warnings.done();
    });
    expect(warnings.messages).toEqual([
      expect.stringContaining(`disabling Wacht user ${KAY} revokes all of the user's sessions`),
    ]);
    emulator.clearRequests();
    const read = await census.read(CENSUS_ID, last.props as Record<string, unknown>);
    // The run's listing still shows her old updated_at, but no longer vouches for her: one GET.
    expect(calls(emulator)).toEqual([`GET /users/${KAY}/details`]);
    expect(undeclaredIds(read)).toEqual([]);
  }, 30_000);
});
