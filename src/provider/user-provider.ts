// The wacht.User provider implementation. It is NOT serialized into state: the shim
// (./shim.ts) loads this module by package name inside the provider process, so credentials come
// only from `configure` or the environment at call time, and an upgraded package runs new code.
import type * as pulumi from "@pulumi/pulumi";
import { DEFAULT_TIMEOUT_MS } from "../client/config";
import { isWachtError } from "../client/errors";
import type { UserCreate } from "../client/user-params";
import { WachtClient } from "../client/wacht-client";
import {
  readStackConfig,
  resolveLimits,
  resolveProviderSettings,
  validateForClient,
  type ProviderSettings,
  type StackConfigValues,
} from "../config/provider-config";
import { findConflicts, type FieldConflict } from "../diff/conflicts";
import { sameInstant } from "../diff/timestamps";
import { externalKeys, mergeMetadata } from "../diff/metadata-ownership";
import { diffUser, PASSWORD_PENDING } from "../diff/user-diff";
import type { JsonValue } from "../schema/json";
import type { ManagedField } from "../schema/user-fields";
import type { AdoptKey, UserOutputs } from "../schema/user-state";
import type { ApiUserDetails } from "../schema/wire";
import { buildUpdate } from "./build-update";
import { checkUser } from "./check-user";
import { createWithoutDuplicates } from "./create-user";
import { DeltaRefresh } from "./delta-refresh";
import { deleteCascadeWarning, lockoutRisk, sideEffectWarnings } from "./guard-rails";
import { describeKey, findByNaturalKey } from "./locate-user";
import { warn } from "./log";
import { PartialFailureError } from "./partial-failure";
import { PasswordVault } from "./password-vault";
import { preloadImage } from "./image-file";
import { REQUEST_PARTS_LIMIT_BYTES } from "../schema/user-fields";
import {
  declarationFromState,
  declarationOf,
  placeholderOutputs,
  toOutputs,
  type DeclarationState,
} from "./to-outputs";

type Props = Record<string, unknown>;

/** A guard rail refused the change before any request was sent. */
class GuardRailError extends Error {
  override name = "GuardRailError";
}

function isNotFound(err: unknown): boolean {
  return isWachtError(err) && (err as { status?: unknown }).status === 404;
}

/** Re-throws `err` with what the provider was doing in front of the client's message. */
function withContext(action: string, err: unknown): never {
  const message = err instanceof Error ? err.message : String(err);
  throw new Error(`${action}: ${message}`, { cause: err });
}

function stripEngineKeys(props: Props): Props {
  const rest = { ...props };
  delete rest["__provider"];
  return rest;
}

function show(value: unknown, secret: boolean): string {
  return secret ? "[secret]" : JSON.stringify(value);
}

/** The lost-update report: one line per field someone else changed. */
function conflictMessage(
  userId: string,
  state: Partial<UserOutputs>,
  live: ApiUserDetails,
  conflicts: FieldConflict[],
): string {
  const lines = conflicts.map((c) => {
    const secret = c.field === "privateMetadata";
    return `  - ${c.field}: was ${show(c.stateValue, secret)} at the last read, is now ${show(c.liveValue, secret)}, the declaration wants ${show(c.declaredValue, secret)}`;
  });
  return [
    `Wacht user ${userId} was changed by someone else since it was last read ` +
      `(updated_at ${state.updatedAt ?? "?"} → ${live.updated_at}); not overwriting:`,
    ...lines,
    `Run \`pulumi refresh\` to review the live values, update the declaration, or set onConflict: "overwrite".`,
  ].join("\n");
}

/** The provider object the shim delegates to. One instance per provider process and config. */
export class WachtUserProvider {
  private stack: StackConfigValues = {};
  private readonly clients = new Map<string, WachtClient>();
  private readonly deltas = new Map<WachtClient, DeltaRefresh>();
  private readonly vault = new PasswordVault();
  /** Users created or adopted by this process: a replacement's delete must never remove them. */
  private readonly claimed = new Set<string>();
  /** The settings last validated (see validatedSettings). */
  private validated: string | undefined;

  /** Stores the stack config (the host calls this once, before any other method). */
  async configure(req: pulumi.dynamic.ConfigureRequest): Promise<void> {
    this.stack = readStackConfig((key) => req.config.get(key));
  }

  /** Settings for this call; throws when no API key is configured anywhere. */
  private settings(): ProviderSettings {
    return resolveProviderSettings(this.stack);
  }

  /** The settings, checked as the client will check them, once per distinct configuration. */
  private validatedSettings(): ProviderSettings {
    const settings = this.settings();
    const key = JSON.stringify(settings);
    if (this.validated !== key) {
      validateForClient(settings);
      this.validated = key;
    }
    return settings;
  }

  private client(): WachtClient {
    const s = this.settings();
    const cacheKey = JSON.stringify([
      s.baseUrl,
      s.apiKey,
      s.maxRetries,
      s.timeoutMs,
      s.requestsPerMinute,
    ]);
    let client = this.clients.get(cacheKey);
    if (client === undefined) {
      // An undefined option means "unset" to the client (its default applies).
      client = new WachtClient({
        apiKey: s.apiKey,
        baseUrl: s.baseUrl,
        maxRetries: s.maxRetries,
        timeoutMs: s.timeoutMs,
        requestsPerMinute: s.requestsPerMinute,
      });
      this.clients.set(cacheKey, client);
    }
    return client;
  }

  /** The per-client delta-refresh coordinator, unless `wacht:deltaRefresh` is false. */
  private delta(client: WachtClient): DeltaRefresh | undefined {
    const { deltaRefresh, deltaRefreshThreshold } = this.settings();
    if (!deltaRefresh) return undefined;
    let delta = this.deltas.get(client);
    if (delta === undefined) {
      delta = new DeltaRefresh(client, { threshold: deltaRefreshThreshold });
      this.deltas.set(client, delta);
    }
    return delta;
  }

  /** Delta-refresh statistics of this process (list calls made), for tests and benchmarks. */
  refreshStats(): { listCalls: number } {
    let listCalls = 0;
    for (const d of this.deltas.values()) listCalls += d.listCalls;
    return { listCalls };
  }

  private touched(client: WachtClient, userId: string): void {
    this.claimed.add(userId);
    this.deltas.get(client)?.invalidate(userId);
  }

  /** Validates the declaration; no network request. The password is kept in memory only. */
  async check(_olds: Props, news: Props): Promise<pulumi.dynamic.CheckResult> {
    this.validatedSettings(); // config problems are reported at preview, not half-way through
    return checkUser(news, resolveLimits(this.stack), {
      read: await preloadImage(news["profileImage"], REQUEST_PARTS_LIMIT_BYTES),
      stashPassword: (password) => this.vault.stash(password),
    });
  }

  /** Pure field-level diff against the last read state; no network request. */
  async diff(_id: string, olds: Props, news: Props): Promise<pulumi.dynamic.DiffResult> {
    this.settings();
    const result = diffUser(olds, news);
    return { changes: result.changes, replaces: result.replaces, deleteBeforeReplace: false };
  }

  private password(inputs: Props): string | undefined {
    if (inputs["passwordHandle"] === undefined) return undefined;
    const password = this.vault.take(inputs["passwordHandle"]);
    if (password === undefined) {
      throw new Error(
        "the declared password is not available in this provider process (check did not run here); run `pulumi up` again",
      );
    }
    return password;
  }

  /** Finds (userId, adopt) or creates the user; returns its id. */
  private async resolveUser(
    client: WachtClient,
    inputs: Props,
  ): Promise<{ userId: string; created: boolean; passwordSent: boolean }> {
    const given = inputs["userId"];
    if (typeof given === "string") return { userId: given, created: false, passwordSent: false };
    if (inputs["adopt"] !== undefined) {
      const key = inputs["adopt"] as AdoptKey;
      let matches;
      try {
        matches = await findByNaturalKey(client, key);
      } catch (err) {
        withContext(`looking up the Wacht user to adopt by ${describeKey(key)} failed`, err);
      }
      if (matches.length === 0) {
        throw new Error(
          `no Wacht user has ${describeKey(key)}: nothing to adopt (adopt finds existing users; declare emailAddress/username without adopt to create one)`,
        );
      }
      if (matches.length > 1) {
        throw new Error(
          `${matches.length} Wacht users have ${describeKey(key)} (${matches.map((m) => m.id).join(", ")}): adopt needs exactly one; use userId to pick one`,
        );
      }
      return { userId: (matches[0] as { id: string }).id, created: false, passwordSent: false };
    }
    const fields: UserCreate = {};
    for (const name of [
      "firstName",
      "lastName",
      "emailAddress",
      "phoneNumber",
      "username",
    ] as const) {
      const v = inputs[name];
      if (typeof v === "string") fields[name] = v;
    }
    const password = this.password(inputs);
    if (password !== undefined) fields.password = password;
    if (inputs["skipPasswordCheck"] === true) fields.skipPasswordCheck = true;
    const key =
      fields.emailAddress !== undefined
        ? { email: fields.emailAddress }
        : fields.username !== undefined
          ? { username: fields.username }
          : { phoneNumber: fields.phoneNumber ?? "" };
    try {
      const settings = this.settings();
      // A POST that timed out may still be running: wait up to twice the request timeout for it.
      const settleMs = Math.min(2 * (settings.timeoutMs ?? DEFAULT_TIMEOUT_MS), 60_000);
      const result = await createWithoutDuplicates(client, fields, key, { settleMs });
      if (result.foundExisting) {
        warn(
          `a Wacht user with ${describeKey(key)} was created within the last hour (${result.userId}), probably by an earlier run that failed before recording it; managing it instead of creating a duplicate`,
        );
      }
      if (result.recovery === "found") {
        warn(
          `creating the user with ${describeKey(key)} failed ambiguously (${result.recoveredAfter.join("; ")}); found the user it created, ${result.userId}, instead of creating a duplicate`,
        );
      } else if (result.recovery === "resent") {
        warn(
          `creating the user with ${describeKey(key)} failed (${result.recoveredAfter.join("; ")}) and no user with that key existed afterwards, so the POST did not take effect; it was sent again and created ${result.userId}`,
        );
      }
      // A user taken over from an earlier failed run did not get this run's POST (or password).
      return { userId: result.userId, created: true, passwordSent: !result.foundExisting };
    } catch (err) {
      // Errors of createWithoutDuplicates already say what was being created.
      if (!isWachtError(err)) throw err;
      withContext(`creating a Wacht user with ${describeKey(key)} failed`, err);
    }
  }

  /** PATCHes `fields` of `live` to the declaration; returns the new details (or `live`). */
  private async applyFields(
    client: WachtClient,
    live: ApiUserDetails,
    fields: ManagedField[],
    news: Props,
    declaration: DeclarationState,
    previous: DeclarationState,
  ): Promise<{ details: ApiUserDetails; uploadedSha256: string | null }> {
    if (fields.length === 0) return { details: live, uploadedSha256: null };
    const userId = live.id;
    const risk = lockoutRisk(userId, fields, news, live);
    if (risk !== null) {
      if (news["allowLockout"] === false)
        throw new GuardRailError(
          `${risk}; refusing because allowLockout is false. Give the user backup codes or a verified phone first, or allow it.`,
        );
      warn(`${risk}. Set allowLockout: false to refuse instead.`);
    }
    for (const w of sideEffectWarnings(userId, fields, news)) warn(w);
    const planned = await buildUpdate(fields, news);
    if (declaration.metadataOwnership === "keys") {
      // Read-merge-write: keys written by others survive; keys we no longer declare are deleted.
      const { update } = planned;
      if (update.publicMetadata !== undefined) {
        update.publicMetadata = mergeMetadata(
          "keys",
          update.publicMetadata,
          live.public_metadata,
          previous.managedPublicMetadataKeys,
        );
      }
      if (update.privateMetadata !== undefined) {
        update.privateMetadata = mergeMetadata(
          "keys",
          update.privateMetadata,
          live.private_metadata,
          previous.managedPrivateMetadataKeys,
        );
      }
    }
    try {
      const details = await client.users.update(userId, planned.update);
      return { details, uploadedSha256: planned.uploadedSha256 };
    } catch (err) {
      withContext(`updating Wacht user ${userId} (${fields.join(", ")}) failed`, err);
    }
  }

  /** Finds, adopts or creates the user, then PATCHes the declared fields that differ (or none). */
  async create(inputs: Props): Promise<pulumi.dynamic.CreateResult> {
    const client = this.client();
    const { userId, created, passwordSent } = await this.resolveUser(client, inputs);
    this.touched(client, userId);
    const declaration = declarationOf(inputs);
    try {
      return await this.reconcileNew(client, userId, created, passwordSent, inputs, declaration);
    } catch (err) {
      if (err instanceof PartialFailureError || !created) throw err;
      // The user exists now: keep it in state, or the next `up` would create another one. A
      // declared password not yet sent (taken-over user) is recorded as pending.
      const kept = passwordPending(declaration, inputs, passwordSent);
      throw await this.partialFailure(client, userId, inputs, kept, err, true);
    }
  }

  /** After resolveUser: read the user, PATCH what differs, set the password. */
  private async reconcileNew(
    client: WachtClient,
    userId: string,
    created: boolean,
    passwordSent: boolean,
    inputs: Props,
    declaration: DeclarationState,
  ): Promise<pulumi.dynamic.CreateResult> {
    let live: ApiUserDetails;
    try {
      live = await client.users.get(userId);
    } catch (err) {
      if (isNotFound(err) && inputs["userId"] !== undefined) {
        withContext(
          `Wacht user ${userId} (userId) does not exist or belongs to another deployment`,
          err,
        );
      }
      withContext(`reading Wacht user ${userId} failed`, err);
    }
    const empty = declarationOf({ metadataOwnership: inputs["metadataOwnership"] });
    const { changedFields } = diffUser(toOutputs(live, empty), inputs);
    let applied: { details: ApiUserDetails; uploadedSha256: string | null };
    try {
      applied = await this.applyFields(client, live, changedFields, inputs, declaration, empty);
    } catch (err) {
      if (err instanceof GuardRailError && !created) throw err; // refused before any request
      throw await this.partialFailure(
        client,
        userId,
        inputs,
        { ...passwordPending(declaration, inputs, passwordSent), profileImageSha256: null },
        err,
        created,
      );
    }
    const { details, uploadedSha256 } = applied;
    if (!passwordSent) {
      const password = this.password(inputs);
      if (password !== undefined) {
        try {
          await this.setPassword(client, userId, password, inputs);
        } catch (err) {
          // Recorded as pending: the next `up` sets it, even without a passwordVersion.
          const kept = passwordPending(declaration, inputs, false);
          if (uploadedSha256 !== null) kept.profileImageSha256 = uploadedSha256;
          throw new PartialFailureError(
            err instanceof Error ? err.message : String(err),
            userId,
            { ...toOutputs(details, kept), __provider: inputs["__provider"] },
            err,
          );
        }
      }
    }
    if (!created) {
      if (declaration.onDelete === "delete") {
        warn(
          `onDelete is "delete" for Wacht user ${userId}, which this resource did not create: ${deleteCascadeWarning(userId, toOutputs(details, declaration))}, when the resource is deleted or replaced`,
        );
      }
    }
    if (uploadedSha256 !== null) declaration.profileImageSha256 = uploadedSha256;
    return { id: userId, outs: toOutputs(details, declaration) };
  }

  /**
   * Builds the error for a write that may have been half applied: the user is read again and
   * that live state (with `declaration`) becomes the resource's state. When even the read
   * fails, the original error is returned unchanged.
   */
  private async partialFailure(
    client: WachtClient,
    userId: string,
    inputs: Props,
    declaration: DeclarationState,
    err: unknown,
    mustRecord = false,
  ): Promise<Error> {
    const message = err instanceof Error ? err.message : String(err);
    try {
      const live = await client.users.get(userId);
      return new PartialFailureError(
        `${message} (the state now records Wacht user ${userId} as it is on the server; the next \`pulumi up\` retries what is missing)`,
        userId,
        { ...toOutputs(live, declaration), __provider: inputs["__provider"] },
        err,
      );
    } catch {
      if (!mustRecord) return err instanceof Error ? err : new Error(message);
      // The user exists (we created it) but cannot be read now: record its id anyway, or the
      // next `up` would create it a second time.
      return new PartialFailureError(
        `${message} (Wacht user ${userId} was created; the state records it and the next \`pulumi up\` completes it)`,
        userId,
        { ...placeholderOutputs(userId, declaration), __provider: inputs["__provider"] },
        err,
      );
    }
  }

  private async setPassword(
    client: WachtClient,
    userId: string,
    password: string,
    inputs: Props,
  ): Promise<void> {
    try {
      await client.users.setPassword(userId, password, {
        skipPasswordCheck: inputs["skipPasswordCheck"] === true,
      });
    } catch (err) {
      withContext(`setting the password of Wacht user ${userId} failed`, err);
    }
  }

  /** Refresh: the live user, and inputs that match it so the next diff is right. */
  async read(id: string, props: Props): Promise<pulumi.dynamic.ReadResult> {
    const client = this.client();
    const state = stripEngineKeys(props) as Partial<UserOutputs>;
    const userId = state.userId ?? id;
    const delta = this.delta(client);
    if (delta !== undefined && state.updatedAt !== undefined && state.managedFields !== undefined) {
      const listed = await delta.updatedAt(userId);
      if (listed !== undefined && sameInstant(listed, state.updatedAt)) {
        const outs = state as UserOutputs; // unchanged since the last read: no details GET
        return { id: userId, props: outs, inputs: inputsFromState(outs) };
      }
    }
    let details: ApiUserDetails;
    try {
      details = await client.users.get(userId);
    } catch (err) {
      if (isNotFound(err)) {
        warn(
          `Wacht user ${userId} no longer exists (deleted outside Pulumi); it is removed from the state. ` +
            `Remove its declaration, or point it at an existing user, before the next \`pulumi up\`.`,
        );
        return { id: "" };
      }
      withContext(`reading Wacht user ${userId} failed`, err);
    }
    const declaration = declarationFromState(state);
    const outs = toOutputs(details, declaration);
    return { id: outs.userId, props: outs, inputs: inputsFromState(outs) };
  }

  /** One PATCH with only the changed fields, after the lost-update guard; then the password. */
  async update(id: string, olds: Props, news: Props): Promise<pulumi.dynamic.UpdateResult> {
    const client = this.client();
    const state = stripEngineKeys(olds) as Partial<UserOutputs>;
    const userId = state.userId ?? id;
    const planned = diffUser(state, news);
    this.deltas.get(client)?.invalidate(userId);
    const declaration = declarationOf(news);
    const previous = declarationFromState(state);
    let outs: UserOutputs | Props = withDeclaration(state, declaration);
    if (planned.changedFields.length > 0 || !state.updatedAt) {
      let live: ApiUserDetails;
      try {
        live = await client.users.get(userId);
      } catch (err) {
        withContext(`reading Wacht user ${userId} before updating it failed`, err);
      }
      const liveState = toOutputs(live, previous);
      // Against the live user: a field already equal to the declaration (set by someone else,
      // or by an earlier attempt of ours whose answer was lost) is neither sent nor a conflict.
      const fields = diffUser(liveState, news).changedFields;
      if (declaration.onConflict !== "overwrite") {
        const conflicts = findConflicts(state as UserOutputs, liveState, fields, news, {
          publicMetadata:
            previous.metadataOwnership === "keys"
              ? union(previous.managedPublicMetadataKeys, declaration.managedPublicMetadataKeys)
              : null,
          privateMetadata:
            previous.metadataOwnership === "keys"
              ? union(previous.managedPrivateMetadataKeys, declaration.managedPrivateMetadataKeys)
              : null,
        });
        if (conflicts.length > 0) throw new Error(conflictMessage(userId, state, live, conflicts));
      }
      let applied: { details: ApiUserDetails; uploadedSha256: string | null };
      try {
        applied = await this.applyFields(client, live, fields, news, declaration, previous);
      } catch (err) {
        if (err instanceof GuardRailError) throw err;
        // Keep what was uploaded before; the image (if any) is retried by the next `up`.
        // The server may still hold keys the declaration removed: keep them managed (the union),
        // so the next `up` still deletes them.
        const kept = {
          ...declaration,
          managedPublicMetadataKeys: union(
            previous.managedPublicMetadataKeys,
            declaration.managedPublicMetadataKeys,
          ),
          managedPrivateMetadataKeys: union(
            previous.managedPrivateMetadataKeys,
            declaration.managedPrivateMetadataKeys,
          ),
          profileImageSha256: previous.profileImageSha256,
          passwordVersion: previous.passwordVersion,
        };
        throw await this.partialFailure(client, userId, news, kept, err);
      }
      const { details, uploadedSha256 } = applied;
      if (uploadedSha256 !== null) declaration.profileImageSha256 = uploadedSha256;
      outs = toOutputs(details, declaration);
    }
    if (planned.passwordChanged) {
      const password = this.password(news);
      if (password !== undefined) {
        try {
          await this.setPassword(client, userId, password, news);
        } catch (err) {
          // The fields were written: record them, with the password still to be set.
          throw new PartialFailureError(
            err instanceof Error ? err.message : String(err),
            userId,
            {
              ...outs,
              passwordVersion:
                previous.passwordVersion === PASSWORD_PENDING
                  ? PASSWORD_PENDING
                  : previous.passwordVersion,
              __provider: news["__provider"],
            },
            err,
          );
        }
      }
    }
    return { outs };
  }

  /** Applies the onDelete policy: retain (no request), disable (PATCH) or delete (DELETE). */
  async delete(id: string, props: Props): Promise<void> {
    const state = stripEngineKeys(props) as Partial<UserOutputs>;
    const userId = state.userId ?? id;
    const policy = state.onDelete ?? "retain";
    if (policy === "retain") {
      this.settings();
      return;
    }
    if (this.claimed.has(userId)) {
      warn(
        `not applying onDelete "${policy}" to Wacht user ${userId}: another resource of this deployment just took it over (a replacement that found the same user)`,
      );
      return;
    }
    const client = this.client();
    try {
      if (policy === "disable") {
        await client.users.update(userId, { disabled: true });
      } else {
        warn(deleteCascadeWarning(userId, state));
        await client.users.delete(userId);
      }
    } catch (err) {
      if (isNotFound(err)) return; // already gone: the goal of both policies is met
      withContext(
        `${policy === "disable" ? "disabling" : "deleting"} Wacht user ${userId} failed`,
        err,
      );
    }
  }
}

/**
 * The declaration to record when the declared password may not have been set yet: it was not
 * sent by this run's POST, and one is declared. Its version is then PASSWORD_PENDING, so the
 * next `up` sets it.
 */
function passwordPending(
  declaration: DeclarationState,
  inputs: Props,
  passwordSent: boolean,
): DeclarationState {
  return !passwordSent && inputs["passwordHandle"] !== undefined
    ? { ...declaration, passwordVersion: PASSWORD_PENDING }
    : declaration;
}

function union(a: readonly string[], b: readonly string[]): string[] {
  return [...new Set([...a, ...b])].sort();
}

/** A state with new declaration-side values and external keys recomputed (no request made). */
function withDeclaration(state: Partial<UserOutputs>, declaration: DeclarationState): Props {
  const keys = declaration.metadataOwnership === "keys";
  return {
    ...state,
    ...declaration,
    externalPublicMetadataKeys: keys
      ? externalKeys(state.publicMetadata ?? null, declaration.managedPublicMetadataKeys)
      : [],
    externalPrivateMetadataKeys: keys
      ? externalKeys(state.privateMetadata ?? null, declaration.managedPrivateMetadataKeys)
      : [],
  };
}

/** The inputs that describe a state after a refresh (live values for the managed fields). */
function inputsFromState(outs: UserOutputs): Props {
  const inputs: Props = { onDelete: outs.onDelete };
  if (outs.origin === "userId") inputs["userId"] = outs.userId;
  if (outs.origin === "adopt" && outs.adopt !== null) inputs["adopt"] = outs.adopt;
  if (outs.metadataOwnership === "keys") inputs["metadataOwnership"] = "keys";
  if (outs.passwordVersion !== null) inputs["passwordVersion"] = outs.passwordVersion;
  if (outs.onConflict === "overwrite") inputs["onConflict"] = "overwrite";
  for (const field of outs.managedFields) {
    if (field === "profileImage") {
      inputs["profileImage"] = outs.profileImage;
      if (outs.profileImageSha256 !== null) inputs["profileImageSha256"] = outs.profileImageSha256;
    } else if (field === "removeProfileImage") {
      inputs["removeProfileImage"] = outs.removeProfileImage;
    } else if (
      (field === "publicMetadata" || field === "privateMetadata") &&
      outs.metadataOwnership === "keys"
    ) {
      const keys =
        field === "publicMetadata"
          ? outs.managedPublicMetadataKeys
          : outs.managedPrivateMetadataKeys;
      const live = (outs[field] ?? {}) as Record<string, JsonValue>;
      inputs[field] = Object.fromEntries(
        keys.filter((k) => k in live).map((k) => [k, live[k] as JsonValue]),
      );
    } else if (field in outs) {
      inputs[field] = outs[field as keyof UserOutputs];
    }
  }
  return inputs;
}

/** Creates a provider instance (called by the shim, once per provider process and config). */
export function createUserProvider(): WachtUserProvider {
  return new WachtUserProvider();
}
