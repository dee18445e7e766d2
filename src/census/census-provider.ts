// The wacht.UserCensus provider implementation, loaded by package name behind the shim like the
// User provider (ADR 0003): credentials come only from `configure` or the environment. `read`
// records the undeclared accounts, `diff` shows them (and warns once), `create`/`update` fail on
// them or disable them, `delete` touches no account (docs/gitops.md). Each step judges from the
// run's listing, shared with the User provider's delta refresh (src/provider/live/run-listings.ts).
import type * as pulumi from "@pulumi/pulumi";
import type { WachtClient } from "../client/wacht-client";
import {
  readStackConfig,
  resolveProviderSettings,
  type StackConfigValues,
} from "../config/provider-config";
import { canonicalJson } from "../client/canonical-json";
import { jsonEqual } from "../diff/json-equal";
import { watchEngineInDynamicHost } from "../provider/engine-watch";
import { info, warn } from "../provider/log";
import {
  processListings,
  RunListings,
  type DeploymentListing,
} from "../provider/live/run-listings";
import { checkRecord } from "../membership/declaration";
import { MembershipRuntime, processMemberships } from "../membership/runtime";
import { hasUnknown } from "../schema/user-fields";
import {
  buildCensusInputsSchema,
  CENSUS_INPUT_KEYS,
  buildRecordedCensusSchema,
  CHECKED_KEY,
  isPermissionSelector,
  REPORTED_ACCOUNTS_MAX,
  type CensusAccount,
  type CensusInputs,
  type RecordedCensus,
  type RecordedCensusState,
} from "./census-inputs";
import { CheckedCache } from "./checked-cache";
import { canonicalUserId } from "../schema/user-id";
import {
  declaredHoldersReport,
  disabledNotice,
  undeclaredReport,
  undeclaredWarning,
} from "./messages";
import { disableAccounts, takeCensus, type CensusResult } from "./take-census";
import { takePermissionCensus } from "./take-permission-census";

type Props = Record<string, unknown>;

/** The id of a census resource (one per stack is the intended use; the id is not an account). */
export const CENSUS_ID = "wacht-user-census";

/** The census's input keys that `props` holds, and nothing else. */
function declaredInputs(props: Props): Props {
  return Object.fromEntries(
    CENSUS_INPUT_KEYS.filter((k) => props[k] !== undefined).map((k) => [k, props[k]]),
  );
}

function inputsOf(props: Props): CensusInputs {
  return buildCensusInputsSchema().parse(declaredInputs(props));
}

/**
 * The declaration part of `props` as canonical text: equal declarations, equal keys (the engine
 * may send the keys in another order than `check` returned them).
 */
function declarationKey(props: Props): string {
  return canonicalJson(declaredInputs(props));
}

/** The recorded parts of a state (or of checked news), typed; a malformed part reads as empty. */
function recordedOf(props: Props): RecordedCensus {
  return buildRecordedCensusSchema().parse(props);
}

/** The state of a census: counts, the first accounts of each list, and the cache. */
function stateOf(
  inputs: CensusInputs,
  undeclared: readonly CensusAccount[],
  disabled: readonly CensusAccount[],
  checked: Record<string, string>,
): RecordedCensusState {
  return {
    ...inputs,
    undeclaredCount: undeclared.length,
    undeclaredAccounts: undeclared.slice(0, REPORTED_ACCOUNTS_MAX),
    disabledCount: disabled.length,
    disabledAccounts: disabled.slice(0, REPORTED_ACCOUNTS_MAX),
    [CHECKED_KEY]: checked,
  };
}

/** The census provider the shim delegates to. */
export class WachtUserCensusProvider {
  private stack: StackConfigValues = {};
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
   * @param memberships the run's member listings, shared with the membership providers
   *   (src/membership/runtime.ts), for a census by permission; likewise.
   */
  constructor(
    private readonly listings: RunListings = new RunListings(),
    private readonly memberships: MembershipRuntime = new MembershipRuntime(),
  ) {}

  async configure(req: pulumi.dynamic.ConfigureRequest): Promise<void> {
    this.stack = readStackConfig((key) => req.config.get(key));
  }

  /**
   * The census for `inputs`: by permission from the organizations' member listings
   * (./take-permission-census.ts), else from the run's deployment listing (./take-census.ts).
   * With the client it used and the run's listing (which this step's writes invalidate).
   */
  private async take(
    inputs: CensusInputs,
    previous: Readonly<Record<string, string>>,
  ): Promise<CensusResult & { client: WachtClient; run: DeploymentListing }> {
    const s = resolveProviderSettings(this.stack);
    // The membership providers' client of these settings (one per distinct settings).
    const client = this.memberships.client(s);
    const listing = this.listings.forCensus(s, client);
    const run = this.listings.run(s, client);
    let found: CensusResult;
    if (isPermissionSelector(inputs.selector)) {
      found = await takePermissionCensus(client, this.memberships, inputs.selector, inputs);
    } else {
      found = await takeCensus(client, listing, inputs, previous);
      this.listings.judged(listing);
    }
    this.stats.listRequests += found.listRequests;
    this.stats.detailRequests += found.detailRequests;
    return { ...found, client, run };
  }

  /** Validates the declaration and applies the defaults; no request. Unknowns pass through. */
  async check(_olds: Props, news: Props): Promise<pulumi.dynamic.CheckResult> {
    resolveProviderSettings(this.stack); // a missing key is reported at preview
    // A preview unknown is valid in the place it stands: it is checked as its stand-in. Output-only
    // keys registered as undefined never reach check; anything else is a typo.
    const checked = checkRecord(
      buildCensusInputsSchema(),
      news,
      {
        declaredUserIds: [],
        declaredMemberships: [],
        selector: { all: true },
        allowlist: [],
        undeclared: "report",
      },
      "wacht.UserCensus takes selector, declaredUserIds, declaredMemberships, allowlist and undeclared",
    );
    if (checked.failures) return { failures: checked.failures };
    const { inputs } = checked;
    this.declarations.add(declarationKey(inputs));
    return { inputs };
  }

  /**
   * A change when the declaration changed or the last census recorded undeclared accounts.
   * `declaredUserIds` that are not known yet (a preview of new users: their ids exist after
   * `up`) are no change by themselves: adding declared users can only shrink what the census
   * finds, so the census is compared again at `up`, with the ids known, and updated there to
   * record them. A pull request that adds or edits users does not show the census changing.
   */
  async diff(_id: string, olds: Props, news: Props): Promise<pulumi.dynamic.DiffResult> {
    const before = recordedOf(olds);
    const after = recordedOf(news);
    const changes =
      before.undeclaredCount > 0 ||
      CENSUS_INPUT_KEYS.some((k) => {
        if (k === "declaredUserIds" || k === "declaredMemberships") {
          if (hasUnknown(news[k])) return false;
          return !jsonEqual([...before[k]].sort(), [...after[k]].sort());
        }
        if (hasUnknown(news[k])) return true;
        return !jsonEqual(olds[k], news[k]);
      });
    if (before.undeclaredCount > 0) {
      // Only the program's declaration says what `up` will do. A refresh also calls diff, with
      // the census just taken and the declaration RECORDED in state — stale when the program
      // changed it (say, report → disable) — so that diff stays silent, and the warning is said
      // once per run, in the plan of the declaration `check` accepted.
      if (this.declarations.has(declarationKey(news))) {
        this.warnOnce(
          undeclaredWarning(
            before.undeclaredAccounts,
            before.undeclaredCount,
            after.undeclared === "disable",
          ),
        );
      }
    }
    return { changes, replaces: [], deleteBeforeReplace: false };
  }

  private warnOnce(message: string): void {
    if (this.warned.has(message)) return;
    this.warned.add(message);
    warn(message);
  }

  /**
   * Takes the census; in report mode fails on undeclared accounts, in disable mode disables them.
   * `leaving` are ids the stack declared until this update: their resources are deleted (or
   * retained) by this same `up`, after the census runs (the census no longer depends on them),
   * so they are not judged now. One left enabled is found by the next refresh.
   */
  private async enforce(
    props: Props,
    previous: Readonly<Record<string, string>>,
    leaving: { declaredUserIds: readonly string[]; declaredMemberships: readonly string[] } = {
      declaredUserIds: [],
      declaredMemberships: [],
    },
  ): Promise<RecordedCensusState> {
    const inputs = inputsOf(props);
    const judged = {
      ...inputs,
      declaredUserIds: [...inputs.declaredUserIds, ...leaving.declaredUserIds],
      declaredMemberships: [...(inputs.declaredMemberships ?? []), ...leaving.declaredMemberships],
    };
    const found = await this.take(judged, previous);
    const { client, run } = found;
    const undeclared = found.undeclaredAccounts;
    if (undeclared.length > 0 && inputs.undeclared === "report")
      throw new Error(
        undeclaredReport(
          undeclared.slice(0, REPORTED_ACCOUNTS_MAX),
          undeclared.length,
          inputs.selector,
        ),
      );
    // By permission, a holder may be an account the stack declares (only its membership is not):
    // disabling it would fight its own resource, so disable mode fails naming those instead.
    if (undeclared.length > 0 && isPermissionSelector(inputs.selector)) {
      const declaredIds = new Set(judged.declaredUserIds.map(canonicalUserId));
      const own = undeclared.filter((a) => declaredIds.has(canonicalUserId(a.id)));
      if (own.length > 0) {
        throw new Error(
          declaredHoldersReport(
            own.slice(0, REPORTED_ACCOUNTS_MAX),
            own.length,
            inputs.selector.permission,
          ),
        );
      }
    }
    const disabled = new CheckedCache();
    if (undeclared.length > 0) {
      this.stats.disableRequests += undeclared.length;
      for (const account of undeclared) run.invalidate(account.id);
      await disableAccounts(client, undeclared, disabled);
      info(disabledNotice(undeclared.slice(0, REPORTED_ACCOUNTS_MAX), undeclared.length));
    }
    return stateOf(inputs, [], undeclared, { ...found.checked, ...disabled.entries() });
  }

  async create(inputs: Props): Promise<pulumi.dynamic.CreateResult> {
    return { id: CENSUS_ID, outs: await this.enforce(inputs, {}) };
  }

  async update(_id: string, olds: Props, news: Props): Promise<pulumi.dynamic.UpdateResult> {
    const before = recordedOf(olds);
    return { outs: await this.enforce(news, before.checked, before) };
  }

  /** Refresh: records the undeclared accounts (no write). The declaration is kept as it was. */
  async read(id: string, props: Props): Promise<pulumi.dynamic.ReadResult> {
    const inputs = inputsOf(props);
    const recorded = recordedOf(props);
    const found = await this.take(inputs, recorded.checked);
    const state = stateOf(inputs, found.undeclaredAccounts, [], found.checked);
    // The accounts the last `up` disabled stay recorded until the next one.
    return {
      id,
      props: {
        ...state,
        disabledCount: recorded.disabledCount,
        disabledAccounts: recorded.disabledAccounts,
      },
    };
  }

  /** Deleting the census never touches an account. */
  async delete(): Promise<void> {
    return Promise.resolve();
  }
}

/**
 * Creates the census implementation (once per provider process): it shares the process's
 * listings. The native front door's, and the dynamic one's behind src/provider/dynamic-impl.ts.
 */
export function createCensusProvider(): WachtUserCensusProvider {
  watchEngineInDynamicHost();
  return new WachtUserCensusProvider(processListings(), processMemberships());
}
