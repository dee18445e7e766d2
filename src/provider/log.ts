// Warnings and info from the provider, attached to the resource they concern (the logging seam,
// docs/decisions/0013-native-provider.md, item 8): `warn`/`info` find the resource a front door set
// with `withResource` through an AsyncLocalStorage context, so no parameter is threaded through the
// lifecycle steps. Without the engine's address they go through pulumi.log, which falls back to
// stderr when no engine is attached (docs/pulumi-engine.md §5).
import { AsyncLocalStorage } from "node:async_hooks";
import * as path from "node:path";
import type * as Pulumi from "@pulumi/pulumi";
import type * as grpcT from "@grpc/grpc-js";
import type * as engineRpcT from "@pulumi/pulumi/proto/engine_grpc_pb";
import type * as enginePbT from "@pulumi/pulumi/proto/engine_pb";

export interface ResourceRef {
  /** The resource's URN, when the front door knows it. */
  urn?: string;
  /** The resource's name (the URN's last part). */
  name?: string;
  /** The type as users know it: `wacht.User`, `wacht:index:User`, … */
  type: string;
}

type Severity = "warning" | "info";

/** Where a message goes: the engine's Log RPC (resolves once the engine has it). */
export type LogSink = (severity: Severity, message: string, urn?: string) => Promise<void>;

interface Context {
  ref: ResourceRef;
  pending: Promise<void>[];
  /** Messages kept until the call succeeds (see withResource's `onlyIfSucceeds`). */
  held?: [Severity, string][];
}

const context = new AsyncLocalStorage<Context>();
let sink: LogSink | undefined;

/** How long `withResource` waits for its messages to reach the engine. */
const FLUSH_TIMEOUT_MS = 5_000;

/** The type named when no front door set a resource (the dynamic `wacht.User`'s steps). */
const DEFAULT_TYPE = "wacht.User";

/** The resource a URN names: `urn:pulumi:<stack>::<project>::<type>::<name>`. */
export function refFromUrn(urn: string): ResourceRef {
  const parts = urn.split("::");
  const types = (parts[2] ?? "").split("$");
  return { urn, name: parts[3], type: types[types.length - 1] ?? "" };
}

/**
 * Runs `fn` with `ref` as the current resource, then waits for the messages it logged. With
 * `onlyIfSucceeds`, its messages are said only when `fn` succeeds (a failed import says why in
 * its error; what the step it reused would have warned about does not apply).
 */
export async function withResource<T>(
  ref: ResourceRef,
  fn: () => Promise<T>,
  options: { onlyIfSucceeds?: boolean } = {},
): Promise<T> {
  const ctx: Context = { ref, pending: [], held: options.onlyIfSucceeds === true ? [] : undefined };
  try {
    const result = await context.run(ctx, fn);
    const held = ctx.held ?? [];
    ctx.held = undefined;
    context.run(ctx, () => held.forEach(([severity, message]) => emit(severity, message)));
    return result;
  } finally {
    await flush(ctx);
  }
}

async function flush(ctx: Context): Promise<void> {
  if (ctx.pending.length === 0) return;
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<void>((resolve) => {
    timer = setTimeout(resolve, FLUSH_TIMEOUT_MS);
  });
  await Promise.race([Promise.allSettled(ctx.pending), timeout]);
  clearTimeout(timer);
}

/** Sends every message to `deliver` from now on (undefined: back to pulumi.log). */
export function setLogSink(deliver: LogSink | undefined): void {
  sink = deliver;
}

/** A warning users see, attached to the current resource. */
export function warn(message: string): void {
  emit("warning", message);
}

/** Information users see (`pulumi up` prints it), attached to the current resource. */
export function info(message: string): void {
  emit("info", message);
}

function emit(severity: Severity, message: string): void {
  const ctx = context.getStore();
  if (ctx?.held !== undefined) {
    ctx.held.push([severity, message]);
    return;
  }
  const ref = ctx?.ref ?? { type: DEFAULT_TYPE };
  const who = ref.name === undefined ? ref.type : `${ref.type} "${ref.name}"`;
  // A message that already starts with its type (the census's own) is not named twice.
  const named = /^wacht\.\w+: /.test(message) ? message : `${who}: ${message}`;
  if (sink === undefined) {
    // Loaded here, not at the top: the plugin process never needs the SDK (it starts faster).
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const { log } = require("@pulumi/pulumi") as typeof Pulumi;
    void (severity === "warning" ? log.warn(named) : log.info(named));
    return;
  }
  // With a URN the engine prints the message under the resource, but `--diff` output (what the
  // GitOps workflows post) prints diagnostics without it: the message names the resource too.
  const sent = sink(severity, named, ref.urn).catch(() => {
    process.stderr.write(`${severity}: ${named}\n`); // the engine could not take it
  });
  ctx?.pending.push(sent);
}

/**
 * Delivers messages to the engine at `address` (its Log RPC) from now on. The stubs and grpc-js
 * are @pulumi/pulumi's own (one instance for both, as its dynamic-provider host does).
 */
export function connectEngine(address: string): void {
  /* eslint-disable @typescript-eslint/no-require-imports */
  const pulumiDir = path.dirname(require.resolve("@pulumi/pulumi/package.json"));
  const grpc = require(require.resolve("@grpc/grpc-js", { paths: [pulumiDir] })) as typeof grpcT;
  const rpc = require("@pulumi/pulumi/proto/engine_grpc_pb") as typeof engineRpcT;
  const pb = require("@pulumi/pulumi/proto/engine_pb") as typeof enginePbT;
  /* eslint-enable @typescript-eslint/no-require-imports */
  const client = new rpc.EngineClient(address, grpc.credentials.createInsecure());
  setLogSink(
    (severity, message, urn) =>
      new Promise<void>((resolve, reject) => {
        const req = new pb.LogRequest();
        req.setSeverity(severity === "warning" ? pb.LogSeverity.WARNING : pb.LogSeverity.INFO);
        req.setMessage(message);
        if (urn !== undefined) req.setUrn(urn);
        client.log(req, (err) => (err ? reject(err) : resolve()));
      }),
  );
}
