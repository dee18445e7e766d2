// Which readers share a deployment listing (issue #14: the census "costs the list requests only,
// shared with delta refresh when both run"). One provider process serves one `pulumi preview`,
// `refresh` or `up`, and every dynamic resource of it (wacht.User and wacht.UserCensus alike,
// each through its own implementation instance): the process is the run. A `RunListings` holds,
// per deployment (base URL + API key), the run's listing:
//
// - every delta-refresh read of the run uses it (the first read starts it, capped at
//   `wacht:deltaRefreshThreshold` pages, as before);
// - the FIRST census step of the run (its refresh `read`, or its `create`/`update` in a run with
//   no refresh) uses it too, and lists it to the end: delta refresh then reads from the full
//   listing whatever its cap (the pages are already paid for). A census step that failed (a list
//   page failed) did not judge: the next one continues the run's listing;
// - a later census step of the same process lists anew, on a listing of its own: a census never
//   judges twice from one listing, so it always sees the accounts that existed before its step
//   (and after its previous one). In the CLI that is the `update` after the refresh of an
//   `up --refresh`; in tests, several steps of one provider instance.
//
// The freshness bound is therefore the run: the shared listing started at the run's first read (or
// first census step); an account created after that is seen by the next run, as it always was for
// delta refresh. Users this process writes are invalidated in the run's listing (it no longer
// vouches for them: delta refresh GETs them, the census reads their details).
//
// The deployment key is a SHA-256 digest of the base URL and the API key: no secret is held in
// the map's keys. Nothing here is ever serialized (only the shim is, docs/decisions/0003); the
// implementations built by the shim's factories share `processListings()`, and an instance built
// directly (tests) gets a scope of its own unless one is passed, which is how tests simulate
// separate runs.
import { createHash } from "node:crypto";
import type { WachtClient } from "../client/wacht-client";
import { DeploymentListing } from "./deployment-listing";

/** The settings that name a deployment: the same base URL and key reach the same users. */
export interface DeploymentRef {
  readonly baseUrl: string | undefined;
  readonly apiKey: string;
}

interface RunEntry {
  readonly listing: DeploymentListing;
  /** A census step of this run judged from `listing`. */
  censusJudged: boolean;
}

function deploymentKey(ref: DeploymentRef): string {
  return createHash("sha256")
    .update(JSON.stringify([ref.baseUrl ?? null, ref.apiKey]))
    .digest("hex");
}

/** The listings of one run, per deployment. */
export class RunListings {
  private readonly entries = new Map<string, RunEntry>();

  private entry(ref: DeploymentRef, client: WachtClient): RunEntry {
    const key = deploymentKey(ref);
    let entry = this.entries.get(key);
    if (entry === undefined) {
      // Listed with the client of the first reader (its retries and pacing): no request yet.
      entry = { listing: new DeploymentListing(client), censusJudged: false };
      this.entries.set(key, entry);
    }
    return entry;
  }

  /** The run's listing of the deployment (delta refresh reads it; writes invalidate it). */
  run(ref: DeploymentRef, client: WachtClient): DeploymentListing {
    return this.entry(ref, client).listing;
  }

  /**
   * The listing a census step judges from: the run's until a census step has judged from it
   * (see {@link judged}), a fresh one after.
   */
  forCensus(ref: DeploymentRef, client: WachtClient): DeploymentListing {
    const entry = this.entry(ref, client);
    return entry.censusJudged ? new DeploymentListing(client) : entry.listing;
  }

  /**
   * A census step judged from `listing`: a later step lists anew. (A step that failed, e.g. on a
   * list page, did not judge: its retry continues the run's listing.)
   */
  judged(listing: DeploymentListing): void {
    for (const entry of this.entries.values()) {
      if (entry.listing === listing) entry.censusJudged = true;
    }
  }
}

const processWide = new RunListings();

/** The listings of this provider process (= this run), shared by the User and census providers. */
export function processListings(): RunListings {
  return processWide;
}
