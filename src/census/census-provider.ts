// The wacht.UserCensus provider implementation. Like the User provider it is NOT serialized: the
// shim (./shim.ts) loads it by package name (`pulumi-wacht/census-impl`) in the provider process,
// so credentials come only from `configure` (wacht:apiKey, wacht:baseUrl) or the environment.
//
// Lifecycle: `read` (refresh) takes the census and records the undeclared accounts; `diff` shows
// a change while any is recorded (and, in the plan of the program's declaration, warns once,
// naming them); `create`/`update` take the census again and, in report mode, fail naming each
// account and what to do, or, in disable mode, disable them. `delete` touches no account. The
// listing each step judges from is the run's, shared with the User provider's delta refresh in
// the same process (src/provider/run-listings.ts): the first census step of a run uses it, a
// later step of the same process lists anew.
import * as pulumi from "@pulumi/pulumi";
import { WachtClient } from "../client/wacht-client";
import {
  readStackConfig,
  resolveProviderSettings,
  type StackConfigValues,
} from "../config/provider-config";
import { canonicalJson } from "../client/canonical-json";
import { jsonEqual } from "../diff/json-equal";
import type { DeploymentListing } from "../provider/deployment-listing";
import { perProcess } from "../provider/engine-facing";
import { processListings, RunListings } from "../provider/run-listings";
import { UNKNOWN } from "../schema/user-fields";
import {
  buildCensusInputsSchema,
  buildRecordedCensusSchema,
  type CensusInputs,
  type CensusState,
  type InspectedUser,
  type RecordedCensus,
} from "./census-inputs";
import { undeclaredReport, undeclaredWarning } from "./messages";
import { disableAccounts, takeCensus } from "./take-census";
import { withoutValues } from "../schema/check-failures";

type Props = Record<string, unknown>;

/** The id of a census resource (one per stack is the intended use; the id is not an account). */
export const CENSUS_ID = "wacht-user-census";

const INPUT_KEYS = ["selector", "declaredUserIds", "allowlist", "undeclared"] as const;

/** True when the value is, or contains, the engine's preview unknown. */
function hasUnknown(value: unknown): boolean {
  if (value === UNKNOWN) return true;
  if (Array.isArray(value)) return value.some(hasUnknown);
  if (value !== null && typeof value === "object") return Object.values(value).some(hasUnknown);
  return false;
}

function inputsOf(props: Props): CensusInputs {
  return buildCensusInputsSchema().parse(
    Object.fromEntries(INPUT_KEYS.filter((k) => props[k] !== undefined).map((k) => [k, props[k]])),
  );
}

/**
 * The declaration part of `props` as canonical text: equal declarations, equal keys (the engine
 * may send the keys in another order than `check` returned them).
 */
function declarationKey(props: Props): string {
  return canonicalJson(
    Object.fromEntries(INPUT_KEYS.filter((k) => props[k] !== undefined).map((k) => [k, props[k]])),
  );
}

/** The recorded parts of a state (or of checked news), typed; a malformed part reads as empty. */
function recordedOf(props: Props): RecordedCensus {
  return buildRecordedCensusSchema().parse(props);
}

/** The census provider the shim delegates to. */
export class WachtUserCensusProvider {
  private stack: StackConfigValues = {};
  private client: { key: string; client: WachtClient } | undefined;
  /** Requests made by this process (for tests and benchmarks). */
  readonly stats = { listRequests: 0, detailRequests: 0, disableRequests: 0 };
  /** The declarations `check` accepted in this process (declarationKey), i.e. the program's. */
  private readonly declarations = new Set<string>();
  /** The warnings this process has logged: a run says each once. */
  private readonly warned = new Set<string>();

  /**
   * @param listings the run's deployment listings, shared with the User provider
   *   (run-listings.ts): the shim's factory passes the process's; an instance built directly gets
   *   its own (a new run).
   */
  constructor(private readonly listings: RunListings = new RunListings()) {}

  async configure(req: pulumi.dynamic.ConfigureRequest): Promise<void> {
    this.stack = readStackConfig((key) => req.config.get(key));
  }

  /** A census step: the client for the current settings, and the listing it judges from. */
  private censusStep(): {
    client: WachtClient;
    listing: DeploymentListing;
    run: DeploymentListing;
  } {
    const s = resolveProviderSettings(this.stack);
    const key = JSON.stringify([
      s.baseUrl,
      s.apiKey,
      s.maxRetries,
      s.timeoutMs,
      s.requestsPerMinute,
    ]);
    if (this.client?.key !== key) {
      this.client = {
        key,
        client: new WachtClient({
          apiKey: s.apiKey,
          baseUrl: s.baseUrl,
          maxRetries: s.maxRetries,
          timeoutMs: s.timeoutMs,
          requestsPerMinute: s.requestsPerMinute,
        }),
      };
    }
    const client = this.client.client;
    // `run` is the run's listing (this step's writes invalidate it); `listing` may be it.
    return {
      client,
      listing: this.listings.forCensus(s, client),
      run: this.listings.run(s, client),
    };
  }

  /** Validates the declaration and applies the defaults; no request. Unknowns pass through. */
  async check(_olds: Props, news: Props): Promise<pulumi.dynamic.CheckResult> {
    resolveProviderSettings(this.stack); // a missing key is reported at preview
    const unknown = INPUT_KEYS.filter((k) => hasUnknown(news[k]));
    const known = Object.fromEntries(
      Object.entries(news).filter(
        ([k, v]) => k !== "__provider" && !unknown.includes(k as never) && v !== undefined,
      ),
    );
    const placeholders = { ...known };
    // A preview unknown is valid in the place it stands; check the rest with a stand-in.
    if (unknown.includes("declaredUserIds")) placeholders["declaredUserIds"] = [];
    if (unknown.includes("selector")) placeholders["selector"] = { all: true };
    if (unknown.includes("allowlist")) placeholders["allowlist"] = [];
    if (unknown.includes("undeclared")) placeholders["undeclared"] = "report";
    // Output-only keys registered as undefined never reach check; anything else is a typo.
    const parsed = buildCensusInputsSchema().safeParse(placeholders);
    if (!parsed.success) {
      return {
        // No engine property: the CLI would print its value (schema/check-failures.ts).
        failures: withoutValues(
          parsed.error.issues.flatMap((issue) =>
            issue.code === "unrecognized_keys"
              ? issue.keys.map((k) => ({
                  property: k,
                  reason: `unknown property ${JSON.stringify(k)}: wacht.UserCensus takes selector, declaredUserIds, allowlist and undeclared`,
                }))
              : [
                  {
                    property: issue.path.map(String).join(".") || "(resource)",
                    reason: issue.message,
                  },
                ],
          ),
        ),
      };
    }
    const inputs: Props = { ...parsed.data };
    for (const k of unknown) inputs[k] = news[k];
    this.declarations.add(declarationKey(inputs));
    return { inputs };
  }

  /** A change when the declaration changed or the last census recorded undeclared accounts. */
  async diff(_id: string, olds: Props, news: Props): Promise<pulumi.dynamic.DiffResult> {
    const before = recordedOf(olds);
    const after = recordedOf(news);
    const changed = INPUT_KEYS.filter((k) => {
      if (hasUnknown(news[k])) return true;
      if (k === "declaredUserIds") {
        return !jsonEqual([...before.declaredUserIds].sort(), [...after.declaredUserIds].sort());
      }
      return !jsonEqual(olds[k], news[k]);
    });
    const undeclared = before.undeclaredAccounts;
    if (undeclared.length > 0) {
      changed.push("undeclaredAccounts" as never);
      // Only the program's declaration says what `up` will do. A refresh also calls diff, with
      // the census just taken and the declaration RECORDED in state — stale when the program
      // changed it (say, report → disable) — so that diff stays silent, and the warning is said
      // once per run, in the plan of the declaration `check` accepted.
      if (this.declarations.has(declarationKey(news))) {
        this.warnOnce(undeclaredWarning(undeclared, after.undeclared === "disable"));
      }
    }
    return { changes: changed.length > 0, replaces: [], deleteBeforeReplace: false };
  }

  private warnOnce(message: string): void {
    if (this.warned.has(message)) return;
    this.warned.add(message);
    void pulumi.log.warn(message);
  }

  /**
   * Takes the census; in report mode fails on undeclared accounts, in disable mode disables them.
   * `leaving` are ids the stack declared until this update: their resources are deleted (or
   * retained) by this same `up`, after the census runs (the census no longer depends on them),
   * so they are not judged now. One left enabled is found by the next refresh.
   */
  private async enforce(
    props: Props,
    previous: Record<string, InspectedUser>,
    leaving: readonly string[] = [],
  ): Promise<CensusState> {
    const inputs = inputsOf(props);
    const { client, listing, run } = this.censusStep();
    const judged = { ...inputs, declaredUserIds: [...inputs.declaredUserIds, ...leaving] };
    const found = await takeCensus(client, listing, judged, previous);
    this.listings.judged(listing);
    this.stats.listRequests += found.listRequests;
    this.stats.detailRequests += found.detailRequests;
    const undeclared = found.undeclaredAccounts;
    if (undeclared.length > 0 && inputs.undeclared === "report")
      throw new Error(undeclaredReport(undeclared));
    let inspected = found.inspected;
    if (undeclared.length > 0) {
      this.stats.disableRequests += undeclared.length;
      for (const account of undeclared) run.invalidate(account.id);
      const updated = await disableAccounts(client, undeclared);
      inspected = { ...inspected, ...updated };
      void pulumi.log.info(
        `wacht.UserCensus: disabled ${undeclared.length} undeclared account${undeclared.length === 1 ? "" : "s"}: ${undeclared.map((a) => a.id).join(", ")}`,
      );
    }
    return { ...inputs, undeclaredAccounts: [], disabledAccounts: undeclared, inspected };
  }

  async create(inputs: Props): Promise<pulumi.dynamic.CreateResult> {
    return { id: CENSUS_ID, outs: await this.enforce(inputs, {}) };
  }

  async update(_id: string, olds: Props, news: Props): Promise<pulumi.dynamic.UpdateResult> {
    const before = recordedOf(olds);
    return { outs: await this.enforce(news, before.inspected, before.declaredUserIds) };
  }

  /** Refresh: records the undeclared accounts (no write). The declaration is kept as it was. */
  async read(id: string, props: Props): Promise<pulumi.dynamic.ReadResult> {
    const inputs = inputsOf(props);
    const recorded = recordedOf(props);
    const { client, listing } = this.censusStep();
    const found = await takeCensus(client, listing, inputs, recorded.inspected);
    this.listings.judged(listing);
    this.stats.listRequests += found.listRequests;
    this.stats.detailRequests += found.detailRequests;
    const state: CensusState = {
      ...inputs,
      undeclaredAccounts: found.undeclaredAccounts,
      disabledAccounts: recorded.disabledAccounts,
      inspected: found.inspected,
    };
    return { id, props: state };
  }

  /** Deleting the census never touches an account. */
  async delete(): Promise<void> {
    return Promise.resolve();
  }
}

/**
 * Creates a census provider, sharing the process's listings. States written before the shim
 * became a module reference (pulumi-wacht <= 0.1.0) call it once per provider process: keep it.
 */
export function createCensusProvider(): WachtUserCensusProvider {
  return new WachtUserCensusProvider(processListings());
}

/** The process's one census provider as the engine sees it: what ./shim.ts delegates to. */
export const engineCensusProvider = perProcess(createCensusProvider);
