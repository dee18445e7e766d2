// The wacht.User provider implementation. It is NOT serialized into state: the shim
// (./shim.ts) loads this module by package name inside the provider process, so credentials come
// only from `configure` or the environment at call time, and an upgraded package runs new code.
import type * as pulumi from "@pulumi/pulumi";
import { WachtClient } from "../client/wacht-client";
import { isWachtError } from "../client/errors";
import {
  readStackConfig,
  resolveLimits,
  resolveProviderSettings,
  type ProviderSettings,
  type StackConfigValues,
} from "../config/provider-config";
import { diffUser } from "../diff/user-diff";
import type { UserOutputs } from "../schema/user-state";
import type { OnDeletePolicy } from "../schema/user-fields";
import type { ApiUserDetails } from "../schema/wire";
import { buildUpdate } from "./build-update";
import { checkUser } from "./check-user";
import { warn } from "./log";
import { declarationOf, toOutputs } from "./to-outputs";

type Props = Record<string, unknown>;

function isNotFound(err: unknown): boolean {
  return isWachtError(err) && (err as { status?: unknown }).status === 404;
}

/** Re-throws `err` with what the provider was doing in front of the client's message. */
function withContext(action: string, err: unknown): never {
  const message = err instanceof Error ? err.message : String(err);
  throw new Error(`${action}: ${message}`, { cause: err });
}

function stripEngineKeys(props: Props): Props {
  const { __provider: _provider, ...rest } = props;
  return rest;
}

/** The provider object the shim delegates to. One instance per provider process and config. */
export class WachtUserProvider {
  private stack: StackConfigValues = {};
  private readonly clients = new Map<string, WachtClient>();

  /** Stores the stack config (the host calls this once, before any other method). */
  async configure(req: pulumi.dynamic.ConfigureRequest): Promise<void> {
    this.stack = readStackConfig((key) => req.config.get(key));
  }

  /** Settings for this call; throws when no API key is configured anywhere. */
  private settings(): ProviderSettings {
    return resolveProviderSettings(this.stack);
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
      client = new WachtClient({
        apiKey: s.apiKey,
        ...(s.baseUrl !== undefined ? { baseUrl: s.baseUrl } : {}),
        ...(s.maxRetries !== undefined ? { maxRetries: s.maxRetries } : {}),
        ...(s.timeoutMs !== undefined ? { timeoutMs: s.timeoutMs } : {}),
        ...(s.requestsPerMinute !== undefined ? { requestsPerMinute: s.requestsPerMinute } : {}),
      });
      this.clients.set(cacheKey, client);
    }
    return client;
  }

  /** Validates the declaration; no network request. */
  async check(_olds: Props, news: Props): Promise<pulumi.dynamic.CheckResult> {
    this.settings(); // a missing key is reported at preview, not half-way through an update
    return checkUser(news, resolveLimits(this.stack));
  }

  /** Pure field-level diff against the last read state; no network request. */
  async diff(_id: string, olds: Props, news: Props): Promise<pulumi.dynamic.DiffResult> {
    this.settings();
    const result = diffUser(olds as Partial<UserOutputs>, news);
    return {
      changes: result.changes,
      replaces: result.replaces,
      deleteBeforeReplace: false,
    };
  }

  /** Adopts the user `inputs.userId`: one GET, then one PATCH of the fields that differ (or none). */
  async create(inputs: Props): Promise<pulumi.dynamic.CreateResult> {
    const client = this.client();
    const userId = String(inputs["userId"]);
    let current: ApiUserDetails;
    try {
      current = await client.users.get(userId);
    } catch (err) {
      if (isNotFound(err)) {
        withContext(
          `Wacht user ${userId} (userId) does not exist or belongs to another deployment`,
          err,
        );
      }
      withContext(`reading Wacht user ${userId} failed`, err);
    }
    const { changedFields } = diffUser(toOutputs(current, declarationOf({})), inputs);
    let details = current;
    let uploadedSha256: string | null = null;
    if (changedFields.length > 0) {
      const planned = buildUpdate(changedFields, inputs);
      uploadedSha256 = planned.uploadedSha256;
      try {
        details = await client.users.update(userId, planned.update);
      } catch (err) {
        withContext(`updating Wacht user ${userId} (${changedFields.join(", ")}) failed`, err);
      }
    }
    const declaration = declarationOf(inputs);
    if (uploadedSha256 !== null) declaration.profileImageSha256 = uploadedSha256;
    return { id: userId, outs: toOutputs(details, declaration) };
  }

  /** Refresh: the live user, and inputs that match it so the next diff is right. */
  async read(id: string, props: Props): Promise<pulumi.dynamic.ReadResult> {
    const client = this.client();
    const state = stripEngineKeys(props) as Partial<UserOutputs>;
    const userId = state.userId ?? id;
    let details: ApiUserDetails;
    try {
      details = await client.users.get(userId);
    } catch (err) {
      if (isNotFound(err)) {
        warn(
          `Wacht user ${userId} no longer exists (deleted outside Pulumi); it is removed from the state. ` +
            `Remove its declaration, or point userId at an existing user, before the next \`pulumi up\`.`,
        );
        return { id: "" };
      }
      withContext(`reading Wacht user ${userId} failed`, err);
    }
    const managed = new Set(state.managedFields ?? []);
    const declaration = {
      onDelete: state.onDelete ?? "retain",
      profileImage: state.profileImage ?? null,
      profileImageSha256: state.profileImageSha256 ?? null,
      removeProfileImage: state.removeProfileImage ?? false,
      managedFields: [...managed],
    };
    const outs = toOutputs(details, declaration);
    const inputs: Props = { userId: outs.userId, onDelete: outs.onDelete };
    for (const field of managed) {
      if (field === "profileImage") {
        inputs["profileImage"] = outs.profileImage;
        if (outs.profileImageSha256 !== null)
          inputs["profileImageSha256"] = outs.profileImageSha256;
      } else if (field === "removeProfileImage") {
        inputs["removeProfileImage"] = outs.removeProfileImage;
      } else if (field in outs) {
        inputs[field] = outs[field as keyof UserOutputs];
      }
    }
    return { id: outs.userId, props: outs, inputs };
  }

  /** One PATCH with only the changed fields (none when only declaration settings changed). */
  async update(id: string, olds: Props, news: Props): Promise<pulumi.dynamic.UpdateResult> {
    const client = this.client();
    const state = stripEngineKeys(olds) as Partial<UserOutputs>;
    const userId = state.userId ?? id;
    const { changedFields } = diffUser(state, news);
    const declaration = declarationOf(news);
    if (changedFields.length === 0) {
      return { outs: { ...state, ...declaration } };
    }
    const planned = buildUpdate(changedFields, news);
    let details: ApiUserDetails;
    try {
      details = await client.users.update(userId, planned.update);
    } catch (err) {
      withContext(`updating Wacht user ${userId} (${changedFields.join(", ")}) failed`, err);
    }
    if (planned.uploadedSha256 !== null) declaration.profileImageSha256 = planned.uploadedSha256;
    return { outs: toOutputs(details, declaration) };
  }

  /** Applies the onDelete policy: retain (no request), disable (PATCH) or delete (DELETE). */
  async delete(id: string, props: Props): Promise<void> {
    const state = stripEngineKeys(props) as Partial<UserOutputs>;
    const userId = state.userId ?? id;
    const policy: OnDeletePolicy = state.onDelete ?? "retain";
    if (policy === "retain") {
      this.settings();
      return;
    }
    const client = this.client();
    try {
      if (policy === "disable") await client.users.update(userId, { disabled: true });
      else await client.users.delete(userId);
    } catch (err) {
      if (isNotFound(err)) return; // already gone: the goal of both policies is met
      withContext(
        `${policy === "disable" ? "disabling" : "deleting"} Wacht user ${userId} failed`,
        err,
      );
    }
  }
}

/** Creates a provider instance (called by the shim, once per provider process and config). */
export function createUserProvider(): WachtUserProvider {
  return new WachtUserProvider();
}
