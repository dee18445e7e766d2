// Engine-host harness: spawns the REAL Pulumi dynamic-provider host
// (`@pulumi/pulumi/cmd/dynamic-provider`) and drives it over gRPC the way the Pulumi engine does
// (docs/pulumi-engine.md §5): first stdout line = port, Configure with the whole stack config
// (secret values wrapped in the secret sentinel, acceptSecrets=true), then Check/Diff/Create/Read/
// Update/Delete with plaintext values (the engine strips secrets because the host answers
// acceptSecrets=false). It does NOT emulate the engine's step logic; see docs/testing.md.
import { spawn, type ChildProcess } from "node:child_process";
import * as path from "node:path";
import type * as grpcT from "@grpc/grpc-js";
import type * as provrpcT from "@pulumi/pulumi/proto/provider_grpc_pb";
import type * as provprotoT from "@pulumi/pulumi/proto/provider_pb";
import type * as structT from "google-protobuf/google/protobuf/struct_pb";
import type * as emptyT from "google-protobuf/google/protobuf/empty_pb";
import type * as statusT from "@pulumi/pulumi/proto/status_pb";

/* eslint-disable @typescript-eslint/no-require-imports */
// grpc-js and google-protobuf are resolved from @pulumi/pulumi's own directory so that the
// generated stubs and this client share one instance (a second copy breaks message encoding).
const pulumiDir = path.dirname(require.resolve("@pulumi/pulumi/package.json"));
const fromPulumi = (id: string): string => require.resolve(id, { paths: [pulumiDir] });
const grpc = require(fromPulumi("@grpc/grpc-js")) as typeof grpcT;
const structpb = require(fromPulumi("google-protobuf/google/protobuf/struct_pb")) as typeof structT;
const emptypb = require(fromPulumi("google-protobuf/google/protobuf/empty_pb")) as typeof emptyT;
const provrpc = require("@pulumi/pulumi/proto/provider_grpc_pb") as typeof provrpcT;
const provproto = require("@pulumi/pulumi/proto/provider_pb") as typeof provprotoT;
const statuspb = require("@pulumi/pulumi/proto/status_pb") as typeof statusT;
/* eslint-enable @typescript-eslint/no-require-imports */

/** The magic key/value pair the Pulumi wire protocol uses to mark a secret value. */
export const SECRET_SIG = "4dabf18193072939515e22adb298388d";
export const SECRET_SIG_VALUE = "1b47061264138c4ac30d75fd1eb44270";
/** The value the engine sends for an unknown (computed) input during preview. */
export const UNKNOWN = "04da6b54-80e4-46f7-96ec-b56ff0331ba9";
/** The resource token of `wacht.User`. */
export const USER_TYPE = "pulumi-nodejs:dynamic/wacht:User";
/** Default per-RPC deadline. */
export const DEFAULT_DEADLINE_MS = 30_000;

export type Props = Record<string, unknown>;

/** What the host packed into a Create/Update error that carried `id` + `properties`. */
export interface InitFailed {
  id: string;
  properties: Props;
  reasons: string[];
}

/**
 * A gRPC failure of one RPC: `code` is the gRPC status, `details` the host's message, and
 * `initFailed` the partial-failure state (pulumirpc.ErrorResourceInitFailed) the engine would
 * record, when the host sent one.
 */
export class RpcError extends Error {
  constructor(
    readonly rpc: string,
    readonly code: number,
    readonly details: string,
    readonly initFailed: InitFailed | undefined = undefined,
  ) {
    super(`${rpc} failed (grpc code ${code}): ${details}`);
    this.name = "RpcError";
  }
}

/** Decodes the ErrorResourceInitFailed packed in the `grpc-status-details-bin` trailer, if any. */
export function decodeInitFailed(metadata: grpcT.Metadata | undefined): InitFailed | undefined {
  const raw = metadata?.get("grpc-status-details-bin")[0];
  if (raw === undefined || typeof raw === "string") return undefined;
  const status = statuspb.Status.deserializeBinary(new Uint8Array(raw));
  for (const any of status.getDetailsList()) {
    if (!any.getTypeUrl().endsWith("pulumirpc.ErrorResourceInitFailed")) continue;
    const detail = provproto.ErrorResourceInitFailed.deserializeBinary(any.getValue_asU8());
    return {
      id: detail.getId(),
      properties: detail.getProperties()?.toJavaScript() ?? {},
      reasons: detail.getReasonsList(),
    };
  }
  return undefined;
}

export interface CheckFailure {
  property: string;
  reason: string;
}

export interface DiffResult {
  changes: "unknown" | "none" | "some";
  replaces: string[];
  deleteBeforeReplace: boolean;
}

export interface StartHostOptions {
  /** Working directory of the host: serialized `require("…")` calls resolve from here. */
  cwd: string;
  /**
   * Extra environment. A key mapped to `undefined` is REMOVED from the inherited environment
   * (e.g. `{ WACHT_API_KEY: undefined }` for a host without the env fallback).
   */
  env?: Record<string, string | undefined>;
  /** Pulumi project name (PULUMI_NODEJS_PROJECT / PULUMI_PROJECT); default "wacht-test". */
  project?: string;
  /** Per-RPC deadline in ms; default 30 s. */
  deadlineMs?: number;
  /** How long to wait for the port line; default 20 s. */
  startTimeoutMs?: number;
}

export interface ConfigureOptions {
  /** Keys sent secret-wrapped, as the engine does for `pulumi config set --secret`. */
  secretKeys?: string[];
}

export interface EngineHost {
  readonly port: number;
  readonly pid: number;
  getPluginInfo(): Promise<{ version: string }>;
  configure(
    vars: Record<string, string>,
    opts?: ConfigureOptions,
  ): Promise<{ acceptSecrets: boolean; supportsPreview: boolean }>;
  check(
    urn: string,
    olds: Props,
    news: Props,
  ): Promise<{ inputs: Props; failures: CheckFailure[] }>;
  diff(id: string, urn: string, olds: Props, news: Props, oldInputs?: Props): Promise<DiffResult>;
  create(
    urn: string,
    properties: Props,
    opts?: { preview?: boolean },
  ): Promise<{ id: string; properties: Props }>;
  read(
    id: string,
    urn: string,
    properties: Props,
    inputs?: Props,
  ): Promise<{ id: string; properties: Props; inputs: Props | undefined }>;
  update(
    id: string,
    urn: string,
    olds: Props,
    news: Props,
    oldInputs?: Props,
  ): Promise<{ properties: Props }>;
  delete(id: string, urn: string, properties: Props, oldInputs?: Props): Promise<void>;
  /** Everything the host printed after the port line (stdout) plus stderr, in arrival order. */
  output(): string;
  /** Polls `output()` until it matches, bounded by `timeoutMs` (default 5 s); returns the output. */
  waitForOutput(pattern: string | RegExp, timeoutMs?: number): Promise<string>;
  /** Closes the channel, kills the process and waits for it to exit. Idempotent. */
  close(): Promise<void>;
}

/**
 * Fails early, with the fix, when `id` does not resolve from `cwd` — e.g. the serialized shim's
 * `pulumi-wacht/provider-impl` after an `npm install` pruned the self link (`npm test` recreates it
 * in pretest). Without this, every RPC fails with "Cannot find module".
 */
export function assertResolvable(cwd: string, id: string): void {
  try {
    require.resolve(id, { paths: [cwd] });
  } catch {
    throw new Error(
      `"${id}" does not resolve from ${cwd}: run \`npm run build && node scripts/link-self.js\` ` +
        `(npm test does both in pretest)`,
    );
  }
}

/** The URN the engine would give a `wacht.User` named `name` in stack `test` of project `wacht-test`. */
export function userUrn(name: string, project = "wacht-test", stack = "test"): string {
  return `urn:pulumi:${stack}::${project}::${USER_TYPE}::${name}`;
}

/** Wraps a value in the wire protocol's secret sentinel. */
export function secretValue(value: unknown): Props {
  return { [SECRET_SIG]: SECRET_SIG_VALUE, value };
}

/**
 * Removes `undefined` recursively: `Struct.fromJavaScript` throws "Unexpected struct type" on it,
 * while the engine simply never has such values (absent keys stay absent).
 */
export function stripUndefined<T>(value: T): T {
  if (Array.isArray(value)) {
    return value.map((v) => (v === undefined ? null : stripUndefined(v))) as T;
  }
  if (value !== null && typeof value === "object") {
    const out: Props = {};
    for (const [k, v] of Object.entries(value as Props)) {
      if (v !== undefined) out[k] = stripUndefined(v);
    }
    return out as T;
  }
  return value;
}

function toStruct(value: Props): structT.Struct {
  return structpb.Struct.fromJavaScript(
    stripUndefined(value) as Record<string, structT.JavaScriptValue>,
  );
}

function fromStruct(value: structT.Struct | undefined): Props {
  return value ? value.toJavaScript() : {};
}

const DIFF_CHANGES: Record<number, DiffResult["changes"]> = { 0: "unknown", 1: "none", 2: "some" };

function envFor(opts: StartHostOptions): NodeJS.ProcessEnv {
  const project = opts.project ?? "wacht-test";
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    PULUMI_NODEJS_PROJECT: project,
    PULUMI_PROJECT: project,
    PULUMI_NODEJS_STACK: "test",
    PULUMI_STACK: "test",
  };
  // jest sets NODE_OPTIONS/ts hooks sometimes; the engine never does.
  delete env.NODE_OPTIONS;
  for (const [k, v] of Object.entries(opts.env ?? {})) {
    if (v === undefined) delete env[k];
    else env[k] = v;
  }
  return env;
}

/** Spawns the dynamic-provider host in `cwd` and connects a gRPC client to it. */
export async function startHost(opts: StartHostOptions): Promise<EngineHost> {
  const deadlineMs = opts.deadlineMs ?? DEFAULT_DEADLINE_MS;
  const hostScript = require.resolve("@pulumi/pulumi/cmd/dynamic-provider");
  const child: ChildProcess = spawn(process.execPath, [hostScript, "127.0.0.1:1"], {
    cwd: opts.cwd,
    env: envFor(opts),
    stdio: ["ignore", "pipe", "pipe"],
  });
  let out = "";
  let stdoutBuf = "";
  let portLine: string | undefined;
  const exited = new Promise<number | null>((resolve) =>
    child.once("exit", (code) => resolve(code)),
  );
  let exitCode: number | null | undefined;
  void exited.then((c) => (exitCode = c));

  const port = await new Promise<number>((resolve, reject) => {
    const timer = setTimeout(
      () =>
        fail(new Error(`host did not print its port within ${opts.startTimeoutMs ?? 20_000} ms`)),
      opts.startTimeoutMs ?? 20_000,
    );
    const fail = (e: Error): void => {
      clearTimeout(timer);
      child.kill("SIGKILL");
      reject(new Error(`${e.message}\n--- host output ---\n${out}`));
    };
    child.stdout!.setEncoding("utf8");
    child.stderr!.setEncoding("utf8");
    child.stdout!.on("data", (chunk: string) => {
      if (portLine !== undefined) {
        out += chunk;
        return;
      }
      stdoutBuf += chunk;
      const nl = stdoutBuf.indexOf("\n");
      if (nl < 0) return;
      portLine = stdoutBuf.slice(0, nl).trim();
      out += stdoutBuf.slice(nl + 1);
      const p = Number(portLine);
      clearTimeout(timer);
      if (Number.isInteger(p) && p > 0) resolve(p);
      else fail(new Error(`unexpected first stdout line from host: ${JSON.stringify(portLine)}`));
    });
    child.stderr!.on("data", (chunk: string) => (out += chunk));
    child.once("error", (e) => fail(e));
    void exited.then((code) => {
      if (portLine === undefined)
        fail(new Error(`host exited with ${String(code)} before printing its port`));
    });
  });

  const client = new provrpc.ResourceProviderClient(
    `127.0.0.1:${port}`,
    grpc.credentials.createInsecure(),
  );
  await new Promise<void>((resolve, reject) =>
    client.waitForReady(Date.now() + deadlineMs, (err) => (err ? reject(err) : resolve())),
  );

  type Cb<R> = (err: grpcT.ServiceError | null, res: R) => void;
  function unary<Req, Res>(
    name: string,
    fn: (req: Req, md: grpcT.Metadata, o: Partial<grpcT.CallOptions>, cb: Cb<Res>) => unknown,
    req: Req,
  ): Promise<Res> {
    return new Promise<Res>((resolve, reject) => {
      fn.call(
        client,
        req,
        new grpc.Metadata(),
        { deadline: Date.now() + deadlineMs },
        (err, res) => {
          if (err) {
            reject(
              new RpcError(
                name,
                err.code,
                err.details ?? err.message,
                decodeInitFailed(err.metadata),
              ),
            );
          } else resolve(res);
        },
      );
    });
  }

  let closed: Promise<void> | undefined;
  const host: EngineHost = {
    port,
    pid: child.pid!,
    async getPluginInfo() {
      const res = await unary("GetPluginInfo", client.getPluginInfo, new emptypb.Empty());
      return { version: res.getVersion() };
    },
    async configure(vars, copts) {
      const secretKeys = new Set(copts?.secretKeys ?? ["wacht:apiKey"]);
      const req = new provproto.ConfigureRequest();
      const args: Props = {};
      for (const [k, v] of Object.entries(vars)) {
        args[k] = secretKeys.has(k) ? secretValue(v) : v;
        req.getVariablesMap().set(k, v);
      }
      req.setArgs(toStruct(args));
      req.setAcceptsecrets(true);
      req.setAcceptresources(true);
      req.setSendsOldInputs(true);
      req.setSendsOldInputsToDelete(true);
      req.setType("pulumi:providers:pulumi-nodejs");
      req.setName("default");
      const res = await unary("Configure", client.configure, req);
      return { acceptSecrets: res.getAcceptsecrets(), supportsPreview: res.getSupportspreview() };
    },
    async check(urn, olds, news) {
      const req = new provproto.CheckRequest();
      req.setUrn(urn);
      req.setOlds(toStruct(olds));
      req.setNews(toStruct(news));
      req.setRandomseed(Buffer.alloc(32));
      const res = await unary("Check", client.check, req);
      return {
        inputs: fromStruct(res.getInputs()),
        failures: res
          .getFailuresList()
          .map((f) => ({ property: f.getProperty(), reason: f.getReason() })),
      };
    },
    async diff(id, urn, olds, news, oldInputs) {
      const req = new provproto.DiffRequest();
      req.setId(id);
      req.setUrn(urn);
      req.setOlds(toStruct(olds));
      req.setNews(toStruct(news));
      if (oldInputs) req.setOldInputs(toStruct(oldInputs));
      const res = await unary("Diff", client.diff, req);
      return {
        changes: DIFF_CHANGES[res.getChanges()] ?? "unknown",
        replaces: res.getReplacesList(),
        deleteBeforeReplace: res.getDeletebeforereplace(),
      };
    },
    async create(urn, properties, copts) {
      const req = new provproto.CreateRequest();
      req.setUrn(urn);
      req.setProperties(toStruct(properties));
      req.setPreview(copts?.preview ?? false);
      req.setTimeout(deadlineMs / 1000);
      const res = await unary("Create", client.create, req);
      return { id: res.getId(), properties: fromStruct(res.getProperties()) };
    },
    async read(id, urn, properties, inputs) {
      const req = new provproto.ReadRequest();
      req.setId(id);
      req.setUrn(urn);
      req.setProperties(toStruct(properties));
      if (inputs) req.setInputs(toStruct(inputs));
      const res = await unary("Read", client.read, req);
      return {
        id: res.getId(),
        properties: fromStruct(res.getProperties()),
        inputs: res.getInputs() ? fromStruct(res.getInputs()) : undefined,
      };
    },
    async update(id, urn, olds, news, oldInputs) {
      const req = new provproto.UpdateRequest();
      req.setId(id);
      req.setUrn(urn);
      req.setOlds(toStruct(olds));
      req.setNews(toStruct(news));
      if (oldInputs) req.setOldInputs(toStruct(oldInputs));
      req.setTimeout(deadlineMs / 1000);
      const res = await unary("Update", client.update, req);
      return { properties: fromStruct(res.getProperties()) };
    },
    async delete(id, urn, properties, oldInputs) {
      const req = new provproto.DeleteRequest();
      req.setId(id);
      req.setUrn(urn);
      req.setProperties(toStruct(properties));
      if (oldInputs) req.setOldInputs(toStruct(oldInputs));
      req.setTimeout(deadlineMs / 1000);
      await unary("Delete", client.delete, req);
    },
    output() {
      return out;
    },
    async waitForOutput(pattern, timeoutMs = 5_000) {
      const matches = (): boolean =>
        typeof pattern === "string" ? out.includes(pattern) : pattern.test(out);
      const until = Date.now() + timeoutMs;
      while (!matches()) {
        if (Date.now() > until) {
          throw new Error(
            `host output did not match ${String(pattern)} within ${timeoutMs} ms:\n${out}`,
          );
        }
        await new Promise((r) => setTimeout(r, 20));
      }
      return out;
    },
    close() {
      closed ??= (async () => {
        // ENGINE_HOST_DEBUG=1 prints what the host said (warnings, stack traces) when it closes.
        if (process.env.ENGINE_HOST_DEBUG) console.log(`host ${child.pid} output:\n${out}`);
        client.close();
        if (exitCode === undefined) {
          child.kill("SIGTERM");
          const killTimer = setTimeout(() => child.kill("SIGKILL"), 3_000);
          await exited;
          clearTimeout(killTimer);
        }
      })();
      return closed;
    },
  };
  return host;
}
