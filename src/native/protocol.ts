// The wire of Pulumi's ResourceProvider protocol, on @pulumi/pulumi's own generated stubs:
// grpc-js and google-protobuf are resolved from @pulumi/pulumi's directory, so that the stubs and
// this server share one instance of each (a second copy breaks message encoding). The stubs are
// not a documented API: @pulumi/pulumi is pinned and every bump is tested (engine and e2e).
//
// Values: the engine sends plain JSON in Structs, with two markers: secrets (an object with the
// secret signature, docs/decisions/0013-native-provider.md) and the preview unknown (a string).
import * as path from "node:path";
import type * as grpcT from "@grpc/grpc-js";
import type * as structT from "google-protobuf/google/protobuf/struct_pb";
import type * as emptyT from "google-protobuf/google/protobuf/empty_pb";
import type * as anyT from "google-protobuf/google/protobuf/any_pb";
import type * as provrpcT from "@pulumi/pulumi/proto/provider_grpc_pb";
import type * as provpbT from "@pulumi/pulumi/proto/provider_pb";
import type * as pluginpbT from "@pulumi/pulumi/proto/plugin_pb";
import type * as statuspbT from "@pulumi/pulumi/proto/status_pb";
import { UNKNOWN } from "../schema/user-fields";

/* eslint-disable @typescript-eslint/no-require-imports */
const pulumiDir = path.dirname(require.resolve("@pulumi/pulumi/package.json"));
const fromPulumi = (id: string): string => require.resolve(id, { paths: [pulumiDir] });
export const grpc = require(fromPulumi("@grpc/grpc-js")) as typeof grpcT;
export const structpb = require(
  fromPulumi("google-protobuf/google/protobuf/struct_pb"),
) as typeof structT;
export const emptypb = require(
  fromPulumi("google-protobuf/google/protobuf/empty_pb"),
) as typeof emptyT;
export const anypb = require(fromPulumi("google-protobuf/google/protobuf/any_pb")) as typeof anyT;
export const provrpc = require("@pulumi/pulumi/proto/provider_grpc_pb") as typeof provrpcT;
export const provpb = require("@pulumi/pulumi/proto/provider_pb") as typeof provpbT;
export const pluginpb = require("@pulumi/pulumi/proto/plugin_pb") as typeof pluginpbT;
export const statuspb = require("@pulumi/pulumi/proto/status_pb") as typeof statuspbT;
/* eslint-enable @typescript-eslint/no-require-imports */

export type Props = Record<string, unknown>;

/** The key of a special value and the value that marks a secret. */
export const SIG_KEY = "4dabf18193072939515e22adb298388d";
export const SECRET_SIG = "1b47061264138c4ac30d75fd1eb44270";

function isSecret(value: unknown): value is { value?: unknown } {
  return (
    value !== null &&
    typeof value === "object" &&
    (value as Record<string, unknown>)[SIG_KEY] === SECRET_SIG
  );
}

/** `value` with every secret replaced by what it holds (recursively). */
export function unwrapSecrets(value: unknown): unknown {
  if (isSecret(value)) return unwrapSecrets(value.value);
  if (Array.isArray(value)) return value.map(unwrapSecrets);
  if (value !== null && typeof value === "object") {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, unwrapSecrets(v)]));
  }
  return value;
}

/** `props` with the values of `keys` marked secret (a preview unknown is left as it is). */
export function markSecrets(props: Props, keys: Iterable<string>): Props {
  const out = { ...props };
  for (const key of keys) {
    const value = out[key];
    if (value !== undefined && value !== UNKNOWN && !isSecret(value)) {
      out[key] = { [SIG_KEY]: SECRET_SIG, value };
    }
  }
  return out;
}

/** The properties of a Struct as plain JSON (secrets unwrapped), `{}` for none. */
export function fromStruct(struct: structT.Struct | undefined): Props {
  return (unwrapSecrets(struct?.toJavaScript() ?? {}) as Props) ?? {};
}

/** A Struct of `props`; `undefined` (which a Struct cannot hold) is dropped at every level. */
export function toStruct(props: Props): structT.Struct {
  return structpb.Struct.fromJavaScript(
    JSON.parse(JSON.stringify(props)) as Record<string, structT.JavaScriptValue>,
  );
}

/** An error that leaves a resource half done: the engine records `properties` under `id`. */
export interface InitFailure {
  id: string;
  properties: Props;
  reasons: string[];
}

/** Reads an init failure off an error (the implementation's PartialFailureError has its shape). */
export function initFailureOf(err: unknown): InitFailure | undefined {
  const e = err as Partial<InitFailure> | null;
  if (e === null || typeof e !== "object" || typeof e.id !== "string" || e.id === "") {
    return undefined;
  }
  if (e.properties === null || typeof e.properties !== "object") return undefined;
  return { id: e.id, properties: e.properties, reasons: e.reasons ?? [] };
}

/**
 * The gRPC error for `err`: its message, and for a half-done create or update the state the
 * engine must keep (ErrorResourceInitFailed in the status details, as the SDK's hosts send it).
 */
export function grpcError(
  err: unknown,
  secretKeys: Iterable<string> = [],
): Partial<grpcT.StatusObject> {
  const message = err instanceof Error ? err.message : String(err);
  const metadata = new grpc.Metadata();
  const failure = initFailureOf(err);
  if (failure !== undefined) {
    const detail = new provpb.ErrorResourceInitFailed();
    detail.setId(failure.id);
    detail.setProperties(toStruct(markSecrets(failure.properties, secretKeys)));
    detail.setReasonsList(failure.reasons);
    const any = new anypb.Any();
    any.pack(detail.serializeBinary(), "pulumirpc.ErrorResourceInitFailed");
    const status = new statuspb.Status();
    status.setCode(grpc.status.UNKNOWN);
    status.setMessage(message);
    status.addDetails(any);
    metadata.add("grpc-status-details-bin", Buffer.from(status.serializeBinary()));
  }
  return { code: grpc.status.UNKNOWN, details: message, metadata };
}
